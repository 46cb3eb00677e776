"""Repository ports of the creation pipeline: tasks (with compare-and-swap and claims), videos, projects."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime, timedelta

from ..model.generation import GenerationTask, TaskStatus
from ..model.media import CleanDownloadRecord, Project, PublishStatus, VideoAsset
from ..money import Cny


class TaskRepository(ABC):
    @abstractmethod
    def add(self, task: GenerationTask) -> GenerationTask: ...

    @abstractmethod
    def get(self, task_id: int) -> GenerationTask | None: ...

    @abstractmethod
    def compare_and_set(self, task: GenerationTask, expected: TaskStatus) -> bool:
        """Write the task only if its stored status is still `expected` (UPDATE … WHERE id = ? AND status = ?).
        Returns whether this caller won; a loser must not refund or store anything."""

    @abstractmethod
    def count_unfinished(self, user_id: int) -> int: ...

    @abstractmethod
    def page_for_user(self, user_id: int, status: TaskStatus | None, before_id: int | None,
                      limit: int) -> list[GenerationTask]:
        """Newest first."""

    @abstractmethod
    def claim_for_submit(self, now: datetime, limit: int) -> list[GenerationTask]:
        """NOT_START tasks nobody claimed yet, marked claimed: each is submitted by one worker, once.
        (A claim is never retried: a worker that died mid-submit leaves a fate unknown; the sweep fails it.)"""

    @abstractmethod
    def claim_due(self, now: datetime, lease: timedelta, limit: int,
                  task_id: int | None = None) -> list[GenerationTask]:
        """QUEUED / IN_PROGRESS tasks whose next poll is due (optionally one task), pushed `lease` ahead so
        other workers skip them."""

    @abstractmethod
    def make_due(self, provider: str, upstream_id: str, now: datetime) -> int | None:
        """Bring the next poll of an unfinished task forward to `now`; returns its id (None if unknown)."""

    @abstractmethod
    def overdue(self, created_before: datetime, limit: int) -> list[GenerationTask]:
        """Unfinished tasks created before a time (the timeout sweep)."""

    @abstractmethod
    def refunded_remix_fee_cost(self, finished_after: datetime | None = None) -> Cny:
        """Σ of the remix-fee cost that refunds of failed remixes gave back (the audit's view)."""


class VideoRepository(ABC):
    @abstractmethod
    def add(self, video: VideoAsset) -> VideoAsset:
        """Raises DuplicateEntry if the task already has its video (another worker stored it first)."""

    @abstractmethod
    def get(self, video_id: int) -> VideoAsset | None: ...

    @abstractmethod
    def get_for_update(self, video_id: int) -> VideoAsset | None: ...

    @abstractmethod
    def save(self, video: VideoAsset) -> None: ...

    @abstractmethod
    def page_for_user(self, owner_id: int, project_id: int | None, before_id: int | None,
                      limit: int, status: PublishStatus | None = None) -> list[VideoAsset]:
        """Newest first; optionally only drafts or only published ones."""

    @abstractmethod
    def count_by_project(self, owner_id: int) -> dict[int, int]: ...


class ProjectRepository(ABC):
    @abstractmethod
    def add(self, project: Project) -> Project: ...

    @abstractmethod
    def get(self, project_id: int) -> Project | None: ...

    @abstractmethod
    def save(self, project: Project) -> None: ...

    @abstractmethod
    def for_user(self, owner_id: int) -> list[Project]:
        """Most recently updated first."""


class CleanDownloadLog(ABC):
    """Who took a watermark-free copy of which video, when and from where; append-only."""

    @abstractmethod
    def add(self, record: CleanDownloadRecord) -> CleanDownloadRecord: ...

    @abstractmethod
    def find(self, video_id: int | None, user_id: int | None, limit: int) -> list[CleanDownloadRecord]:
        """Newest first, optionally of one video and/or one user."""
