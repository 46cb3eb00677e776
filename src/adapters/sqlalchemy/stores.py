"""SMS codes, OAuth states, rate counters, worker leases and idempotency keys in the database (the embedded
default; Redis adapters can replace some for a fleet). Each call is its own short transaction."""
from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, delete, select, update
from sqlalchemy.orm import sessionmaker

from skyriff_domain.model.auth import Attempt, SmsChallenge, WeChatPlatform
from skyriff_domain.ports import (
    IdempotencyRecord,
    IdempotencyStore,
    Leases,
    OAuthStateStore,
    RateLimiter,
    SmsCodeStore,
)

from .dialect import insert_for
from .models import DbIdempotencyKey, DbOAuthState, DbRateCounter, DbSmsCode

codes = DbSmsCode.__table__
states = DbOAuthState.__table__
counters = DbRateCounter.__table__
KEY_MAX = counters.c.key.type.length
idem = DbIdempotencyKey.__table__


class _Store:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine)

    def _tx(self):
        """A session in a transaction that commits on success and closes either way."""
        return self._sessions.begin()


class SqlSmsCodes(_Store, SmsCodeStore):
    def put(self, challenge: SmsChallenge) -> None:
        with self._tx() as s:
            values = {"code_hash": challenge.code_hash, "expires_at": challenge.expires_at, "attempts": 0}
            s.execute(insert_for(s, codes).values(phone=challenge.phone, **values)
                      .on_conflict_do_update(index_elements=["phone"], set_=values))

    def get(self, phone: str) -> SmsChallenge | None:
        with self._tx() as s:
            row = s.execute(select(codes).where(codes.c.phone == phone)).first()
        return SmsChallenge(row.phone, row.code_hash, row.expires_at, row.attempts) if row else None

    def add(self, challenge: SmsChallenge, now: datetime) -> bool:
        with self._tx() as s:
            # Insert, or take over an expired row; a live code (even one out of tries) is left alone.
            values = {"code_hash": challenge.code_hash, "expires_at": challenge.expires_at, "attempts": 0}
            stmt = (insert_for(s, codes).values(phone=challenge.phone, **values)
                    .on_conflict_do_update(index_elements=["phone"], set_=values, where=codes.c.expires_at <= now)
                    .returning(codes.c.phone))
            return s.execute(stmt).first() is not None

    def attempt(self, phone: str, code_hash: str, now: datetime, max_attempts: int) -> Attempt:
        with self._tx() as s:
            # The conditional UPDATE takes the row lock and counts the try before anything is compared: a
            # concurrent try waits for it and re-checks `attempts` (PostgreSQL re-evaluates the WHERE on the
            # row it waited for; SQLite serializes writers), so at most `max_attempts` tries get compared.
            row = s.execute(update(codes).where(
                codes.c.phone == phone, codes.c.expires_at > now, codes.c.attempts < max_attempts)
                .values(attempts=codes.c.attempts + 1).returning(codes.c.code_hash)).first()
            if row is None:
                return Attempt.REFUSED
            if not hmac.compare_digest(row.code_hash, code_hash):
                return Attempt.WRONG
            s.execute(delete(codes).where(codes.c.phone == phone))
            return Attempt.MATCHED

    def delete(self, phone: str) -> None:
        with self._tx() as s:
            s.execute(delete(codes).where(codes.c.phone == phone))

    def purge(self, now: datetime) -> int:
        with self._tx() as s:
            return len(s.execute(delete(codes).where(codes.c.expires_at <= now).returning(codes.c.phone)).all())


class SqlOAuthStates(_Store, OAuthStateStore):
    def put(self, state: str, platform: WeChatPlatform, expires_at: datetime) -> None:
        with self._tx() as s:
            s.execute(states.insert().values(state=state, platform=platform.value, expires_at=expires_at))

    def take(self, state: str, now: datetime) -> WeChatPlatform | None:
        with self._tx() as s:
            row = s.execute(delete(states).where(states.c.state == state)
                                     .returning(states.c.platform, states.c.expires_at)).first()
            s.execute(delete(states).where(states.c.expires_at <= now))  # sweep the abandoned ones
        if row is None or row.expires_at <= now:
            return None
        return WeChatPlatform(row.platform)


def _fitting(key: str) -> str:
    """A counter key that fits its column: keys carry caller-supplied parts (an IP, a webhook id), and an
    over-long one is replaced by its hash rather than failing the insert."""
    return key if len(key) <= KEY_MAX else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class SqlRateLimiter(_Store, RateLimiter):
    def hit(self, key: str, until: datetime, now: datetime) -> int:
        key = _fitting(key)
        with self._tx() as s:
            # An expired row (its window has passed) starts counting again from one.
            restart = counters.c.expires_at <= now
            stmt = (insert_for(s, counters).values(key=key, count=1, expires_at=until)
                    .on_conflict_do_update(index_elements=["key"], set_={
                        "count": case((restart, 1), else_=counters.c.count + 1),
                        "expires_at": case((restart, until), else_=counters.c.expires_at)})
                    .returning(counters.c.count))
            return s.execute(stmt).scalar_one()

    def cooldown(self, key: str, period: timedelta, now: datetime) -> int:
        with self._tx() as s:
            ck = _fitting(f"cooldown:{key}")
            # Insert, or take over a row whose cooldown has ended; a running cooldown is left alone.
            stmt = (insert_for(s, counters).values(key=ck, count=1, expires_at=now + period)
                    .on_conflict_do_update(index_elements=["key"], set_={"expires_at": now + period, "count": 1},
                                           where=counters.c.expires_at <= now)
                    .returning(counters.c.key))
            if s.execute(stmt).first() is not None:
                return 0
            until = s.execute(select(counters.c.expires_at).where(counters.c.key == ck)).scalar_one()
        return max(1, math.ceil((until - now).total_seconds()))

    def purge(self, now: datetime) -> int:
        with self._tx() as s:
            return len(s.execute(delete(counters).where(counters.c.expires_at <= now).returning(counters.c.key)).all())


class SqlLeases(_Store, Leases):
    """Leases as rows of the rate_counters table (key "lease:<name>", count = the holder's token): the same
    shape — a key, an integer, an expiry after which the row is dead — so no table of their own."""

    PREFIX = "lease:"

    def take(self, name: str, holder: int, until: datetime, now: datetime, previous: int | None = None) -> bool:
        free = counters.c.expires_at <= now
        with self._tx() as s:
            # One conditional upsert: of two takers only one sees the row free (or held by `previous`).
            stmt = (insert_for(s, counters).values(key=self.PREFIX + name, count=holder, expires_at=until)
                    .on_conflict_do_update(index_elements=["key"], set_={"count": holder, "expires_at": until},
                                           where=free if previous is None else free | (counters.c.count == previous))
                    .returning(counters.c.key))
            return s.execute(stmt).first() is not None

    def purge(self, now: datetime) -> int:
        with self._tx() as s:
            return len(s.execute(delete(counters).where(counters.c.key.startswith(self.PREFIX),
                                                        counters.c.expires_at <= now).returning(counters.c.key)).all())


class SqlIdempotencyStore(_Store, IdempotencyStore):
    def claim(self, scope: str, key: str, fingerprint: str, now: datetime,
              lease: timedelta) -> IdempotencyRecord | None:
        with self._tx() as s:
            fresh = {"fingerprint": fingerprint, "status": None, "body": None, "created_at": now,
                     "expires_at": now + lease}
            # The primary key decides who claims a key first; an expired record (an answer past its ttl, a
            # claim past its lease) is taken over in place, by one claimer only: the WHERE is re-checked.
            stmt = (insert_for(s, idem).values(scope=scope, key=key, **fresh)
                    .on_conflict_do_update(index_elements=["scope", "key"], set_=fresh,
                                           where=idem.c.expires_at <= now)
                    .returning(idem.c.key))
            if s.execute(stmt).first() is not None:
                return None
            row = s.execute(select(idem).where(idem.c.scope == scope, idem.c.key == key)).one()
        return IdempotencyRecord(row.fingerprint, row.created_at, row.status, row.body)

    def finish(self, scope: str, key: str, status: int, body: bytes, expires_at: datetime) -> None:
        with self._tx() as s:
            s.execute(update(idem).where(idem.c.scope == scope, idem.c.key == key)
                               .values(status=status, body=body, expires_at=expires_at))

    def release(self, scope: str, key: str) -> None:
        with self._tx() as s:
            s.execute(delete(idem).where(idem.c.scope == scope, idem.c.key == key))

    def purge(self, now: datetime) -> int:
        with self._tx() as s:
            return len(s.execute(delete(idem).where(idem.c.expires_at <= now).returning(idem.c.key)).all())
