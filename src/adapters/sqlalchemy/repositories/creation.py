"""Generation tasks (compare-and-swap endings, SKIP LOCKED claims so workers never share a task),
video assets, projects and the clean-download log."""
from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from sqlalchemy.engine import Connection
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from skyriff_domain.model.generation import UNFINISHED, GenerationTask, TaskStatus
from skyriff_domain.model.media import CleanDownloadRecord, Project, PublishStatus, VideoAsset
from skyriff_domain.money import Cny
from skyriff_domain.ports import (
    CleanDownloadLog,
    DuplicateEntry,
    ProjectRepository,
    TaskRepository,
    VideoRepository,
)

from ..mappers import (
    project_from_row,
    project_values,
    task_from_row,
    task_values,
    video_from_row,
    video_values,
)
from ..models import DbCleanDownload, DbProject, DbTask, DbVideo

tasks = DbTask.__table__
videos = DbVideo.__table__
projects = DbProject.__table__
clean_downloads = DbCleanDownload.__table__
_UNFINISHED = [s.value for s in UNFINISHED]
_POLLED = [TaskStatus.QUEUED.value, TaskStatus.IN_PROGRESS.value]


class SqlTasks(TaskRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, task: GenerationTask) -> GenerationTask:
        task.id = self.conn.execute(insert(tasks).values(task_values(task)).returning(tasks.c.id)).scalar_one()
        return task

    def get(self, task_id: int) -> GenerationTask | None:
        row = self.conn.execute(select(tasks).where(tasks.c.id == task_id)).first()
        return task_from_row(row) if row else None

    def compare_and_set(self, task: GenerationTask, expected: TaskStatus) -> bool:
        stmt = (update(tasks).where(tasks.c.id == task.id, tasks.c.status == expected.value)
                .values(task_values(task)).returning(tasks.c.id))
        return self.conn.execute(stmt).first() is not None

    def count_unfinished(self, user_id: int) -> int:
        return int(self.conn.execute(select(func.count()).select_from(tasks).where(
            tasks.c.user_id == user_id, tasks.c.status.in_(_UNFINISHED))).scalar_one())

    def page_for_user(self, user_id: int, status: TaskStatus | None, before_id: int | None,
                      limit: int) -> list[GenerationTask]:
        stmt = select(tasks).where(tasks.c.user_id == user_id).order_by(tasks.c.id.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(tasks.c.status == status.value)
        if before_id is not None:
            stmt = stmt.where(tasks.c.id < before_id)
        return [task_from_row(r) for r in self.conn.execute(stmt)]

    def claim_for_submit(self, now: datetime, limit: int) -> list[GenerationTask]:
        waiting = (tasks.c.status == TaskStatus.NOT_START.value, tasks.c.submit_claimed_at.is_(None))
        ids = self._lock_ids(select(tasks.c.id).where(*waiting).order_by(tasks.c.id), limit)
        stmt = update(tasks).where(tasks.c.id.in_(ids), *waiting).values(submit_claimed_at=now).returning(*tasks.c)
        return sorted((task_from_row(r) for r in self.conn.execute(stmt)), key=lambda t: t.id)

    def claim_due(self, now: datetime, lease: timedelta, limit: int,
                  task_id: int | None = None) -> list[GenerationTask]:
        due = (tasks.c.status.in_(_POLLED), tasks.c.next_poll_at <= now) + (
            (tasks.c.id == task_id,) if task_id is not None else ())
        ids = self._lock_ids(select(tasks.c.id).where(*due).order_by(tasks.c.next_poll_at), limit)
        stmt = update(tasks).where(tasks.c.id.in_(ids), *due).values(next_poll_at=now + lease).returning(*tasks.c)
        return sorted((task_from_row(r) for r in self.conn.execute(stmt)), key=lambda t: t.id)

    def _lock_ids(self, query, limit: int) -> list[int]:
        """Lock and return at most `limit` ids, skipping rows other workers hold. A statement of its own: as
        a subquery of the UPDATE, PostgreSQL may re-run it for every row updated (a nested-loop semi join),
        each run skipping the rows already taken and finding more, so one claim took the whole backlog."""
        return list(self.conn.execute(query.limit(limit).with_for_update(skip_locked=True)).scalars())

    def make_due(self, provider: str, upstream_id: str, now: datetime) -> int | None:
        return self.conn.execute(
            update(tasks).where(tasks.c.provider == provider, tasks.c.upstream_id == upstream_id,
                                tasks.c.status.in_(_POLLED)).values(next_poll_at=now).returning(tasks.c.id)).scalar()

    def overdue(self, created_before: datetime, limit: int) -> list[GenerationTask]:
        rows = self.conn.execute(select(tasks).where(tasks.c.status.in_(_UNFINISHED),
                                                        tasks.c.created_at < created_before)
                                    .order_by(tasks.c.id).limit(limit))
        return [task_from_row(r) for r in rows]

    def refunded_remix_fee_cost(self, finished_after: datetime | None = None) -> Cny:
        stmt = (select(func.coalesce(func.sum(tasks.c.remix_fee_cost_fen), 0))
                .where(tasks.c.refunded.is_(True), tasks.c.remix_fee_cost_fen > 0))
        if finished_after is not None:
            stmt = stmt.where(tasks.c.finished_at > finished_after)
        return Cny(int(self.conn.execute(stmt).scalar_one()))


class SqlVideos(VideoRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, video: VideoAsset) -> VideoAsset:
        try:
            video.id = self.conn.execute(
                insert(videos).values(video_values(video)).returning(videos.c.id)).scalar_one()
        except IntegrityError as exc:  # the task's video exists: the transaction is lost, the caller rolls back
            raise DuplicateEntry(f"video of task {video.task_id}") from exc
        return video

    def get(self, video_id: int) -> VideoAsset | None:
        row = self.conn.execute(select(videos).where(videos.c.id == video_id)).first()
        return video_from_row(row) if row else None

    def get_for_update(self, video_id: int) -> VideoAsset | None:
        row = self.conn.execute(select(videos).where(videos.c.id == video_id).with_for_update()).first()
        return video_from_row(row) if row else None

    def save(self, video: VideoAsset) -> None:
        self.conn.execute(update(videos).where(videos.c.id == video.id).values(video_values(video)))

    def page_for_user(self, owner_id: int, project_id: int | None, before_id: int | None,
                      limit: int, status: PublishStatus | None = None) -> list[VideoAsset]:
        stmt = select(videos).where(videos.c.owner_id == owner_id).order_by(videos.c.id.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(videos.c.publish_status == status.value)
        if project_id is not None:
            stmt = stmt.where(videos.c.project_id == project_id)
        if before_id is not None:
            stmt = stmt.where(videos.c.id < before_id)
        return [video_from_row(r) for r in self.conn.execute(stmt)]

    def count_by_project(self, owner_id: int) -> dict[int, int]:
        rows = self.conn.execute(select(videos.c.project_id, func.count()).where(
            videos.c.owner_id == owner_id, videos.c.project_id.is_not(None)).group_by(videos.c.project_id))
        return {project_id: count for project_id, count in rows}


class SqlProjects(ProjectRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, project: Project) -> Project:
        project.id = self.conn.execute(
            insert(projects).values(project_values(project)).returning(projects.c.id)).scalar_one()
        return project

    def get(self, project_id: int) -> Project | None:
        row = self.conn.execute(select(projects).where(projects.c.id == project_id)).first()
        return project_from_row(row) if row else None

    def save(self, project: Project) -> None:
        self.conn.execute(update(projects).where(projects.c.id == project.id).values(project_values(project)))

    def for_user(self, owner_id: int) -> list[Project]:
        rows = self.conn.execute(select(projects).where(projects.c.owner_id == owner_id)
                                    .order_by(projects.c.updated_at.desc(), projects.c.id.desc()))
        return [project_from_row(r) for r in rows]


class SqlCleanDownloads(CleanDownloadLog):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, record: CleanDownloadRecord) -> CleanDownloadRecord:
        values = {"user_id": record.user_id, "video_id": record.video_id, "client_ip": record.client_ip,
                  "created_at": record.created_at}
        new_id = self.conn.execute(insert(clean_downloads).values(values).returning(clean_downloads.c.id)).scalar_one()
        return attrs.evolve(record, id=new_id)

    def find(self, video_id: int | None, user_id: int | None, limit: int) -> list[CleanDownloadRecord]:
        stmt = select(clean_downloads).order_by(clean_downloads.c.id.desc()).limit(limit)
        if video_id is not None:
            stmt = stmt.where(clean_downloads.c.video_id == video_id)
        if user_id is not None:
            stmt = stmt.where(clean_downloads.c.user_id == user_id)
        return [CleanDownloadRecord(r.user_id, r.video_id, r.created_at, r.client_ip, r.id)
                for r in self.conn.execute(stmt)]
