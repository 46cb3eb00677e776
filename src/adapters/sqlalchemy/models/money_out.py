"""Verified identities (encrypted, with a keyed fingerprint) and refunds of payments."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..types import BigId, UtcDateTime
from .base import Base, sa_false


class DbVerification(Base):
    """One verified identity per user; one identity (fingerprint) fills at most a few account slots."""

    __tablename__ = "identity_verifications"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name_token: Mapped[str] = mapped_column(Text)
    number_token: Mapped[str] = mapped_column(Text)
    number_fingerprint: Mapped[str] = mapped_column(String(64))
    slot: Mapped[int] = mapped_column(Integer)
    birth_date: Mapped[date] = mapped_column(Date)
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("number_fingerprint", "slot"),
        CheckConstraint("slot >= 1", name="slot_positive"),
    )


class DbRefund(Base):
    """One refund per payment, with what it took back (see skyriff_domain.model.refund)."""

    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    refund_no: Mapped[str] = mapped_column(String(32), unique=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    credits_taken: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    cost_taken_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    card_voided_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    written_off_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    coins_taken_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    commission_reversed_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    commission_unrecovered_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    forced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false)
    operator: Mapped[str] = mapped_column(String(64), default="", server_default="")
    channel_ref: Mapped[str | None] = mapped_column(String(64))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("amount_fen > 0 AND credits_taken >= 0 AND cost_taken_fen >= 0 AND card_voided_fen >= 0 "
                        "AND coins_taken_fen >= 0 AND commission_reversed_fen >= 0", name="amounts_valid"),
        Index("ix_refunds_processing", "id", postgresql_where=text("status = 'processing'"),
              sqlite_where=text("status = 'processing'")),
    )


class DbSandboxBill(Base):
    """A bill of the sandbox payout and refund channels (embedded defaults only): what a real channel would
    remember on its side, here so that every process sees it."""

    __tablename__ = "sandbox_bills"
    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    record: Mapped[str] = mapped_column(Text)
