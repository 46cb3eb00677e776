"""Operator accounts and sessions, the audit log, ledger-check results and payment events, with their row
mappings. The audit log has no update or delete here, and its table refuses them (migration 0014_operators)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyriff_domain.model.audit import AuditEntry, AuditFilter, LedgerCheck
from skyriff_domain.model.operator import OperatorAccount, OperatorSession, Role
from skyriff_domain.model.payment import PaymentEvent
from skyriff_domain.money import Cny
from skyriff_domain.ports import (
    AuditLog,
    DuplicateEntry,
    LedgerCheckRepository,
    OperatorRepository,
    OperatorSessionRepository,
    PaymentEventRepository,
)

from ..models import DbAuditEntry, DbLedgerCheck, DbOperator, DbOperatorSession, DbPaymentEvent

operators = DbOperator.__table__
sessions = DbOperatorSession.__table__
audit = DbAuditEntry.__table__
checks = DbLedgerCheck.__table__
events = DbPaymentEvent.__table__


def operator_from_row(r: Any) -> OperatorAccount:
    return OperatorAccount(id=r.id, name=r.name, role=Role(r.role), password_hash=r.password_hash,
                           created_at=r.created_at, totp_token=r.totp_token, totp_last_step=r.totp_last_step,
                           disabled=r.disabled, failed_logins=r.failed_logins, locked_until=r.locked_until,
                           last_login_at=r.last_login_at)


def operator_values(a: OperatorAccount) -> dict[str, Any]:
    return {"name": a.name, "role": a.role.value, "password_hash": a.password_hash, "totp_token": a.totp_token,
            "totp_last_step": a.totp_last_step, "disabled": a.disabled, "failed_logins": a.failed_logins,
            "locked_until": a.locked_until, "last_login_at": a.last_login_at, "created_at": a.created_at}


def entry_from_row(r: Any) -> AuditEntry:
    return AuditEntry(id=r.id, at=r.at, operator_id=r.operator_id, operator_name=r.operator_name, role=r.role,
                      action=r.action, object_type=r.object_type, object_id=r.object_id, reason=r.reason,
                      before=r.before, after=r.after, ip=r.ip)


class SqlOperators(OperatorRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, account: OperatorAccount) -> OperatorAccount:
        try:
            with self.conn.begin_nested():
                account.id = self.conn.execute(insert(operators).values(operator_values(account))
                                               .returning(operators.c.id)).scalar_one()
        except IntegrityError as exc:
            raise DuplicateEntry(f"operator {account.name}") from exc
        return account

    def get(self, operator_id: int) -> OperatorAccount | None:
        row = self.conn.execute(select(operators).where(operators.c.id == operator_id)).first()
        return operator_from_row(row) if row else None

    def by_name_for_update(self, name: str) -> OperatorAccount | None:
        row = self.conn.execute(select(operators).where(operators.c.name == name).with_for_update()).first()
        return operator_from_row(row) if row else None

    def save(self, account: OperatorAccount) -> None:
        self.conn.execute(update(operators).where(operators.c.id == account.id).values(operator_values(account)))

    def all(self) -> list[OperatorAccount]:
        return [operator_from_row(r) for r in self.conn.execute(select(operators).order_by(operators.c.name))]


class SqlOperatorSessions(OperatorSessionRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, session: OperatorSession) -> None:
        self.conn.execute(insert(sessions).values(
            token_hash=session.token_hash, operator_id=session.operator_id, csrf_token=session.csrf_token,
            ip=session.ip, created_at=session.created_at, last_seen_at=session.last_seen_at))

    def get(self, token_hash: str) -> OperatorSession | None:
        r = self.conn.execute(select(sessions).where(sessions.c.token_hash == token_hash)).first()
        if r is None:
            return None
        return OperatorSession(r.token_hash, r.operator_id, r.created_at, r.last_seen_at, r.csrf_token, r.ip)

    def touch(self, token_hash: str, now: datetime) -> None:
        self.conn.execute(update(sessions).where(sessions.c.token_hash == token_hash).values(last_seen_at=now))

    def remove(self, token_hash: str) -> None:
        self.conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def remove_for(self, operator_id: int) -> int:
        return self.conn.execute(delete(sessions).where(sessions.c.operator_id == operator_id)).rowcount

    def purge(self, idle_before: datetime, created_before: datetime) -> int:
        return self.conn.execute(delete(sessions).where(or_(sessions.c.last_seen_at < idle_before,
                                                            sessions.c.created_at < created_before))).rowcount


class SqlAuditLog(AuditLog):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, entry: AuditEntry) -> AuditEntry:
        values = {"at": entry.at, "operator_id": entry.operator_id, "operator_name": entry.operator_name,
                  "role": entry.role, "action": entry.action, "object_type": entry.object_type,
                  "object_id": entry.object_id, "reason": entry.reason, "before": entry.before,
                  "after": entry.after, "ip": entry.ip}
        new_id = self.conn.execute(insert(audit).values(values).returning(audit.c.id)).scalar_one()
        return AuditEntry(**{**values, "id": new_id})

    def search(self, where: AuditFilter, before_id: int | None, limit: int) -> list[AuditEntry]:
        stmt = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if before_id is not None:
            stmt = stmt.where(audit.c.id < before_id)
        if where.operator_name:
            stmt = stmt.where(audit.c.operator_name == where.operator_name)
        if where.action:
            stmt = stmt.where(audit.c.action.startswith(where.action, autoescape=True))
        if where.object_type:
            stmt = stmt.where(audit.c.object_type == where.object_type)
        if where.object_id:
            stmt = stmt.where(audit.c.object_id == where.object_id)
        if where.since is not None:
            stmt = stmt.where(audit.c.at >= where.since)
        if where.until is not None:
            stmt = stmt.where(audit.c.at < where.until)
        return [entry_from_row(r) for r in self.conn.execute(stmt)]


class SqlLedgerChecks(LedgerCheckRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, check: LedgerCheck) -> LedgerCheck:
        new_id = self.conn.execute(insert(checks).values(
            ran_at=check.ran_at, ok=check.ok, problems=check.problems, summary=check.summary,
            source=check.source).returning(checks.c.id)).scalar_one()
        return LedgerCheck(check.ran_at, check.ok, check.problems, check.summary, check.source, new_id)

    def latest(self, limit: int) -> list[LedgerCheck]:
        rows = self.conn.execute(select(checks).order_by(checks.c.id.desc()).limit(limit))
        return [LedgerCheck(r.ran_at, r.ok, r.problems, r.summary, r.source, r.id) for r in rows]


class SqlPaymentEvents(PaymentEventRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, event: PaymentEvent) -> None:
        self.conn.execute(insert(events).values(
            payment_id=event.payment_id, at=event.at, source=event.source, outcome=event.outcome,
            state=event.state, transaction_id=event.transaction_id,
            amount_fen=event.amount.minor if event.amount is not None else None, detail=event.detail[:400]))

    def for_payment(self, payment_id: int, limit: int = 100) -> list[PaymentEvent]:
        rows = self.conn.execute(select(events).where(events.c.payment_id == payment_id)
                                 .order_by(events.c.id).limit(limit))
        return [PaymentEvent(r.payment_id, r.at, r.source, r.outcome, r.state, r.transaction_id,
                             Cny(r.amount_fen) if r.amount_fen is not None else None, r.detail, r.id) for r in rows]
