"""Operators: their accounts and console sessions, the append-only audit log (UPDATE and DELETE are refused by
triggers, see migration 0014_operators), the results of ledger checks, and what payment channels said about payments."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..types import BigId, UtcDateTime
from .base import Base, sa_false


class DbOperator(Base):
    __tablename__ = "operators"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_token: Mapped[str | None] = mapped_column(Text)  # the second factor's secret, sealed by the cipher
    totp_last_step: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'finance', 'moderator', 'support')", name="role_known"),
        CheckConstraint("failed_logins >= 0", name="failures_not_negative"),
    )


class DbOperatorSession(Base):
    """Keyed by the SHA-256 of the cookie's token: the token itself is never stored."""

    __tablename__ = "operator_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class DbAuditEntry(Base):
    """Append-only: inserted in the transaction of the action it records, never updated or deleted."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = mapped_column(BigInteger)  # None: a name from the command line
    operator_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="", server_default="")
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    ip: Mapped[str] = mapped_column(String(64), default="", server_default="")
    __table_args__ = (
        Index("ix_audit_log_operator_id", "operator_name", "id"),
        Index("ix_audit_log_object", "object_type", "object_id", "id"),
        Index("ix_audit_log_action_id", "action", "id"),
        Index("ix_audit_log_at", "at"),
    )


class DbLedgerCheck(Base):
    __tablename__ = "ledger_checks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    problems: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    source: Mapped[str] = mapped_column(String(16), default="", server_default="")


class DbPaymentEvent(Base):
    """Append-only: notifications and queries about a payment, and what came of each."""

    __tablename__ = "payment_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="", server_default="")
    transaction_id: Mapped[str | None] = mapped_column(String(64))
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[str] = mapped_column(String(400), default="", server_default="")
    __table_args__ = (Index("ix_payment_events_payment_id", "payment_id", "id"),)
