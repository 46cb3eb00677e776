"""Redemption codes: the batches operators generate and their codes, stored only as keyed hashes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..types import BigId, UtcDateTime
from .base import Base


class DbRedemptionBatch(Base):
    """What each of the batch's codes grants: `credits` free credits, or the product `product_id` (never both)."""

    __tablename__ = "redemption_batches"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    label: Mapped[str] = mapped_column(String(100))
    count: Mapped[int] = mapped_column(Integer)
    credits: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    disabled_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint("count > 0", name="count_positive"),
        CheckConstraint("(product_id IS NULL AND credits > 0) OR (product_id IS NOT NULL AND credits = 0)",
                        name="one_grant"),
    )


class DbRedemptionCode(Base):
    """One code: HMAC-SHA256 of the normalized code under SKYRIFF_REDEEM_SECRET (unique), a hint operators may
    see, and who redeemed it when (both or neither)."""

    __tablename__ = "redemption_codes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("redemption_batches.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))
    redeemed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    redeemed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("(redeemed_by IS NULL) = (redeemed_at IS NULL)", name="redeemed_by_and_at"),
        # A batch's redeemed count, and its redemptions latest first.
        Index("ix_redemption_codes_batch_redeemed", "batch_id", "redeemed_at", "id"),
        Index("ix_redemption_codes_redeemed_by", "redeemed_by"),
    )
