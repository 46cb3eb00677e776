"""Ports for time, randomness, rate limits, worker leases and idempotency records."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime, timedelta

import attrs


class Clock(ABC):
    @abstractmethod
    def now(self) -> datetime:
        """Timezone-aware UTC."""


class SecretGenerator(ABC):
    """Unguessable values: SMS codes, OAuth states, referral codes."""

    @abstractmethod
    def digits(self, length: int) -> str: ...

    @abstractmethod
    def token(self) -> str:
        """URL-safe, at least 128 bits of entropy."""

    @abstractmethod
    def code(self, alphabet: str, length: int) -> str: ...


class RateLimiter(ABC):
    """Counters and cooldowns shared by every API process; each call is atomic."""

    @abstractmethod
    def hit(self, key: str, until: datetime, now: datetime) -> int:
        """Count one hit on `key` (a key names one window) and keep it until `until`; returns the count."""

    @abstractmethod
    def cooldown(self, key: str, period: timedelta, now: datetime) -> int:
        """Start a cooldown unless one is running: 0 if started, else whole seconds left (at least 1)."""

    @abstractmethod
    def purge(self, now: datetime) -> int:
        """Drop counters and cooldowns that have ended; returns how many."""


class Leases(ABC):
    """Named, expiring holds shared by every worker process (the one poll chain of a task); each call is
    atomic. A holder is a random token: whoever holds a lease's current token may hand it on."""

    @abstractmethod
    def take(self, name: str, holder: int, until: datetime, now: datetime, previous: int | None = None) -> bool:
        """Hold `name` as `holder` until `until` if it is free (never taken, or expired) or held by `previous`
        (a holder handing it on); returns whether `holder` holds it now."""

    @abstractmethod
    def purge(self, now: datetime) -> int:
        """Drop expired leases; returns how many."""


@attrs.frozen
class IdempotencyRecord:
    """A request already seen under one key: its body fingerprint and, once finished, its response."""

    fingerprint: str
    created_at: datetime
    status: int | None = None
    body: bytes | None = None

    @property
    def finished(self) -> bool:
        return self.status is not None


class IdempotencyStore(ABC):
    """Each record lives until its `expires_at`: a claim until its lease ends, a finished answer for its ttl."""

    @abstractmethod
    def claim(self, scope: str, key: str, fingerprint: str, now: datetime,
              lease: timedelta) -> IdempotencyRecord | None:
        """Reserve the key until `now + lease`; returns None if it was free (never seen, or its record
        expired: a finished answer past its ttl, or a claim whose request died and whose lease ran out),
        else the record of the earlier request."""

    @abstractmethod
    def finish(self, scope: str, key: str, status: int, body: bytes, expires_at: datetime) -> None:
        """Store the answer, to be replayed until `expires_at`."""

    @abstractmethod
    def release(self, scope: str, key: str) -> None:
        """Forget a claim whose request failed unexpectedly, so a retry can run it."""

    @abstractmethod
    def purge(self, now: datetime) -> int:
        """Drop expired keys; returns how many."""


class PageCache(ABC):
    """Short-lived copies of public pages (the feed) that every viewer shares; never personal data."""

    @abstractmethod
    def get(self, key: str, now: datetime) -> object | None: ...

    @abstractmethod
    def put(self, key: str, value: object, expires_at: datetime) -> None: ...

    @abstractmethod
    def generation(self) -> int:
        """A number that changes whenever the pages are purged. Readers put the one they saw *before* reading
        the database into their keys, so a page read before a purge is never served after it."""

    @abstractmethod
    def purge(self) -> None:
        """Forget every page in every process sharing this cache, at once (a takedown must not linger)."""
