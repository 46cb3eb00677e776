"""In-memory challenge stores, rate limiter, leases and idempotency records (one process only: tests,
experiments)."""
from __future__ import annotations

import hmac
import math
import threading
from datetime import datetime, timedelta

import attrs

from skyriff_domain.model.auth import Attempt, SmsChallenge, WeChatPlatform
from skyriff_domain.ports import (
    IdempotencyRecord,
    IdempotencyStore,
    Leases,
    OAuthStateStore,
    RateLimiter,
    SmsCodeStore,
)


class MemorySmsCodes(SmsCodeStore):
    def __init__(self) -> None:
        self._codes: dict[str, SmsChallenge] = {}
        self._lock = threading.Lock()

    def put(self, challenge: SmsChallenge) -> None:
        with self._lock:
            self._codes[challenge.phone] = challenge

    def get(self, phone: str) -> SmsChallenge | None:
        return self._codes.get(phone)

    def add(self, challenge: SmsChallenge, now: datetime) -> bool:
        with self._lock:
            current = self._codes.get(challenge.phone)
            if current is not None and not current.is_expired(now):
                return False
            self._codes[challenge.phone] = challenge
            return True

    def attempt(self, phone: str, code_hash: str, now: datetime, max_attempts: int) -> Attempt:
        with self._lock:
            c = self._codes.get(phone)
            if c is None or c.is_expired(now) or c.attempts >= max_attempts:
                return Attempt.REFUSED
            if hmac.compare_digest(c.code_hash, code_hash):
                del self._codes[phone]
                return Attempt.MATCHED
            self._codes[phone] = attrs.evolve(c, attempts=c.attempts + 1)
            return Attempt.WRONG

    def delete(self, phone: str) -> None:
        with self._lock:
            self._codes.pop(phone, None)

    def purge(self, now: datetime) -> int:
        with self._lock:
            dead = [phone for phone, c in self._codes.items() if c.is_expired(now)]
            for phone in dead:
                del self._codes[phone]
        return len(dead)


class MemoryOAuthStates(OAuthStateStore):
    def __init__(self) -> None:
        self._states: dict[str, tuple[WeChatPlatform, datetime]] = {}
        self._lock = threading.Lock()

    def put(self, state: str, platform: WeChatPlatform, expires_at: datetime) -> None:
        with self._lock:
            self._states[state] = (platform, expires_at)

    def take(self, state: str, now: datetime) -> WeChatPlatform | None:
        with self._lock:
            found = self._states.pop(state, None)
        if found is None or now >= found[1]:
            return None
        return found[0]


class MemoryRateLimiter(RateLimiter):
    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, datetime]] = {}
        self._cooldowns: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, until: datetime, now: datetime) -> int:
        with self._lock:
            count, expires = self._counts.get(key, (0, until))
            count = count + 1 if expires > now else 1
            self._counts[key] = (count, max(expires, until))
            return count

    def cooldown(self, key: str, period: timedelta, now: datetime) -> int:
        with self._lock:
            until = self._cooldowns.get(key)
            if until is not None and until > now:
                return max(1, math.ceil((until - now).total_seconds()))
            self._cooldowns[key] = now + period
            return 0

    def purge(self, now: datetime) -> int:
        with self._lock:
            counts = [k for k, (_, until) in self._counts.items() if until <= now]
            cooldowns = [k for k, until in self._cooldowns.items() if until <= now]
            for k in counts:
                del self._counts[k]
            for k in cooldowns:
                del self._cooldowns[k]
        return len(counts) + len(cooldowns)


class MemoryLeases(Leases):
    def __init__(self) -> None:
        self._held: dict[str, tuple[int, datetime]] = {}
        self._lock = threading.Lock()

    def take(self, name: str, holder: int, until: datetime, now: datetime, previous: int | None = None) -> bool:
        with self._lock:
            found = self._held.get(name)
            if found is not None and found[1] > now and (previous is None or found[0] != previous):
                return False
            self._held[name] = (holder, until)
            return True

    def purge(self, now: datetime) -> int:
        with self._lock:
            dead = [name for name, (_, until) in self._held.items() if until <= now]
            for name in dead:
                del self._held[name]
        return len(dead)


class MemoryIdempotencyStore(IdempotencyStore):
    def __init__(self) -> None:
        self._records: dict[tuple[str, str], tuple[IdempotencyRecord, datetime]] = {}
        self._lock = threading.Lock()

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime,
              lease: timedelta) -> IdempotencyRecord | None:
        with self._lock:
            found = self._records.get((scope, key))
            if found is not None and found[1] > now:
                return found[0]
            self._records[(scope, key)] = (IdempotencyRecord(fingerprint, now), now + lease)
            return None

    def finish(self, scope: str, key: str, status: int, body: bytes, expires_at: datetime) -> None:
        with self._lock:
            record, _ = self._records[(scope, key)]
            self._records[(scope, key)] = (attrs.evolve(record, status=status, body=body), expires_at)

    def release(self, scope: str, key: str) -> None:
        with self._lock:
            self._records.pop((scope, key), None)

    def purge(self, now: datetime) -> int:
        with self._lock:
            dead = [k for k, (_, expires) in self._records.items() if expires <= now]
            for k in dead:
                del self._records[k]
        return len(dead)
