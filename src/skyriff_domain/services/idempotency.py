"""Idempotency keys, as Stripe does them: a retried request replays the first answer instead of redoing it."""
from __future__ import annotations

import attrs

from ..errors import IdempotencyConflict, InvalidRequest
from ..policy import Policy
from ..ports import Clock, IdempotencyRecord, IdempotencyStore

HEADER = "Idempotency-Key"


@attrs.define
class Idempotency:
    store: IdempotencyStore
    clock: Clock
    policy: Policy

    def begin(self, user_id: int, key: str, fingerprint: str) -> IdempotencyRecord | None:
        """None: first time, go ahead. A finished record: replay it. Same key, other body: 2000.
        Same key still running (a double tap): 2008, the client retries later.

        A claim holds the key only for the policy's short lease: if its request died before storing an
        answer, a retry after the lease runs it again. That is safe because every money move behind an
        idempotent endpoint is itself exactly-once (unique keys in the data), not because of this record."""
        if not key or len(key) > 255 or not key.isascii() or not key.isprintable():
            raise InvalidRequest(HEADER, "需为1-255个可打印ASCII字符")
        record = self.store.claim(self._scope(user_id), key, fingerprint, self.clock.now(),
                                  self.policy.idempotency_lease)
        if record is None:
            return None
        if record.fingerprint != fingerprint:
            raise InvalidRequest(HEADER, "该键已用于另一个请求")
        if not record.finished:
            raise IdempotencyConflict()
        return record

    def finish(self, user_id: int, key: str, status: int, body: bytes) -> None:
        """Keep the answer for replays during the policy's ttl (24 hours) from now."""
        self.store.finish(self._scope(user_id), key, status, body, self.clock.now() + self.policy.idempotency_ttl)

    def abandon(self, user_id: int, key: str) -> None:
        """The request failed unexpectedly (nothing was committed): let a retry run it again."""
        self.store.release(self._scope(user_id), key)

    @staticmethod
    def _scope(user_id: int) -> str:
        return f"user:{user_id}"
