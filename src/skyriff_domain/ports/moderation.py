"""Ports of moderation: the content moderator, frame sampling, and the repositories of cases, reports,
appeals and sanctions."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path

from ..model.moderation import CaseStatus, Decision, ModerationCase
from ..model.report import Appeal, AppealStatus, Report, ReportStatus
from ..model.sanction import Sanction


class ModerationUnavailable(Exception):
    """The moderator could not decide (network, authentication, rate limit, an answer we cannot read). The
    message is for logs; what it means for the content is the policy's `on_error`."""


class ContentModerator(ABC):
    name: str

    @abstractmethod
    def text(self, kind: str, text: str) -> Decision:
        """Check one text; `kind` says what it is (prompt, title, description, nickname, bio).

        Raises ModerationUnavailable when no decision could be had."""

    @abstractmethod
    def image(self, data: bytes) -> Decision:
        """Check one image (PNG, JPEG or WebP bytes). Raises ModerationUnavailable likewise."""


class FrameSampler(ABC):
    @abstractmethod
    def sample(self, mp4: Path, interval_seconds: float, max_frames: int) -> list[bytes]:
        """JPEG frames of the video, one per `interval_seconds` from the start, at most `max_frames`; at least
        one for any video with a picture. Raises BrokenVideo when the file cannot be read."""


class CaseRepository(ABC):
    @abstractmethod
    def add(self, case: ModerationCase) -> ModerationCase:
        """Raises DuplicateEntry if the work already has an open case (one open case per work)."""

    @abstractmethod
    def get(self, case_id: int) -> ModerationCase | None: ...

    @abstractmethod
    def get_for_update(self, case_id: int) -> ModerationCase | None:
        """Load and lock the case until the unit of work ends (two operators deciding at once)."""

    @abstractmethod
    def save(self, case: ModerationCase) -> None: ...

    @abstractmethod
    def open_for_work(self, work_id: int) -> ModerationCase | None: ...

    @abstractmethod
    def for_content(self, task_id: int | None, video_id: int | None) -> list[ModerationCase]:
        """Every case about a task or its video (open or decided), oldest first."""

    @abstractmethod
    def latest_for_work(self, work_id: int, status: CaseStatus) -> ModerationCase | None: ...

    @abstractmethod
    def queue(self, limit: int) -> list[ModerationCase]:
        """Open cases, the longest waiting first."""


class ReportRepository(ABC):
    @abstractmethod
    def add(self, report: Report) -> Report:
        """Raises DuplicateEntry if the reporter has an open report on the work already."""

    @abstractmethod
    def open_by(self, reporter_id: int, work_id: int) -> Report | None: ...

    @abstractmethod
    def page_for_user(self, reporter_id: int, before_id: int | None, limit: int) -> list[Report]:
        """Newest first."""

    @abstractmethod
    def count_since(self, reporter_id: int, since: datetime) -> int: ...

    @abstractmethod
    def resolve_open(self, work_id: int, status: ReportStatus, now: datetime) -> int:
        """Close every open report on the work with `status`; returns how many."""

    @abstractmethod
    def open_reasons(self, case_ids: list[int]) -> dict[int, dict[str, int]]:
        """case id → reason → open reports, for the queue (one query)."""


class AppealRepository(ABC):
    @abstractmethod
    def add(self, appeal: Appeal) -> Appeal:
        """Raises DuplicateEntry if the takedown (`case_id`) has been appealed already."""

    @abstractmethod
    def get_for_update(self, appeal_id: int) -> Appeal | None: ...

    @abstractmethod
    def for_case(self, case_id: int) -> Appeal | None: ...

    @abstractmethod
    def save(self, appeal: Appeal) -> None: ...

    @abstractmethod
    def page(self, status: AppealStatus | None, limit: int) -> list[Appeal]:
        """Oldest first."""


class SanctionRepository(ABC):
    @abstractmethod
    def add(self, sanction: Sanction) -> Sanction: ...

    @abstractmethod
    def suspended_until(self, user_id: int, now: datetime) -> datetime | None:
        """The end of the user's suspension running at `now` (the latest, if several), or None."""

    @abstractmethod
    def for_user(self, user_id: int) -> list[Sanction]:
        """Oldest first."""
