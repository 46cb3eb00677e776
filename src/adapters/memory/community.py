"""In-memory works, reactions, tips, daily tasks and rankings (the unit of work's lock makes them atomic)."""
from __future__ import annotations

import copy
from datetime import date, datetime

import attrs

from skyriff_domain.model.moderation import ReviewStatus
from skyriff_domain.model.task_center import DailyTask
from skyriff_domain.model.work import FeedEntry, Work, hot_score
from skyriff_domain.money import Credits
from skyriff_domain.ports import (
    DailyTaskRepository,
    DuplicateEntry,
    RankingRepository,
    ReactionRepository,
    ShareRepository,
    TipRepository,
    WorkRepository,
)

from .database import MemoryDatabase

_copy = copy.deepcopy
_SORT = {
    "discover": lambda w: (w.id,),
    "hot": lambda w: (w.hot_score, w.id),
    "rank": lambda w: (w.engagement.tip_total.minor, w.id),
}


class MemoryWorks(WorkRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, Work]:
        return self.db.state.works

    def add(self, work: Work) -> Work:
        if any(w.video_id == work.video_id for w in self._rows.values()):
            raise DuplicateEntry(f"video {work.video_id}")
        work = _copy(work)
        work.id = self.db.next_id("works")
        work.hot_score = hot_score(0, 0, 0, 0, work.created_at)
        self._rows[work.id] = _copy(work)
        return work

    def get(self, work_id: int) -> Work | None:
        return _copy(self._rows.get(work_id))

    def _entry(self, work: Work, viewer_id: int | None, favorited_at: datetime | None = None) -> FeedEntry:
        creator = self.db.state.users[work.creator_id]
        reactions = self.db.state.reactions
        return FeedEntry(_copy(work), creator.nickname, creator.avatar_url,
                         viewer_id is not None and ("like", viewer_id, work.id) in reactions,
                         viewer_id is not None and ("favorite", viewer_id, work.id) in reactions, favorited_at)

    def entry(self, work_id: int, viewer_id: int | None) -> FeedEntry | None:
        work = self._rows.get(work_id)
        return self._entry(work, viewer_id) if work else None

    def feed(self, tab: str, viewer_id: int | None, after: tuple | None, limit: int) -> list[FeedEntry]:
        key = _SORT[tab]
        rows = sorted((w for w in self._rows.values() if w.review_status is ReviewStatus.PASSED), key=key,
                      reverse=True)
        if after is not None:
            rows = [w for w in rows if key(w) < tuple(after)]
        return [self._entry(w, viewer_id) for w in rows[:limit]]

    def by_creator(self, creator_id: int, viewer_id: int | None, before_id: int | None,
                   limit: int) -> list[FeedEntry]:
        rows = sorted((w for w in self._rows.values() if w.creator_id == creator_id and w.visible_to(viewer_id)
                       and (before_id is None or w.id < before_id)), key=lambda w: -w.id)
        return [self._entry(w, viewer_id) for w in rows[:limit]]

    def favorites_of(self, user_id: int, before: tuple | None, limit: int) -> list[FeedEntry]:
        favs = sorted(((row_id, at, work_id) for (kind, uid, work_id), (row_id, at) in self.db.state.reactions.items()
                       if kind == "favorite" and uid == user_id and (before is None or row_id < before[0])
                       and self._rows[work_id].visible_to(user_id)), reverse=True)
        return [attrs.evolve(self._entry(self._rows[w], user_id, at), favorite_id=row_id)
                for row_id, at, w in favs[:limit]]

    def bump(self, work_id: int, **deltas: int) -> Work:
        work = self._rows[work_id]
        e = work.engagement
        e = attrs.evolve(e, like_count=e.like_count + deltas.get("like_count", 0),
                         favorite_count=e.favorite_count + deltas.get("favorite_count", 0),
                         tip_count=e.tip_count + deltas.get("tip_count", 0),
                         tip_total=e.tip_total + Credits(deltas.get("tip_total", 0)),
                         share_count=e.share_count + deltas.get("share_count", 0),
                         views=e.views + deltas.get("views", 0))
        work.engagement = e
        work.hot_score = hot_score(e.like_count, e.favorite_count, e.tip_count, e.share_count, work.created_at)
        return _copy(work)

    def set_review(self, work_id: int, status: ReviewStatus, note: str) -> None:
        work = self._rows[work_id]
        work.review_status, work.review_note = status, note

    def set_files(self, work_id: int, play_key: str, cover_key: str) -> None:
        work = self._rows[work_id]
        work.play_key, work.cover_key = play_key, cover_key

    def count_liked_by(self, user_id: int) -> int:
        return sum(1 for (kind, uid, _) in self.db.state.reactions if kind == "like" and uid == user_id)

    def count_favorited_by(self, user_id: int) -> int:
        return sum(1 for (kind, uid, _) in self.db.state.reactions if kind == "favorite" and uid == user_id)


class MemoryReactions(ReactionRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, kind: str, user_id: int, work_id: int, now: datetime) -> bool:
        key = (kind, user_id, work_id)
        if key in self.db.state.reactions:
            return False
        self.db.state.reactions[key] = (self.db.next_id("reactions"), now)
        return True

    def remove(self, kind: str, user_id: int, work_id: int) -> bool:
        return self.db.state.reactions.pop((kind, user_id, work_id), None) is not None

    def has(self, kind: str, user_id: int, work_id: int) -> bool:
        return (kind, user_id, work_id) in self.db.state.reactions

    def flags(self, user_id: int, work_ids: list[int]) -> tuple[set[int], set[int]]:
        return ({w for w in work_ids if ("like", user_id, w) in self.db.state.reactions},
                {w for w in work_ids if ("favorite", user_id, w) in self.db.state.reactions})


class MemoryShares(ShareRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, user_id: int, work_id: int, day: date, now: datetime) -> bool:
        if (user_id, work_id, day) in self.db.state.shares:
            return False
        self.db.state.shares[(user_id, work_id, day)] = now
        return True


class MemoryTips(TipRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, work_id: int, from_user: int, to_user: int, amount: Credits, now: datetime) -> int:
        tip_id = self.db.next_id("tips")
        self.db.state.tips.append((tip_id, work_id, from_user, to_user, amount.minor, now))
        return tip_id


class MemoryDailyTasks(DailyTaskRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def complete(self, user_id: int, day: date, key: DailyTask, now: datetime) -> None:
        self.db.state.daily_tasks.setdefault((user_id, day, key), [now, None])

    def states(self, user_id: int, day: date) -> dict[DailyTask, tuple[datetime | None, datetime | None]]:
        return {k: tuple(v) for (u, d, k), v in self.db.state.daily_tasks.items() if u == user_id and d == day}

    def claim(self, user_id: int, day: date, key: DailyTask, now: datetime) -> bool:
        row = self.db.state.daily_tasks.get((user_id, day, key))
        if row is None or row[1] is not None:
            return False
        row[1] = now
        return True


class MemoryRankings(RankingRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def creators_by_tips(self, limit: int) -> list[tuple[int, str, str | None, int, int]]:
        counters = self.db.state.counters
        tipped = [(u.id, u.nickname, u.avatar_url, counters[u.id]["tips_received_credits"],
                   counters[u.id]["followers_count"]) for u in self.db.state.users.values()
                  if counters[u.id]["tips_received_credits"] > 0]
        return sorted(tipped, key=lambda r: (-r[3], r[0]))[:limit]
