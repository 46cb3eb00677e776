"""Repository ports of money out: verified identities and refunds (withdrawals live in ports/commerce.py)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Iterable

from ..model.identity import Verification
from ..model.refund import Refund, RefundTotals


class VerificationRepository(ABC):
    @abstractmethod
    def for_user(self, user_id: int) -> Verification | None: ...

    @abstractmethod
    def for_users(self, user_ids: Iterable[int]) -> dict[int, Verification]: ...

    @abstractmethod
    def slots_taken(self, fingerprint: str) -> set[int]:
        """Which of an identity's account slots (1, 2, 3…) are in use."""

    @abstractmethod
    def add(self, verification: Verification, slot: int) -> Verification:
        """Raises DuplicateEntry("user") if the user is verified already, DuplicateEntry("slot") if another
        account took that slot of the identity meanwhile."""

    @abstractmethod
    def remove(self, user_id: int) -> bool:
        """An operator's reset; returns whether there was one (its slot is free again)."""


class RefundRepository(ABC):
    @abstractmethod
    def add(self, refund: Refund) -> Refund:
        """Raises DuplicateEntry if the payment has a refund already (one refund per payment)."""

    @abstractmethod
    def get_for_update(self, refund_id: int) -> Refund | None: ...

    @abstractmethod
    def for_payment(self, payment_id: int) -> Refund | None: ...

    @abstractmethod
    def find_for_update(self, refund_no: str) -> Refund | None: ...

    @abstractmethod
    def find(self, refund_no: str) -> Refund | None: ...

    @abstractmethod
    def save(self, refund: Refund) -> None: ...

    @abstractmethod
    def processing(self, limit: int) -> list[Refund]:
        """Refunds whose outcome the channel has not given yet, oldest first (the sync batch asks for them)."""

    @abstractmethod
    def totals(self) -> RefundTotals:
        """Σ over refunds that were not refused by their channel: amounts, cost taken, card claims voided,
        cost written off (the audit's view)."""
