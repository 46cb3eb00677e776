"""In-memory tasks, videos, projects and the clean-download log (the unit of work's lock makes claims and
CAS atomic)."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta

import attrs

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

from .database import MemoryDatabase

_copy = copy.deepcopy


class MemoryTasks(TaskRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, GenerationTask]:
        return self.db.state.tasks

    def add(self, task: GenerationTask) -> GenerationTask:
        task = _copy(task)
        task.id = self.db.next_id("tasks")
        self._rows[task.id] = _copy(task)
        return task

    def get(self, task_id: int) -> GenerationTask | None:
        return _copy(self._rows.get(task_id))

    def compare_and_set(self, task: GenerationTask, expected: TaskStatus) -> bool:
        stored = self._rows.get(task.id)
        if stored is None or stored.status is not expected:
            return False
        claimed = self.db.state.submit_claims.get(task.id)
        self._rows[task.id] = _copy(task)
        if claimed:
            self.db.state.submit_claims[task.id] = claimed
        return True

    def count_unfinished(self, user_id: int) -> int:
        return sum(1 for t in self._rows.values() if t.user_id == user_id and t.status in UNFINISHED)

    def page_for_user(self, user_id: int, status: TaskStatus | None, before_id: int | None,
                      limit: int) -> list[GenerationTask]:
        rows = sorted((t for t in self._rows.values() if t.user_id == user_id
                       and (status is None or t.status is status) and (before_id is None or t.id < before_id)),
                      key=lambda t: -t.id)
        return _copy(rows[:limit])

    def claim_for_submit(self, now: datetime, limit: int) -> list[GenerationTask]:
        claims = self.db.state.submit_claims
        rows = [t for t in sorted(self._rows.values(), key=lambda t: t.id)
                if t.status is TaskStatus.NOT_START and t.id not in claims][:limit]
        for t in rows:
            claims[t.id] = now
        return _copy(rows)

    def claim_due(self, now: datetime, lease: timedelta, limit: int,
                  task_id: int | None = None) -> list[GenerationTask]:
        rows = [t for t in sorted(self._rows.values(), key=lambda t: t.id)
                if t.status in (TaskStatus.QUEUED, TaskStatus.IN_PROGRESS) and (task_id is None or t.id == task_id)
                and t.next_poll_at is not None and t.next_poll_at <= now][:limit]
        for t in rows:
            t.next_poll_at = now + lease
        return _copy(rows)

    def make_due(self, provider: str, upstream_id: str, now: datetime) -> int | None:
        for t in self._rows.values():
            if t.provider == provider and t.upstream_id == upstream_id and t.status in UNFINISHED:
                t.next_poll_at = now
                return t.id
        return None

    def overdue(self, created_before: datetime, limit: int) -> list[GenerationTask]:
        rows = [t for t in sorted(self._rows.values(), key=lambda t: t.id)
                if t.status in UNFINISHED and t.created_at < created_before]
        return _copy(rows[:limit])


    def refunded_remix_fee_cost(self, finished_after: datetime | None = None) -> Cny:
        return sum((t.remix_fee_cost_cny for t in self._rows.values() if t.refunded and (
            finished_after is None or (t.finished_at and t.finished_at > finished_after))), Cny(0))


class MemoryVideos(VideoRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, video: VideoAsset) -> VideoAsset:
        if any(v.task_id == video.task_id for v in self.db.state.videos.values()):
            raise DuplicateEntry(f"video of task {video.task_id}")
        video = _copy(video)
        video.id = self.db.next_id("videos")
        self.db.state.videos[video.id] = _copy(video)
        return video

    def get(self, video_id: int) -> VideoAsset | None:
        return _copy(self.db.state.videos.get(video_id))

    get_for_update = get

    def save(self, video: VideoAsset) -> None:
        self.db.state.videos[video.id] = _copy(video)

    def page_for_user(self, owner_id: int, project_id: int | None, before_id: int | None,
                      limit: int, status: PublishStatus | None = None) -> list[VideoAsset]:
        rows = sorted((v for v in self.db.state.videos.values() if v.owner_id == owner_id
                       and (project_id is None or v.project_id == project_id)
                       and (status is None or v.publish_status is status)
                       and (before_id is None or v.id < before_id)), key=lambda v: -v.id)
        return _copy(rows[:limit])

    def count_by_project(self, owner_id: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for v in self.db.state.videos.values():
            if v.owner_id == owner_id and v.project_id is not None:
                counts[v.project_id] = counts.get(v.project_id, 0) + 1
        return counts


class MemoryProjects(ProjectRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, project: Project) -> Project:
        project = _copy(project)
        project.id = self.db.next_id("projects")
        self.db.state.projects[project.id] = _copy(project)
        return project

    def get(self, project_id: int) -> Project | None:
        return _copy(self.db.state.projects.get(project_id))

    def save(self, project: Project) -> None:
        self.db.state.projects[project.id] = _copy(project)

    def for_user(self, owner_id: int) -> list[Project]:
        rows = sorted((p for p in self.db.state.projects.values() if p.owner_id == owner_id),
                      key=lambda p: (p.updated_at, p.id), reverse=True)
        return _copy(rows)


class MemoryCleanDownloads(CleanDownloadLog):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, record: CleanDownloadRecord) -> CleanDownloadRecord:
        record = attrs.evolve(record, id=self.db.next_id("clean_downloads"))
        self.db.state.clean_downloads.append(record)
        return record

    def find(self, video_id: int | None, user_id: int | None, limit: int) -> list[CleanDownloadRecord]:
        rows = [r for r in reversed(self.db.state.clean_downloads)
                if (video_id is None or r.video_id == video_id) and (user_id is None or r.user_id == user_id)]
        return rows[:limit]
