"""Sanctions on users — a warning, publishing suspended until a time, a ban — each recorded with who, when and
why; and the check publishing makes against them."""
from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from ..errors import InvalidRequest, NotAllowed, NotFound
from ..model.moderation import DECISION_REASON_MAX, OPERATOR_NAME_MAX, Operator
from ..model.sanction import Sanction, SanctionKind
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory
from ..text import clean_text
from .audit import record

MAX_SUSPENSION_DAYS = 3650
SUSPENDED_MESSAGE = "发布功能已被暂停"


def check_may_publish(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    """A suspended user may not publish until the suspension ends (2008 with `until`); nothing else stops."""
    until = uow.sanctions.suspended_until(user_id, now)
    if until is not None:
        raise NotAllowed(SUSPENDED_MESSAGE, {"until": until})


def clean_reason(reason: str, required: bool = True) -> str:
    return clean_text("reason", reason, DECISION_REASON_MAX, multiline=True, min_len=1 if required else 0)


@attrs.define
class Sanctions:
    uow: UnitOfWorkFactory
    clock: Clock

    def warn(self, user_id: int, operator: Operator, reason: str) -> Sanction:
        return self._record(user_id, SanctionKind.WARNING, operator, reason)

    def suspend(self, user_id: int, days: int, operator: Operator, reason: str) -> Sanction:
        """Publishing is refused until now + days; a longer suspension already running still holds."""
        if not 1 <= days <= MAX_SUSPENSION_DAYS:
            raise InvalidRequest("days", f"需为1-{MAX_SUSPENSION_DAYS}天")
        return self._record(user_id, SanctionKind.SUSPENSION, operator, reason, timedelta(days=days))

    def ban(self, user_id: int, operator: Operator, reason: str) -> Sanction:
        """The user's tokens stop working at once (1004) and they cannot log in again."""
        return self._record(user_id, SanctionKind.BAN, operator, reason)

    def history(self, user_id: int) -> list[Sanction]:
        with self.uow(read_only=True) as uow:
            return uow.sanctions.for_user(user_id)

    def _record(self, user_id: int, kind: SanctionKind, operator: Operator, reason: str,
                length: timedelta | None = None) -> Sanction:
        reason = clean_reason(reason)
        now = self.clock.now()
        with self.uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("用户不存在")
            banned = user.is_banned
            if kind is SanctionKind.BAN and not user.is_banned:
                user.is_banned = True
                uow.users.save(user)
            sanction = uow.sanctions.add(Sanction(user_id=user_id, kind=kind, reason=reason, created_at=now,
                                                  decided_by=operator.name[:OPERATOR_NAME_MAX], operator_id=operator.id,
                                                  until=now + length if length else None))
            record(uow, operator, f"user.sanction.{kind.value}", "user", user_id, now, reason=reason,
                   before={"is_banned": banned}, after={"is_banned": user.is_banned, "sanction_id": sanction.id,
                                                        "until": sanction.until.isoformat() if sanction.until else None})
            uow.commit()
        return sanction
