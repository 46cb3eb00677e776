"""Pending earnings: each income is a lot that unlocks after the hold period and is released once."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ..money import Coins
from .ledger import LedgerRef, LedgerType

# What the wallet screen calls each source of pending coins (spec 4.1 `pending_details[].source`).
SOURCE_LABELS = {
    LedgerType.TIP_INCOME: "打赏收入",
    LedgerType.PROMPT_INCOME: "提示词收入",
    LedgerType.REMIX_INCOME: "二创收入",
    LedgerType.COMMISSION: "推广佣金",
    LedgerType.COINS_PACK: "购买金币",
}


class LotStatus(enum.StrEnum):
    PENDING = "pending"
    RELEASED = "released"
    REVERSED = "reversed"


@attrs.define
class CoinLot:
    """One pending income of one user."""

    user_id: int
    amount: Coins
    source: LedgerType
    unlock_at: datetime
    created_at: datetime
    ref: LedgerRef | None = None
    status: LotStatus = LotStatus.PENDING
    id: int | None = None

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source.value)

    def is_matured(self, now: datetime) -> bool:
        return self.status is LotStatus.PENDING and self.unlock_at <= now
