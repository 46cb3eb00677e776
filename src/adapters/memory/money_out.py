"""In-memory verified identities and refunds (the unit of work holds the lock), behaving like the SQL ones."""
from __future__ import annotations

import copy
from typing import Iterable

from skyriff_domain.model.identity import Verification
from skyriff_domain.model.refund import Refund, RefundStatus, RefundTotals
from skyriff_domain.money import Cny
from skyriff_domain.ports import DuplicateEntry, RefundRepository, VerificationRepository

from .database import MemoryDatabase

_copy = copy.deepcopy


class MemoryVerifications(VerificationRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, tuple[Verification, int]]:
        return self.db.state.verifications

    def for_user(self, user_id: int) -> Verification | None:
        found = self._rows.get(user_id)
        return _copy(found[0]) if found else None

    def for_users(self, user_ids: Iterable[int]) -> dict[int, Verification]:
        return {u: _copy(self._rows[u][0]) for u in set(user_ids) if u in self._rows}

    def slots_taken(self, fingerprint: str) -> set[int]:
        return {slot for v, slot in self._rows.values() if v.number_fingerprint == fingerprint}

    def add(self, verification: Verification, slot: int) -> Verification:
        if verification.user_id in self._rows:
            raise DuplicateEntry("user")
        if slot in self.slots_taken(verification.number_fingerprint):
            raise DuplicateEntry("slot")
        verification = _copy(verification)
        verification.id = self.db.next_id("verifications")
        self._rows[verification.user_id] = (_copy(verification), slot)
        return verification

    def remove(self, user_id: int) -> bool:
        return self._rows.pop(user_id, None) is not None


class MemoryRefunds(RefundRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, Refund]:
        return self.db.state.refunds

    def add(self, refund: Refund) -> Refund:
        if any(r.payment_id == refund.payment_id for r in self._rows.values()):
            raise DuplicateEntry(f"refund of payment {refund.payment_id}")
        refund = _copy(refund)
        refund.id = self.db.next_id("refunds")
        self._rows[refund.id] = _copy(refund)
        return refund

    def get_for_update(self, refund_id: int) -> Refund | None:
        return _copy(self._rows.get(refund_id))

    def for_payment(self, payment_id: int) -> Refund | None:
        return next((_copy(r) for r in self._rows.values() if r.payment_id == payment_id), None)

    def find(self, refund_no: str) -> Refund | None:
        return next((_copy(r) for r in self._rows.values() if r.refund_no == refund_no), None)

    find_for_update = find

    def save(self, refund: Refund) -> None:
        self._rows[refund.id] = _copy(refund)

    def processing(self, limit: int) -> list[Refund]:
        rows = sorted((r for r in self._rows.values() if r.status is RefundStatus.PROCESSING), key=lambda r: r.id)
        return _copy(rows[:limit])

    def totals(self) -> RefundTotals:
        live = [r for r in self._rows.values() if r.status is not RefundStatus.FAILED]
        return RefundTotals(sum((r.amount for r in live), Cny(0)), sum((r.cost_taken for r in live), Cny(0)),
                            sum((r.card_voided for r in live), Cny(0)), sum((r.written_off for r in live), Cny(0)),
                            Cny(sum(r.coins_taken.minor for r in live)))
