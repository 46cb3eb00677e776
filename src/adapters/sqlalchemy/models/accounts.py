"""Users and how they log in, follows, wallets with their ledger and coin lots, and the short-lived auth stores."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..types import BigId, UtcDateTime
from .base import Base, sa_false


class DbUser(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    nickname: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    avatar_url: Mapped[str | None] = mapped_column(Text)
    avatar_asset_id: Mapped[int | None] = mapped_column(BigInteger)
    bio: Mapped[str] = mapped_column(String(400), default="", server_default="")
    is_creator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false)
    is_promoter: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false)
    is_banned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false)
    referral_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    tips_received_credits: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)
    followers_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    following_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    likes_received_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    works_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("followers_count >= 0 AND following_count >= 0 AND likes_received_count >= 0 "
                        "AND works_count >= 0", name="counters_not_negative"),
        Index("ix_users_created_at", "created_at"),  # the console's new users per day
    )


class DbIdentity(Base):
    """Login identities (phone, WeChat unionid, WeChat openid per AppID); each leads to exactly one user."""

    __tablename__ = "user_identities"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (UniqueConstraint("kind", "key"),)


class DbFollow(Base):
    __tablename__ = "follows"
    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    followee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (CheckConstraint("follower_id <> followee_id", name="not_self"),)


class DbWallet(Base):
    __tablename__ = "wallets"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    credits: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    credits_cost_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    coins_available_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    coins_pending_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    coins_held_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    __table_args__ = (
        CheckConstraint("credits >= 0", name="credits_not_negative"),
        # What was paid for the credits held: never negative, and nothing when no credits are held.
        CheckConstraint("credits_cost_fen >= 0 AND (credits > 0 OR credits_cost_fen = 0)", name="credits_cost_valid"),
        CheckConstraint("coins_available_fen >= 0 AND coins_pending_fen >= 0 AND coins_held_fen >= 0",
                        name="coins_not_negative"),
    )


class DbLedgerEntry(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "ledger_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    account: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(200))
    ref_kind: Mapped[str | None] = mapped_column(String(32))
    ref_id: Mapped[str | None] = mapped_column(String(64))
    unique_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    cost_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("account = 'credits' OR cost_fen = 0", name="cost_only_on_credits"),
        CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
        Index("ix_ledger_entries_user_account_id", "user_id", "account", "id"),
        Index("ix_ledger_entries_created_at", "created_at"),  # the console's credits sold / spent per day
    )


class DbLedgerEpoch(Base):
    """At most one row: the newest ledger entry before credits carried a cost (databases older than that).
    Income earned before it was paid at another rate, so the revenue-share bound starts after it."""

    __tablename__ = "ledger_epoch"
    ledger_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DbCoinLot(Base):
    __tablename__ = "coin_lots"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    unlock_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ref_kind: Mapped[str | None] = mapped_column(String(32))
    ref_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_coin_lots_user_status_unlock", "user_id", "status", "unlock_at"),
        Index("ix_coin_lots_status_unlock", "status", "unlock_at"),
        Index("ix_coin_lots_ref", "ref_kind", "ref_id"),
    )


class DbSmsCode(Base):
    __tablename__ = "sms_codes"
    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DbOAuthState(Base):
    __tablename__ = "oauth_states"
    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class DbRateCounter(Base):
    """Fixed-window counters and cooldowns; rows past `expires_at` are dead and get overwritten or purged."""

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class DbIdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
