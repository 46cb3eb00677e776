"""Dropping what has expired: SMS codes, rate counters, idempotency keys. Safe to run at any time."""
from __future__ import annotations

import attrs

from ..ports import Clock, IdempotencyStore, RateLimiter, SmsCodeStore


@attrs.define
class Housekeeping:
    clock: Clock
    codes: SmsCodeStore
    limiter: RateLimiter
    idempotency: IdempotencyStore

    def purge_expired(self) -> dict[str, int]:
        now = self.clock.now()
        return {"sms_codes": self.codes.purge(now), "rate_counters": self.limiter.purge(now),
                "idempotency_keys": self.idempotency.purge(now)}
