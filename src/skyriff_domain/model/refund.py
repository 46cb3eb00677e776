"""Refunds of payments: processing (asked of the channel; what the payment delivered is already taken back) →
succeeded, or failed (the channel refused for good: everything taken back is given back, exactly once).

A refund records what it took: credits and their cost, the card claims it voided, the coins and the promoter's
commission — and what it could not take (credits already spent, with `--force`: written-off cost). For every
refund that did not fail, amount = cost taken + card claims voided + cost written off."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ..errors import NotAllowed
from ..money import Cny, Coins, Credits


class RefundStatus(enum.StrEnum):
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@attrs.define
class Refund:
    payment_id: int
    user_id: int
    amount: Cny
    reason: str
    created_at: datetime
    status: RefundStatus = RefundStatus.PROCESSING
    credits_taken: Credits = Credits(0)
    cost_taken: Cny = Cny(0)
    card_voided: Cny = Cny(0)  # the part of a card's price its voided claims would have carried
    written_off: Cny = Cny(0)  # refunded without taking back: spent credits' cost (`--force`), coins not there
    coins_taken: Coins = Coins(0)
    commission_reversed: Coins = Coins(0)
    commission_unrecovered: Coins = Coins(0)  # the promoter had withdrawn it already
    forced: bool = False
    operator: str = ""
    channel_ref: str | None = None
    failure_reason: str | None = None
    finished_at: datetime | None = None
    id: int | None = None

    @property
    def refund_no(self) -> str:
        """Ours, derived from the payment: asking the channel twice is the same refund, never a second one."""
        return f"SRR{self.payment_id:012d}"

    def succeed(self, now: datetime, channel_ref: str | None) -> None:
        self._finish(RefundStatus.SUCCEEDED, now)
        self.channel_ref = channel_ref or self.channel_ref

    def fail(self, now: datetime, reason: str | None) -> None:
        self._finish(RefundStatus.FAILED, now)
        self.failure_reason = reason

    def _finish(self, to: RefundStatus, now: datetime) -> None:
        if self.status is not RefundStatus.PROCESSING:
            raise NotAllowed(f"退款状态为 {self.status}")
        self.status, self.finished_at = to, now


@attrs.frozen
class RefundTotals:
    amount: Cny = Cny(0)
    cost_taken: Cny = Cny(0)
    card_voided: Cny = Cny(0)
    written_off: Cny = Cny(0)
    coins_taken: Cny = Cny(0)
