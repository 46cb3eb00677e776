"""Repository ports of the community: works with their counters, likes, favorites, tips, unlocks, the
daily task center and rankings. Counters move in the same statement sequence as the rows they count."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime

from ..model.moderation import ReviewStatus
from ..model.task_center import DailyTask
from ..model.work import FeedEntry, Work
from ..money import Credits


class WorkRepository(ABC):
    @abstractmethod
    def add(self, work: Work) -> Work:
        """Raises DuplicateEntry if the video was published already."""

    @abstractmethod
    def get(self, work_id: int) -> Work | None: ...

    @abstractmethod
    def entry(self, work_id: int, viewer_id: int | None) -> FeedEntry | None:
        """One work with its creator and the viewer's like/favorite flags."""

    @abstractmethod
    def feed(self, tab: str, viewer_id: int | None, after: tuple | None, limit: int) -> list[FeedEntry]:
        """discover: newest first (after = (id,)); hot: by hot score (after = (score, id)); rank: by credits
        tipped (after = (tip_total, id)). Passed works only (see ReviewStatus). A fixed number of statements,
        whatever the page size."""

    @abstractmethod
    def by_creator(self, creator_id: int, viewer_id: int | None, before_id: int | None,
                   limit: int) -> list[FeedEntry]:
        """Newest first; works in review or taken down only when the viewer is their creator."""

    @abstractmethod
    def favorites_of(self, user_id: int, before: tuple | None, limit: int) -> list[FeedEntry]:
        """Newest favorite first; before = (favorite row id,). Works others may not see are left out, unless
        they are the user's own."""

    @abstractmethod
    def set_review(self, work_id: int, status: ReviewStatus, note: str) -> None:
        """Where the work stands with moderation, and the note its creator sees."""

    @abstractmethod
    def set_files(self, work_id: int, play_key: str, cover_key: str) -> None:
        """The storage keys the work serves (moved when a takedown withholds them)."""

    @abstractmethod
    def bump(self, work_id: int, **deltas: int) -> Work:
        """Add to counters (like_count, favorite_count, tip_count, tip_total, share_count, views), refresh
        the hot score, and return the work as it now stands (row locked until commit)."""

    @abstractmethod
    def count_liked_by(self, user_id: int) -> int: ...

    @abstractmethod
    def count_favorited_by(self, user_id: int) -> int: ...


class ReactionRepository(ABC):
    """Likes, favorites and prompt unlocks: one row per (user, work), added or removed idempotently."""

    @abstractmethod
    def add(self, kind: str, user_id: int, work_id: int, now: datetime) -> bool:
        """kind: like | favorite | unlock. True if a row was added (False: it existed)."""

    @abstractmethod
    def remove(self, kind: str, user_id: int, work_id: int) -> bool: ...

    @abstractmethod
    def has(self, kind: str, user_id: int, work_id: int) -> bool: ...

    @abstractmethod
    def flags(self, user_id: int, work_ids: list[int]) -> tuple[set[int], set[int]]:
        """Of these works, the ones the user liked and the ones they favorited (one query)."""


class ReactionFlags(ABC):
    """What one viewer liked and favorited among a page of works, read outside any unit of work: every logged-in
    feed request asks, so adapters answer with the cheapest read of the truth (never a copy that can lag)."""

    @abstractmethod
    def flags(self, user_id: int, work_ids: list[int]) -> tuple[set[int], set[int]]:
        """(liked, favorited) subsets of `work_ids`."""


class ShareRepository(ABC):
    """Shares that count: one per (user, work, business day)."""

    @abstractmethod
    def add(self, user_id: int, work_id: int, day: date, now: datetime) -> bool:
        """True if this is the user's first share of the work that day (a row was added)."""


class TipRepository(ABC):
    @abstractmethod
    def add(self, work_id: int, from_user: int, to_user: int, amount: Credits, now: datetime) -> int: ...


class DailyTaskRepository(ABC):
    @abstractmethod
    def complete(self, user_id: int, day: date, key: DailyTask, now: datetime) -> None:
        """Idempotent."""

    @abstractmethod
    def states(self, user_id: int, day: date) -> dict[DailyTask, tuple[datetime | None, datetime | None]]:
        """key → (completed_at, claimed_at) for the tasks with a row that day."""

    @abstractmethod
    def claim(self, user_id: int, day: date, key: DailyTask, now: datetime) -> bool:
        """Mark claimed if completed and not claimed yet (atomic); False otherwise."""


class RankingRepository(ABC):
    @abstractmethod
    def creators_by_tips(self, limit: int) -> list[tuple[int, str, str | None, int, int]]:
        """(user_id, nickname, avatar_url, credits tipped to them, followers) for creators tipped at all."""
