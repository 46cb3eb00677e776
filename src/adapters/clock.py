"""Clocks: the system clock for real runs, a settable one for tests and scripted demos."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from skyriff_domain.ports import Clock


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock(Clock):
    """Stands still until moved; tests never sleep."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> datetime:
        self.at += timedelta(**kwargs)
        return self.at
