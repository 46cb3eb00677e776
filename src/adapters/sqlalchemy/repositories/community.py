"""Works and the engagement around them. A feed page is one statement: works joined with their creators,
with the viewer's like/favorite flags as EXISTS subqueries on a unique index (no N+1)."""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, delete, exists, func, insert, literal, literal_column, or_, select, tuple_, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

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

from ..dialect import insert_for
from ..mappers import work_from_row, work_values
from ..models import DbDailyTask, DbReaction, DbTip, DbUser, DbWork, DbWorkShare

works = DbWork.__table__
reactions = DbReaction.__table__
tips = DbTip.__table__
shares = DbWorkShare.__table__
daily = DbDailyTask.__table__
users = DbUser.__table__
_COUNTERS = ("like_count", "favorite_count", "tip_count", "tip_total", "share_count", "views")
_INSERT_TIP = insert(tips).returning(tips.c.id)
_GET_WORK = select(works).where(works.c.id == bindparam("wid"))
# FOR NO KEY UPDATE, like an UPDATE of counters: it lets rows that reference the work (a tip, a reaction) be
# inserted meanwhile, where FOR UPDATE would block their foreign-key check and deadlock with them.
_LOCK_WORK = select(works).where(works.c.id == bindparam("wid")).with_for_update(key_share=True)
_HOT_INPUTS = {"like_count", "favorite_count", "tip_count", "share_count"}  # what the hot score is made of
_BUMPS: dict[tuple[str, ...], object] = {}  # counter updates, built once per combination of counters
_SETS: dict[tuple[str, ...], object] = {}  # counters and score written together, likewise
_ORDER = {"discover": (works.c.id,), "hot": (works.c.hot_score, works.c.id), "rank": (works.c.tip_total, works.c.id)}
# Passed works, with the value inlined rather than bound: PostgreSQL only uses a partial index (the feed's, see
# DbWork) for a predicate it can prove at planning time.
_VISIBLE = works.c.review_status == literal_column(f"'{ReviewStatus.PASSED.value}'")


def _visible_to(viewer_id: int | None):
    """What a viewer may see: passed works, and their own whatever their state."""
    return _VISIBLE if viewer_id is None else or_(_VISIBLE, works.c.creator_id == viewer_id)


def _flag(kind: str, viewer_id: int | None):
    if viewer_id is None:
        return literal(False)
    return exists().where(reactions.c.kind == kind, reactions.c.user_id == viewer_id,
                          reactions.c.work_id == works.c.id)


def _entries_query(viewer_id: int | None):
    return (select(works, users.c.nickname.label("creator_nickname"), users.c.avatar_url.label("creator_avatar"),
                   _flag("like", viewer_id).label("is_liked"), _flag("favorite", viewer_id).label("is_favorited"))
            .join(users, users.c.id == works.c.creator_id))


def _entry(row, favorited_at: datetime | None = None, favorite_id: int | None = None) -> FeedEntry:
    return FeedEntry(work_from_row(row), row.creator_nickname, row.creator_avatar, bool(row.is_liked),
                     bool(row.is_favorited), favorited_at, favorite_id)


class SqlWorks(WorkRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, work: Work) -> Work:
        work.hot_score = hot_score(0, 0, 0, 0, work.created_at)
        try:
            with self.conn.begin_nested():
                work.id = self.conn.execute(insert(works).values(work_values(work)).returning(works.c.id)).scalar_one()
        except IntegrityError as exc:
            raise DuplicateEntry(f"video {work.video_id}") from exc
        return work

    def get(self, work_id: int) -> Work | None:
        row = self.conn.execute(_GET_WORK, {"wid": work_id}).first()
        return work_from_row(row) if row else None

    def entry(self, work_id: int, viewer_id: int | None) -> FeedEntry | None:
        row = self.conn.execute(_entries_query(viewer_id).where(works.c.id == work_id)).first()
        return _entry(row) if row else None

    def feed(self, tab: str, viewer_id: int | None, after: tuple | None, limit: int) -> list[FeedEntry]:
        order = _ORDER[tab]
        stmt = _entries_query(viewer_id).where(_VISIBLE).order_by(*(c.desc() for c in order)).limit(limit)
        if after is not None:
            stmt = stmt.where(tuple_(*order) < tuple_(*after))
        return [_entry(r) for r in self.conn.execute(stmt)]

    def by_creator(self, creator_id: int, viewer_id: int | None, before_id: int | None,
                   limit: int) -> list[FeedEntry]:
        stmt = (_entries_query(viewer_id).where(works.c.creator_id == creator_id, _visible_to(viewer_id))
                .order_by(works.c.id.desc()).limit(limit))
        if before_id is not None:
            stmt = stmt.where(works.c.id < before_id)
        return [_entry(r) for r in self.conn.execute(stmt)]

    def favorites_of(self, user_id: int, before: tuple | None, limit: int) -> list[FeedEntry]:
        fav = reactions.alias("fav")
        stmt = (_entries_query(user_id).add_columns(fav.c.id.label("favorite_id"), fav.c.created_at.label("fav_at"))
                .join(fav, and_(fav.c.work_id == works.c.id, fav.c.kind == "favorite", fav.c.user_id == user_id))
                .where(_visible_to(user_id)).order_by(fav.c.id.desc()).limit(limit))
        if before is not None:
            stmt = stmt.where(fav.c.id < before[0])
        return [_entry(r, r.fav_at, r.favorite_id) for r in self.conn.execute(stmt)]

    def bump(self, work_id: int, **deltas: int) -> Work:
        names = tuple(sorted(n for n in deltas if n in _COUNTERS))
        if not set(names) & _HOT_INPUTS:  # views, tip totals: the score stays, one statement
            stmt = _BUMPS.get(names)
            if stmt is None:
                stmt = _BUMPS[names] = (update(works).where(works.c.id == bindparam("wid"))
                                        .values({n: getattr(works.c, n) + bindparam(f"d_{n}") for n in names})
                                        .returning(*works.c))
            params = {"wid": work_id, **{f"d_{n}": deltas[n] for n in names}}
            return work_from_row(self.conn.execute(stmt, params).one())
        # Lock the row, then write the counters and the score in one UPDATE. (Updating the row twice would make
        # PostgreSQL re-check its foreign keys — a KEY SHARE lock on the video behind the wallets this
        # transaction holds, which deadlocks with a clean download of that video.)
        row = self.conn.execute(_LOCK_WORK, {"wid": work_id}).one()
        values = {n: getattr(row, n) + deltas[n] for n in names}
        work = work_from_row(SimpleNamespace(**{**row._mapping, **values}))
        e = work.engagement
        work.hot_score = hot_score(e.like_count, e.favorite_count, e.tip_count, e.share_count, work.created_at)
        stmt = _SETS.get(names)
        if stmt is None:
            stmt = _SETS[names] = (update(works).where(works.c.id == bindparam("wid"))
                                   .values({**{n: bindparam(f"v_{n}") for n in names}, "hot_score": bindparam("hot")}))
        self.conn.execute(stmt, {"wid": work_id, "hot": work.hot_score, **{f"v_{n}": v for n, v in values.items()}})
        return work

    def set_review(self, work_id: int, status: ReviewStatus, note: str) -> None:
        self.conn.execute(update(works).where(works.c.id == work_id).values(review_status=status.value,
                                                                            review_note=note[:500]))

    def set_files(self, work_id: int, play_key: str, cover_key: str) -> None:
        self.conn.execute(update(works).where(works.c.id == work_id).values(play_key=play_key, cover_key=cover_key))

    def count_liked_by(self, user_id: int) -> int:
        return self._count("like", user_id)

    def count_favorited_by(self, user_id: int) -> int:
        return self._count("favorite", user_id)

    def _count(self, kind: str, user_id: int) -> int:
        return int(self.conn.execute(select(func.count()).select_from(reactions).where(
            reactions.c.kind == kind, reactions.c.user_id == user_id)).scalar_one())


class SqlReactions(ReactionRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, kind: str, user_id: int, work_id: int, now: datetime) -> bool:
        stmt = (insert_for(self.conn, reactions).values(kind=kind, user_id=user_id, work_id=work_id, created_at=now)
                .on_conflict_do_nothing().returning(reactions.c.id))
        return self.conn.execute(stmt).first() is not None

    def remove(self, kind: str, user_id: int, work_id: int) -> bool:
        stmt = (delete(reactions).where(reactions.c.kind == kind, reactions.c.user_id == user_id,
                                        reactions.c.work_id == work_id).returning(reactions.c.id))
        return self.conn.execute(stmt).first() is not None

    def has(self, kind: str, user_id: int, work_id: int) -> bool:
        return bool(self.conn.execute(select(exists().where(
            reactions.c.kind == kind, reactions.c.user_id == user_id, reactions.c.work_id == work_id))).scalar())

    def flags(self, user_id: int, work_ids: list[int]) -> tuple[set[int], set[int]]:
        rows = self.conn.execute(select(reactions.c.kind, reactions.c.work_id).where(
            reactions.c.kind.in_(("like", "favorite")), reactions.c.user_id == user_id,
            reactions.c.work_id.in_(work_ids)))
        liked, favorited = set(), set()
        for kind, work_id in rows:
            (liked if kind == "like" else favorited).add(work_id)
        return liked, favorited


class SqlShares(ShareRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, user_id: int, work_id: int, day: date, now: datetime) -> bool:
        stmt = (insert_for(self.conn, shares).values(work_id=work_id, user_id=user_id, day=day, created_at=now)
                .on_conflict_do_nothing().returning(shares.c.work_id))
        return self.conn.execute(stmt).first() is not None


class SqlTips(TipRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, work_id: int, from_user: int, to_user: int, amount: Credits, now: datetime) -> int:
        return self.conn.execute(_INSERT_TIP, {"work_id": work_id, "from_user_id": from_user, "to_user_id": to_user,
                                                  "amount": amount.minor, "created_at": now}).scalar_one()


class SqlDailyTasks(DailyTaskRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def complete(self, user_id: int, day: date, key: DailyTask, now: datetime) -> None:
        self.conn.execute(insert_for(self.conn, daily).values(
            user_id=user_id, day=day, task_key=key.value, completed_at=now).on_conflict_do_nothing())

    def states(self, user_id: int, day: date) -> dict[DailyTask, tuple[datetime | None, datetime | None]]:
        rows = self.conn.execute(select(daily).where(daily.c.user_id == user_id, daily.c.day == day))
        return {DailyTask(r.task_key): (r.completed_at, r.claimed_at) for r in rows}

    def claim(self, user_id: int, day: date, key: DailyTask, now: datetime) -> bool:
        stmt = (update(daily).where(daily.c.user_id == user_id, daily.c.day == day, daily.c.task_key == key.value,
                                    daily.c.claimed_at.is_(None)).values(claimed_at=now).returning(daily.c.user_id))
        return self.conn.execute(stmt).first() is not None


class SqlRankings(RankingRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def creators_by_tips(self, limit: int) -> list[tuple[int, str, str | None, int, int]]:
        rows = self.conn.execute(
            select(users.c.id, users.c.nickname, users.c.avatar_url, users.c.tips_received_credits,
                   users.c.followers_count).where(users.c.tips_received_credits > 0)
            .order_by(users.c.tips_received_credits.desc(), users.c.id).limit(limit))
        return [tuple(r) for r in rows]



