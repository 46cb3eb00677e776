"""Published works with their counters and hot score, reactions, shares, tips and the daily task center."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Double,
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
from .base import Base


VISIBLE = text("review_status = 'passed'")  # the predicate of the feed's partial indexes, spelt as queries spell it


class DbWork(Base):
    """Published works with their counters and stored hot score (see skyriff_domain.model.work)."""

    __tablename__ = "works"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    video_id: Mapped[int] = mapped_column(ForeignKey("video_assets.id"), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    prompt: Mapped[str] = mapped_column(Text)  # the display prompt (sold when locked)
    generation_prompt: Mapped[str] = mapped_column(Text, default="", server_default="")  # never rendered
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
    aigc_propagate_id: Mapped[str | None] = mapped_column(String(128))  # the PropagateID of its play copy
    review_status: Mapped[str] = mapped_column(String(16), default="passed", server_default="passed")
    review_note: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("like_count >= 0 AND favorite_count >= 0 AND tip_count >= 0 AND tip_total >= 0 "
                        "AND share_count >= 0 AND views >= 0 AND prompt_price >= 0 AND remix_fee >= 0",
                        name="counters_not_negative"),
        # The feed tabs read passed works only (VISIBLE in the repository): partial indexes hold just those,
        # so a page is an index range scan however many works wait in review or were taken down.
        Index("ix_works_discover_passed", "id", postgresql_where=VISIBLE, sqlite_where=VISIBLE),
        Index("ix_works_hot_passed", "hot_score", "id", postgresql_where=VISIBLE, sqlite_where=VISIBLE),
        Index("ix_works_rank_passed", "tip_total", "id", postgresql_where=VISIBLE, sqlite_where=VISIBLE),
        Index("ix_works_creator_id", "creator_id", "id"),
        Index("uq_works_aigc_propagate_id", "aigc_propagate_id", unique=True),
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
        # The viewer's flags on a page: 20 probes, however many works the viewer ever liked.
        Index("ix_work_reactions_user_work", "user_id", "work_id", "kind"),
    )


class DbWorkShare(Base):
    """Shares that counted: one per (work, user, business day), so repeats cannot inflate share_count."""

    __tablename__ = "work_shares"
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


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
