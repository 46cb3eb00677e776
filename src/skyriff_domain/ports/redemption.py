"""Port of redemption codes: batches with their codes (stored as hashes), looked up by hash when redeemed."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from ..model.redemption import BatchSummary, RedemptionBatch, RedemptionCode


class RedemptionRepository(ABC):
    @abstractmethod
    def add_batch(self, batch: RedemptionBatch) -> RedemptionBatch: ...

    @abstractmethod
    def get_batch(self, batch_id: int, lock: bool = False, share: bool = False) -> RedemptionBatch | None:
        """`lock`: hold the batch until the unit of work ends (disabling it); `share`: hold it against that lock
        only, so redemptions of one batch run side by side but none commits after a disable did."""

    @abstractmethod
    def save_batch(self, batch: RedemptionBatch) -> None: ...

    @abstractmethod
    def batches(self, before_id: int | None, limit: int) -> list[BatchSummary]:
        """Batches newest first (ids below `before_id`), each with how many of its codes were redeemed."""

    @abstractmethod
    def redeemed_count(self, batch_id: int) -> int: ...

    @abstractmethod
    def add_codes(self, codes: list[RedemptionCode]) -> None:
        """Raises DuplicateEntry if a code's hash is already stored (nothing of the list is then kept)."""

    @abstractmethod
    def find_code(self, code_hash: str) -> RedemptionCode | None: ...

    @abstractmethod
    def get_code(self, code_id: int, lock: bool = False) -> RedemptionCode | None:
        """`lock`: hold the code until the unit of work ends, so two users redeeming it at once redeem it once."""

    @abstractmethod
    def save_code(self, code: RedemptionCode) -> None: ...

    @abstractmethod
    def redemptions(self, batch_id: int, before: tuple[datetime, int] | None, limit: int) -> list[RedemptionCode]:
        """The batch's redeemed codes, the latest redemption first; `before` is the last row's
        (redeemed_at, id) of the previous page."""
