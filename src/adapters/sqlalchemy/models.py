"""The tables, as declarative `Db*` rows with the constraints that back the domain's rules."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Double,
    BigInteger,
    Date,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

sa_false, sa_true = false(), true()

from .types import BigId, UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


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
    coins_available_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    coins_pending_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    coins_held_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    __table_args__ = (
        CheckConstraint("credits >= 0", name="credits_not_negative"),
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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
        Index("ix_ledger_entries_user_account_id", "user_id", "account", "id"),
    )


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


class DbImageAsset(Base):
    __tablename__ = "image_assets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    storage_key: Mapped[str] = mapped_column(String(255), default="", server_default="")
    size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
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
    )


class DbSubscription(Base):
    __tablename__ = "subscriptions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    start_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_claim_day: Mapped[date | None] = mapped_column(Date)


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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_withdrawals_user_id_id", "user_id", "id"),
        Index("ix_withdrawals_status_id", "status", "id"),
    )


class DbProject(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (Index("ix_projects_owner_updated", "owner_id", "updated_at"),)


class DbTask(Base):
    """Generation tasks. Status changes that end a task are compare-and-swaps on `status`."""

    __tablename__ = "generation_tasks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    prompt: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(32))
    duration_sec: Mapped[int] = mapped_column(Integer)
    ratio: Mapped[str] = mapped_column(String(8))
    cost: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    reference_image_asset_id: Mapped[int | None] = mapped_column(ForeignKey("image_assets.id"))
    note: Mapped[str] = mapped_column(String(400), default="", server_default="")
    provider: Mapped[str | None] = mapped_column(String(64))
    upstream_id: Mapped[str | None] = mapped_column(String(128))
    error_message: Mapped[str | None] = mapped_column(String(400))
    refunded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false)
    video_id: Mapped[int | None] = mapped_column(BigInteger)
    remix_of_work_id: Mapped[int | None] = mapped_column(BigInteger)
    remix_fee: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    visible_prompt: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    next_poll_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submit_claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("cost >= 0 AND remix_fee >= 0 AND progress BETWEEN 0 AND 100", name="amounts_valid"),
        Index("ix_generation_tasks_user_id_id", "user_id", "id"),
        Index("ix_generation_tasks_status_poll", "status", "next_poll_at"),
        Index("ix_generation_tasks_status_created", "status", "created_at"),
        Index("ix_generation_tasks_upstream", "provider", "upstream_id"),
    )


class DbVideo(Base):
    __tablename__ = "video_assets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("generation_tasks.id"), unique=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    duration_sec: Mapped[int] = mapped_column(Integer)
    ratio: Mapped[str] = mapped_column(String(8))
    original_key: Mapped[str] = mapped_column(String(255))
    watermarked_key: Mapped[str] = mapped_column(String(255))
    cover_key: Mapped[str] = mapped_column(String(255))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(BigInteger)
    publish_status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    clean_download_paid: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        Index("ix_video_assets_owner_id_id", "owner_id", "id"),
        Index("ix_video_assets_owner_project_id", "owner_id", "project_id", "id"),
    )


class DbWork(Base):
    """Published works with their counters and stored hot score (see skyriff_domain.model.work)."""

    __tablename__ = "works"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    video_id: Mapped[int] = mapped_column(ForeignKey("video_assets.id"), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    prompt: Mapped[str] = mapped_column(Text)
    is_prompt_locked: Mapped[bool] = mapped_column(Boolean)
    prompt_price: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    remix_fee: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    like_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    favorite_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    tip_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    tip_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    share_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    views: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    hot_score: Mapped[float] = mapped_column(Double)
    cover_key: Mapped[str] = mapped_column(String(255), default="", server_default="")
    play_key: Mapped[str] = mapped_column(String(255), default="", server_default="")
    duration_sec: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ratio: Mapped[str] = mapped_column(String(8), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("like_count >= 0 AND favorite_count >= 0 AND tip_count >= 0 AND tip_total >= 0 "
                        "AND share_count >= 0 AND views >= 0 AND prompt_price >= 0 AND remix_fee >= 0",
                        name="counters_not_negative"),
        Index("ix_works_hot", "hot_score", "id"),
        Index("ix_works_rank", "tip_total", "id"),
        Index("ix_works_creator_id", "creator_id", "id"),
    )


class DbReaction(Base):
    """Likes, favorites and prompt unlocks: one row per (kind, user, work)."""

    __tablename__ = "work_reactions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("kind", "user_id", "work_id"),
        Index("ix_work_reactions_kind_user_id", "kind", "user_id", "id"),
    )


class DbTip(Base):
    __tablename__ = "tips"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)


class DbDailyTask(Base):
    __tablename__ = "daily_tasks"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    task_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
