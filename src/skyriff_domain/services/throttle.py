"""Rate limits on task creation, money-moving requests and code guesses, per user and per client address (fixed
one-minute windows shared by every API process through the RateLimiter port)."""
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
        self._hit(f"throttle:{bucket}:{user_id}", self.policy.throttle.per_minute[bucket])

    def check_address(self, client_ip: str, bucket: str) -> None:
        """Count one request from `client_ip` in `bucket` (its own budget, per_minute_per_ip); raises
        TooManyRequests past it."""
        self._hit(f"throttle:{bucket}:ip:{client_ip}", self.policy.throttle.per_minute_per_ip[bucket])

    def _hit(self, key: str, limit: int) -> None:
        now = self.clock.now()
        window, ends = fixed_window(now, MINUTE)
        if self.limiter.hit(f"{key}:{window}", ends, now) > limit:
            raise TooManyRequests(int((ends - now).total_seconds()), "操作过于频繁，请稍后再试")
