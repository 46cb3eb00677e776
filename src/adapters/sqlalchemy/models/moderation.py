"""Moderation: the operators' queue of cases (with their decisions), users' reports, appeals, sanctions, and the
generation counter of the shared feed pages."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..types import BigId, UtcDateTime
from .base import Base

_OPEN = text("status = 'open'")


class DbModerationCase(Base):
    """One item of the moderation queue and, once decided, the record of who decided what, when and why.
    `operator_id` stays empty until operators have accounts; `decided_by` names who decided."""

    __tablename__ = "moderation_cases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("generation_tasks.id"))
    video_id: Mapped[int | None] = mapped_column(ForeignKey("video_assets.id"))
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id"))
    labels: Mapped[list] = mapped_column(JSON)
    reference: Mapped[str] = mapped_column(String(128), default="", server_default="")
    excerpt: Mapped[str] = mapped_column(String(400), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(BigInteger)
    decision_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    __table_args__ = (
        # The queue: open cases, oldest first.
        Index("ix_moderation_cases_queue", "opened_at", "id", postgresql_where=_OPEN, sqlite_where=_OPEN),
        # One open case per work: reports are grouped under it, a decision settles it once.
        Index("uq_moderation_cases_open_work", "work_id", unique=True, postgresql_where=_OPEN, sqlite_where=_OPEN),
        Index("ix_moderation_cases_work_id", "work_id", "id"),
        Index("ix_moderation_cases_task_id", "task_id"),
        Index("ix_moderation_cases_video_id", "video_id"),
    )


class DbWorkReport(Base):
    __tablename__ = "work_reports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_cases.id"))
    reason: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        # One open report per user and work: reporting again answers the same report.
        Index("uq_work_reports_open", "reporter_id", "work_id", unique=True, postgresql_where=_OPEN,
              sqlite_where=_OPEN),
        Index("ix_work_reports_reporter_id", "reporter_id", "id"),
        Index("ix_work_reports_work_status", "work_id", "status"),
        Index("ix_work_reports_case_id", "case_id"),
    )


class DbAppeal(Base):
    __tablename__ = "appeals"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id"), unique=True)  # one per takedown
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(BigInteger)
    decision_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    __table_args__ = (Index("ix_appeals_status_id", "status", "id"),)


class DbSanction(Base):
    """Append-only: every warning, suspension and ban with who, when and why."""

    __tablename__ = "user_sanctions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(1000))
    until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_user_sanctions_user_kind", "user_id", "kind", "until"),)


class DbPageCacheGeneration(Base):
    """How many times the shared feed pages were purged: every API process keys its cached pages by it."""

    __tablename__ = "page_cache_generations"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
