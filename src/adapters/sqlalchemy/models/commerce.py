"""Images, the product catalogue, payments, monthly cards, referrals and withdrawals."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
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
from .base import Base, sa_true


class DbImageAsset(Base):
    __tablename__ = "image_assets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    storage_key: Mapped[str] = mapped_column(String(255), default="", server_default="")
    size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    aigc_label: Mapped[str | None] = mapped_column(String(8))  # the Label of an AIGC label the file carried
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DbProduct(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(400), default="", server_default="")
    price_fen: Mapped[int] = mapped_column(BigInteger)
    credits_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    coins_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    duration_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    daily_credits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (
        CheckConstraint("price_fen > 0 AND credits_amount >= 0 AND coins_amount_fen >= 0 AND duration_days >= 0 "
                        "AND daily_credits >= 0", name="amounts_valid"),
    )


class DbPayment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    product_type: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(128))
    out_trade_no: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    transaction_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        UniqueConstraint("channel", "transaction_id"),
        # Only pending payments are ever searched by state (reconciliation pages through them by id): a
        # partial index stays small, and closing a payment just drops it from the index.
        Index("ix_payments_pending", "id", postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
        Index("ix_payments_paid_at", "paid_at"),  # the console's GMV per day
    )


class DbSubscription(Base):
    __tablename__ = "subscriptions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    start_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_claim_day: Mapped[date | None] = mapped_column(Date)


class DbCardPeriod(Base):
    """One monthly card, paid for or redeemed: its days of claims, daily credits and price (see skyriff_domain
    CardPeriod). A redeemed card's price is 0."""

    __tablename__ = "card_periods"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    redemption_code_id: Mapped[int | None] = mapped_column(ForeignKey("redemption_codes.id"), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    days: Mapped[int] = mapped_column(Integer)
    daily_credits: Mapped[int] = mapped_column(BigInteger)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    claims: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cost_claimed_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("days > 0 AND daily_credits >= 0 AND price_fen >= 0 AND claims BETWEEN 0 AND days "
                        "AND cost_claimed_fen BETWEEN 0 AND price_fen", name="claims_valid"),
        CheckConstraint("(payment_id IS NULL) <> (redemption_code_id IS NULL)", name="one_source"),
        Index("ix_card_periods_user_starts", "user_id", "starts_at"),
    )


class DbReferral(Base):
    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    promoter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (CheckConstraint("invitee_id <> promoter_id", name="not_self"),)


class DbReferralBonusClaim(Base):
    """Identities (phone, WeChat unionid/openid) that already received the invitee bonus, forever."""

    __tablename__ = "referral_bonus_claims"
    identity_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DbWithdrawal(Base):
    __tablename__ = "withdrawals"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(16))
    account_info: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    payee_ref: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    transfer: Mapped[str | None] = mapped_column(String(24))
    channel_ref: Mapped[str | None] = mapped_column(String(64))
    package_info: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_withdrawals_user_id_id", "user_id", "id"),
        Index("ix_withdrawals_status_id", "status", "id"),
        Index("ix_withdrawals_approved_at", "approved_at"),
    )
