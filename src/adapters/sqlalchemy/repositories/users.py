"""Users, their login identities, follows and the profile counters kept beside them."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import bindparam, delete, exists, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyriff_domain.model.user import Identity, IdentityKind, User, UserStats
from skyriff_domain.ports import FollowRepository, IdentityTaken, UserRepository

from ..dialect import insert_for
from ..mappers import user_from_row, user_values
from ..models import DbFollow, DbIdentity, DbUser

users = DbUser.__table__
identities = DbIdentity.__table__
follows = DbFollow.__table__
_GET_USER = select(users).where(users.c.id == bindparam("uid"))  # every authenticated request: built once
_BUMPS: dict[tuple[str, ...], object] = {}


class SqlUsers(UserRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, user: User) -> User:
        try:
            with self.conn.begin_nested():
                user_id = self.conn.execute(insert(users).values(user_values(user)).returning(users.c.id)).scalar_one()
        except IntegrityError as exc:  # the phone number is unique too
            raise IdentityTaken(user.masked_phone) from exc
        user.id = user_id
        return user

    def get(self, user_id: int) -> User | None:
        row = self.conn.execute(_GET_USER, {"uid": user_id}).first()
        return user_from_row(row) if row else None

    def get_many(self, user_ids: Iterable[int]) -> dict[int, User]:
        ids = list(set(user_ids))
        if not ids:
            return {}
        rows = self.conn.execute(select(users).where(users.c.id.in_(ids)))
        return {r.id: user_from_row(r) for r in rows}

    def find_by_identity(self, identity: Identity) -> User | None:
        row = self.conn.execute(
            select(users).join(identities, identities.c.user_id == users.c.id)
            .where(identities.c.kind == identity.kind.value, identities.c.key == identity.key)
        ).first()
        return user_from_row(row) if row else None

    def add_identity(self, user_id: int, identity: Identity, now: datetime) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(identities).values(
                    user_id=user_id, kind=identity.kind.value, key=identity.key, created_at=now))
        except IntegrityError as exc:
            raise IdentityTaken(identity.kind.value) from exc

    def identities(self, user_id: int) -> list[Identity]:
        rows = self.conn.execute(select(identities.c.kind, identities.c.key)
                                    .where(identities.c.user_id == user_id).order_by(identities.c.id))
        return [Identity(IdentityKind(r.kind), r.key) for r in rows]

    def find_by_referral_code(self, code: str) -> User | None:
        row = self.conn.execute(select(users).where(users.c.referral_code == code)).first()
        return user_from_row(row) if row else None

    def save(self, user: User) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(update(users).where(users.c.id == user.id).values(user_values(user)))
        except IntegrityError as exc:  # only the referral code can clash on an update
            raise IdentityTaken("referral_code") from exc

    def stats(self, user_id: int) -> UserStats:
        row = self.conn.execute(
            select(users.c.likes_received_count, users.c.followers_count, users.c.following_count,
                   users.c.works_count).where(users.c.id == user_id)
        ).first()
        return UserStats(*row) if row else UserStats()

    def bump(self, user_id: int, **deltas: int) -> None:
        names = tuple(sorted(deltas))
        stmt = _BUMPS.get(names)
        if stmt is None:
            stmt = _BUMPS[names] = update(users).where(users.c.id == bindparam("uid")).values(
                {n: getattr(users.c, n) + bindparam(f"d_{n}") for n in names})
        self.conn.execute(stmt, {"uid": user_id, **{f"d_{n}": deltas[n] for n in names}})


class SqlFollows(FollowRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def follow(self, follower_id: int, followee_id: int, now: datetime) -> bool:
        # The row and the counters change in one statement sequence; only an insert that really happened
        # moves the counters, so concurrent double taps cannot make them drift.
        stmt = insert_for(self.conn, follows).values(
            follower_id=follower_id, followee_id=followee_id, created_at=now
        ).on_conflict_do_nothing().returning(follows.c.follower_id)
        if self.conn.execute(stmt).first() is None:
            return False
        self._count(follower_id, followee_id, +1)
        return True

    def unfollow(self, follower_id: int, followee_id: int) -> bool:
        stmt = (delete(follows).where(follows.c.follower_id == follower_id, follows.c.followee_id == followee_id)
                .returning(follows.c.follower_id))
        if self.conn.execute(stmt).first() is None:
            return False
        self._count(follower_id, followee_id, -1)
        return True

    def _count(self, follower_id: int, followee_id: int, delta: int) -> None:
        self.conn.execute(update(users).where(users.c.id == follower_id)
                             .values(following_count=users.c.following_count + delta))
        self.conn.execute(update(users).where(users.c.id == followee_id)
                             .values(followers_count=users.c.followers_count + delta))

    def is_following(self, follower_id: int, followee_id: int) -> bool:
        return bool(self.conn.execute(select(exists().where(
            follows.c.follower_id == follower_id, follows.c.followee_id == followee_id))).scalar())
