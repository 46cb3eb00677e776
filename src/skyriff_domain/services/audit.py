"""The operators' audit log: `record` appends an action's entry inside that action's own unit of work (so the
entry and the change commit or vanish together), and `AuditTrail` reads the log and notes actions that change
nothing else (a login, an export). Nothing edits or removes an entry."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from ..model.audit import REASON_MAX, AuditEntry, AuditFilter
from ..model.operator import Operator
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory
from .lookups import split_page

NAME_MAX, IP_MAX, ACTION_MAX, OBJECT_ID_MAX = 64, 64, 64, 64


def record(uow: UnitOfWork, actor: Operator | None, action: str, object_type: str, object_id: object,
           now: datetime, *, reason: str = "", before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> None:
    """Append the entry of `actor`'s action to the log in `uow`'s transaction. No actor, no entry: the system's own
    batches (reconciliation, payouts' answers) are not operators' actions."""
    if actor is None:
        return
    uow.audit.add(AuditEntry(at=now, operator_name=actor.name[:NAME_MAX], operator_id=actor.id, role=actor.role,
                             action=action[:ACTION_MAX], object_type=object_type,
                             object_id=str(object_id)[:OBJECT_ID_MAX], reason=reason[:REASON_MAX],
                             before=before, after=after, ip=actor.ip[:IP_MAX]))


@attrs.define
class AuditTrail:
    uow: UnitOfWorkFactory
    clock: Clock

    def note(self, actor: Operator, action: str, object_type: str, object_id: object, reason: str = "") -> None:
        """An action that changes nothing but the log itself (a login, a logout, an export of personal data)."""
        with self.uow() as uow:
            record(uow, actor, action, object_type, object_id, self.clock.now(), reason=reason)
            uow.commit()

    def search(self, where: AuditFilter, before_id: int | None = None,
               limit: int = 50) -> tuple[list[AuditEntry], bool]:
        """Newest first; returns the page and whether more entries follow."""
        limit = max(1, min(limit, 500))
        with self.uow(read_only=True) as uow:
            return split_page(uow.audit.search(where, before_id, limit + 1), limit)
