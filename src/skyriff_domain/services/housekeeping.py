"""Dropping what has expired: SMS codes, rate counters, idempotency keys, worker leases, operators' console sessions.
Safe to run at any time."""
from __future__ import annotations

import attrs

from ..ports import Clock, IdempotencyStore, Leases, RateLimiter, SmsCodeStore
from .console_auth import ConsoleAuth


@attrs.define
class Housekeeping:
    clock: Clock
    codes: SmsCodeStore
    limiter: RateLimiter
    idempotency: IdempotencyStore
    leases: Leases | None = None
    console: ConsoleAuth | None = None  # operators' sessions past their idle or absolute timeout

    def purge_expired(self) -> dict[str, int]:
        now = self.clock.now()
        # Leases first: where they share the rate counters' table, the counters' purge would count them.
        leases = self.leases.purge(now) if self.leases is not None else 0
        dropped = {"sms_codes": self.codes.purge(now), "rate_counters": self.limiter.purge(now),
                   "idempotency_keys": self.idempotency.purge(now), "leases": leases}
        if self.console is not None:
            dropped["console_sessions"] = self.console.purge()
        return dropped
