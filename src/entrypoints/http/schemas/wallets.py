"""Schemas of 四、钱包模块."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Data, Money, PageQuery, Timestamp


class CreditsBalance(Data):
    balance: int


class PendingDetail(Data):
    amount: Money
    unlock_at: Timestamp
    source: str = Field(examples=["打赏收入"])


class CoinsBalance(Data):
    available: Money = Field(description="可提现（已到解冻时间的收入已计入）")
    pending: Money = Field(description="冻结中（7天后解冻）")
    held: Money = Field(description="提现审核中")
    pending_details: list[PendingDetail]


class WalletData(Data):
    credits: CreditsBalance
    coins: CoinsBalance


class LedgerQuery(PageQuery):
    type: Literal["credits", "coins"] = Field("credits", description="credits 积分 / coins 金币")


class LedgerItem(Data):
    ledger_id: int
    type: str = Field(examples=["gen_spend"])
    account: Literal["credits", "coins_available", "coins_pending", "coins_held"]
    amount: Money = Field(description="积分为整数；金币两位小数；支出为负")
    balance_after: Money
    description: str
    created_at: Timestamp
