"""The append-only ledger: one entry per balance change, with the balance after it."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ..money import Cny, Coins, Credits, Money


class Account(enum.StrEnum):
    """The balances a wallet holds; each has its own ledger stream whose sum equals the balance."""

    CREDITS = "credits"
    COINS_AVAILABLE = "coins_available"
    COINS_PENDING = "coins_pending"
    COINS_HELD = "coins_held"

    @property
    def money_type(self) -> type[Money]:
        return Credits if self is Account.CREDITS else Coins

    @property
    def is_coins(self) -> bool:
        return self is not Account.CREDITS


COIN_ACCOUNTS = (Account.COINS_AVAILABLE, Account.COINS_PENDING, Account.COINS_HELD)


class LedgerType(enum.StrEnum):
    """Why a balance changed (PRODUCT.md's list)."""

    # credits
    RECHARGE = "recharge"
    GEN_SPEND = "gen_spend"
    GEN_REFUND = "gen_refund"
    REMIX_SPEND = "remix_spend"
    TIP_SPEND = "tip_spend"
    PROMPT_UNLOCK_SPEND = "prompt_unlock_spend"
    DOWNLOAD_SPEND = "download_spend"
    SUBSCRIPTION_CLAIM = "subscription_claim"
    TASK_REWARD = "task_reward"
    REFERRAL_BONUS = "referral_bonus"
    PROMOTER_GRANT = "promoter_grant"
    ADMIN_ADJUST = "admin_adjust"
    PAYMENT_REFUND = "payment_refund"  # credits or coins a refunded payment delivered, taken back (or restored)
    REDEEM = "redeem"  # free credits from a redemption code (cost 0)
    # coins
    TIP_INCOME = "tip_income"
    PROMPT_INCOME = "prompt_income"
    REMIX_INCOME = "remix_income"
    COMMISSION = "commission"
    RELEASE = "release"
    INCOME_REVERSAL = "income_reversal"
    WITHDRAW_HOLD = "withdraw_hold"
    WITHDRAW_RELEASE = "withdraw_release"
    WITHDRAW_PAID = "withdraw_paid"
    COINS_PACK = "coins_pack"


@attrs.frozen
class LedgerRef:
    """What caused an entry (a task, a work, a payment…), for audits and idempotency."""

    kind: str
    id: int | str


@attrs.define
class LedgerEntry:
    """One signed change of one account; `balance_after` is that account's balance once applied.

    `cost` is the CNY cost that moved with credits (signed like `amount`; zero for free credits and for coins).
    """

    user_id: int
    account: Account
    type: LedgerType
    amount: Money
    balance_after: Money
    description: str
    created_at: datetime
    ref: LedgerRef | None = None
    unique_key: str | None = None
    cost: Cny = Cny(0)
    id: int | None = None
