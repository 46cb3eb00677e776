"""Operator actions on users."""
from __future__ import annotations

import attrs

from ..errors import NotFound
from ..model.operator import Operator
from ..ports import Clock, UnitOfWorkFactory
from .audit import record
from .sanctions import clean_reason


@attrs.define
class UserAdmin:
    uow: UnitOfWorkFactory
    clock: Clock

    def set_banned(self, user_id: int, banned: bool, actor: Operator | None = None, reason: str = "") -> None:
        """A banned user's tokens stop working at once (1004) and they cannot log in again."""
        reason = clean_reason(reason, required=False)
        with self.uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("用户不存在")
            before = user.is_banned
            user.is_banned = banned
            uow.users.save(user)
            record(uow, actor, "user.ban" if banned else "user.unban", "user", user_id, self.clock.now(),
                   reason=reason, before={"is_banned": before}, after={"is_banned": banned})
            uow.commit()
