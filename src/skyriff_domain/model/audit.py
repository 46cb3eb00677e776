"""The operators' audit log — who did what to which object, with the state before and after where money or a
status changed, why, from where and when; append-only — and the recorded results of `ledger verify` runs."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

REASON_MAX = 500
SUMMARY_MAX = 2000


@attrs.frozen
class AuditEntry:
    """One operator action. `before`/`after` are small JSON-able dicts of what changed (balances, statuses),
    never secrets; `object_type`/`object_id` name what it acted on ("user", "42")."""

    at: datetime
    operator_name: str
    action: str
    object_type: str
    object_id: str
    operator_id: int | None = None
    role: str = ""
    reason: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    ip: str = ""
    id: int | None = None


@attrs.frozen
class AuditFilter:
    """What the audit page searches by; empty fields match everything."""

    operator_name: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None


@attrs.frozen
class LedgerCheck:
    """One run of `ledger verify` (by the command, the beat schedule or the console): its time, whether every
    balance and equation held, how many differences, and the first of them."""

    ran_at: datetime
    ok: bool
    problems: int
    summary: str = ""
    source: str = ""  # cli | schedule | console
    id: int | None = None
