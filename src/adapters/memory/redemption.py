"""In-memory redemption batches and codes (the unit of work's lock makes them atomic)."""
from __future__ import annotations

import copy
from datetime import datetime

from skyriff_domain.model.redemption import BatchSummary, RedemptionBatch, RedemptionCode
from skyriff_domain.ports import DuplicateEntry, RedemptionRepository

from .database import MemoryDatabase

_copy = copy.deepcopy


class MemoryRedemptions(RedemptionRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _batches(self) -> dict[int, RedemptionBatch]:
        return self.db.state.redemption_batches

    @property
    def _codes(self) -> dict[int, RedemptionCode]:
        return self.db.state.redemption_codes

    def add_batch(self, batch: RedemptionBatch) -> RedemptionBatch:
        batch = _copy(batch)
        batch.id = self.db.next_id("redemption_batches")
        self._batches[batch.id] = _copy(batch)
        return batch

    def get_batch(self, batch_id: int, lock: bool = False, share: bool = False) -> RedemptionBatch | None:
        return _copy(self._batches.get(batch_id))

    def save_batch(self, batch: RedemptionBatch) -> None:
        assert batch.id in self._batches
        self._batches[batch.id] = _copy(batch)

    def batches(self, before_id: int | None, limit: int) -> list[BatchSummary]:
        rows = sorted((b for b in self._batches.values() if before_id is None or b.id < before_id),
                      key=lambda b: -b.id)[:limit]
        return [BatchSummary(_copy(b), self.redeemed_count(b.id)) for b in rows]

    def redeemed_count(self, batch_id: int) -> int:
        return sum(1 for c in self._codes.values() if c.batch_id == batch_id and c.redeemed)

    def add_codes(self, codes: list[RedemptionCode]) -> None:
        stored = {c.code_hash for c in self._codes.values()}
        fresh = [c.code_hash for c in codes]
        if len(set(fresh)) != len(fresh) or stored.intersection(fresh):
            raise DuplicateEntry("redemption code")
        for code in codes:
            code.id = self.db.next_id("redemption_codes")
            self._codes[code.id] = _copy(code)

    def find_code(self, code_hash: str) -> RedemptionCode | None:
        return _copy(next((c for c in self._codes.values() if c.code_hash == code_hash), None))

    def get_code(self, code_id: int, lock: bool = False) -> RedemptionCode | None:
        return _copy(self._codes.get(code_id))

    def save_code(self, code: RedemptionCode) -> None:
        assert code.id in self._codes
        self._codes[code.id] = _copy(code)

    def redemptions(self, batch_id: int, before: tuple[datetime, int] | None, limit: int) -> list[RedemptionCode]:
        rows = [c for c in self._codes.values() if c.batch_id == batch_id and c.redeemed_at is not None
                and (before is None or (c.redeemed_at, c.id) < before)]
        return _copy(sorted(rows, key=lambda c: (c.redeemed_at, c.id), reverse=True)[:limit])
