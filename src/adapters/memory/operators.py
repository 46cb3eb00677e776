"""In-memory operator accounts and sessions, the audit log, ledger-check results and payment events (the unit of
work's lock makes them atomic)."""
from __future__ import annotations

import copy
from datetime import datetime

import attrs

from skyriff_domain.model.audit import AuditEntry, AuditFilter, LedgerCheck
from skyriff_domain.model.operator import OperatorAccount, OperatorSession
from skyriff_domain.model.payment import PaymentEvent
from skyriff_domain.ports import (
    AuditLog,
    DuplicateEntry,
    LedgerCheckRepository,
    OperatorRepository,
    OperatorSessionRepository,
    PaymentEventRepository,
)

from .database import MemoryDatabase

_copy = copy.deepcopy


class MemoryOperators(OperatorRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, OperatorAccount]:
        return self.db.state.operators

    def add(self, account: OperatorAccount) -> OperatorAccount:
        if any(a.name == account.name for a in self._rows.values()):
            raise DuplicateEntry(f"operator {account.name}")
        account = _copy(account)
        account.id = self.db.next_id("operators")
        self._rows[account.id] = _copy(account)
        return account

    def get(self, operator_id: int) -> OperatorAccount | None:
        return _copy(self._rows.get(operator_id))

    def by_name_for_update(self, name: str) -> OperatorAccount | None:
        return _copy(next((a for a in self._rows.values() if a.name == name), None))

    def save(self, account: OperatorAccount) -> None:
        self._rows[account.id] = _copy(account)

    def all(self) -> list[OperatorAccount]:
        return _copy(sorted(self._rows.values(), key=lambda a: a.name))


class MemoryOperatorSessions(OperatorSessionRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[str, OperatorSession]:
        return self.db.state.operator_sessions

    def add(self, session: OperatorSession) -> None:
        self._rows[session.token_hash] = _copy(session)

    def get(self, token_hash: str) -> OperatorSession | None:
        return _copy(self._rows.get(token_hash))

    def touch(self, token_hash: str, now: datetime) -> None:
        if token_hash in self._rows:
            self._rows[token_hash].last_seen_at = now

    def remove(self, token_hash: str) -> None:
        self._rows.pop(token_hash, None)

    def remove_for(self, operator_id: int) -> int:
        keys = [k for k, s in self._rows.items() if s.operator_id == operator_id]
        for key in keys:
            del self._rows[key]
        return len(keys)

    def purge(self, idle_before: datetime, created_before: datetime) -> int:
        keys = [k for k, s in self._rows.items() if s.last_seen_at < idle_before or s.created_at < created_before]
        for key in keys:
            del self._rows[key]
        return len(keys)


def matches(entry: AuditEntry, where: AuditFilter) -> bool:
    return ((not where.operator_name or entry.operator_name == where.operator_name)
            and (not where.action or entry.action.startswith(where.action))
            and (not where.object_type or entry.object_type == where.object_type)
            and (not where.object_id or entry.object_id == where.object_id)
            and (where.since is None or entry.at >= where.since)
            and (where.until is None or entry.at < where.until))


class MemoryAuditLog(AuditLog):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, entry: AuditEntry) -> AuditEntry:
        entry = attrs.evolve(_copy(entry), id=self.db.next_id("audit"))
        self.db.state.audit.append(entry)
        return entry

    def search(self, where: AuditFilter, before_id: int | None, limit: int) -> list[AuditEntry]:
        rows = [e for e in reversed(self.db.state.audit)
                if (before_id is None or e.id < before_id) and matches(e, where)]
        return _copy(rows[:limit])


class MemoryLedgerChecks(LedgerCheckRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, check: LedgerCheck) -> LedgerCheck:
        check = attrs.evolve(check, id=self.db.next_id("ledger_checks"))
        self.db.state.ledger_checks.append(check)
        return check

    def latest(self, limit: int) -> list[LedgerCheck]:
        return list(reversed(self.db.state.ledger_checks))[:limit]


class MemoryPaymentEvents(PaymentEventRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, event: PaymentEvent) -> None:
        self.db.state.payment_events.append(attrs.evolve(event, id=self.db.next_id("payment_events")))

    def for_payment(self, payment_id: int, limit: int = 100) -> list[PaymentEvent]:
        return [e for e in self.db.state.payment_events if e.payment_id == payment_id][:limit]
