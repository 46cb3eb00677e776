"""Sanctions operators put on users: a warning, publishing suspended until a time, or a ban."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs


class SanctionKind(enum.StrEnum):
    WARNING = "warning"
    SUSPENSION = "suspension"  # no publishing until `until`; everything else still works
    BAN = "ban"  # the user's tokens stop working (1004), see User.is_banned


@attrs.define
class Sanction:
    """One operator decision about a user, with who, when and why (append-only)."""

    user_id: int
    kind: SanctionKind
    reason: str
    created_at: datetime
    decided_by: str
    operator_id: int | None = None
    until: datetime | None = None  # suspensions only
    id: int | None = None
