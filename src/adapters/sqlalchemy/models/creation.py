"""Projects, generation tasks, the video assets they produce and the log of their clean downloads."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..types import BigId, UtcDateTime
from .base import Base, sa_false


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
    prompt: Mapped[str] = mapped_column(Text)  # what the task's owner may see
    upstream_prompt: Mapped[str] = mapped_column(Text)  # what the provider was sent: never rendered
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
    cost_cny_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    remix_fee_cost_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    next_poll_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submit_claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        CheckConstraint("cost >= 0 AND remix_fee >= 0 AND progress BETWEEN 0 AND 100", name="amounts_valid"),
        CheckConstraint("remix_fee_cost_fen >= 0 AND cost_cny_fen >= remix_fee_cost_fen", name="costs_valid"),
        Index("ix_generation_tasks_user_id_id", "user_id", "id"),
        Index("ix_generation_tasks_status_poll", "status", "next_poll_at"),
        Index("ix_generation_tasks_status_created", "status", "created_at"),
        Index("ix_generation_tasks_upstream", "provider", "upstream_id"),
        Index("ix_generation_tasks_created_at", "created_at"),  # the console's tasks per day
        Index("ix_generation_tasks_finished_at", "finished_at"),  # and success rates and times per provider
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
    aigc_produce_id: Mapped[str | None] = mapped_column(String(128))  # the ProduceID in its files' AIGC label
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        Index("ix_video_assets_owner_id_id", "owner_id", "id"),
        Index("ix_video_assets_owner_project_id", "owner_id", "project_id", "id"),
        Index("uq_video_assets_aigc_produce_id", "aigc_produce_id", unique=True),
    )


class DbCleanDownload(Base):
    """Every watermark-free download link handed out (who, which video, when, from where). Append-only and kept
    at least 180 days: the copy has no visible AIGC label, which the rules allow only with this record."""

    __tablename__ = "clean_downloads"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    video_id: Mapped[int] = mapped_column(ForeignKey("video_assets.id"))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        Index("ix_clean_downloads_video_id_id", "video_id", "id"),
        Index("ix_clean_downloads_user_id_id", "user_id", "id"),
    )
