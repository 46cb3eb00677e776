"""Per-user rate limits on task creation and money-moving requests (fixed one-minute windows shared by
every API process through the RateLimiter port)."""
from __future__ import annotations

from datetime import timedelta

import attrs

from ..errors import TooManyRequests
from ..policy import Policy
from ..ports import Clock, RateLimiter
from .auth import fixed_window

MINUTE = timedelta(minutes=1)


@attrs.define
class Throttle:
    limiter: RateLimiter
    clock: Clock
    policy: Policy

    def check(self, user_id: int, bucket: str) -> None:
        """Count one request in `bucket` ("tasks", "money"); raises TooManyRequests past the budget."""
        limit = self.policy.throttle.per_minute[bucket]
        now = self.clock.now()
        window, ends = fixed_window(now, MINUTE)
        if self.limiter.hit(f"throttle:{bucket}:{user_id}:{window}", ends, now) > limit:
            raise TooManyRequests(int((ends - now).total_seconds()), "操作过于频繁，请稍后再试")
