"""A user's wallet: credits with the CNY cost they carry, and coins available / pending / held; never negative,
every change ledgered."""
from __future__ import annotations

from datetime import datetime

import attrs

from ..economy import cost_of_spending
from ..errors import InsufficientCoins, InsufficientCredits
from ..money import Cny, Coins, Credits, Money
from .ledger import Account, LedgerEntry, LedgerRef, LedgerType


@attrs.define
class Wallet:
    """Balances of one user. `credits_cost` is what was paid for the credits held (fen; 0 when no credits are
    held). `version` lets the repository refuse a save that raced another one."""

    user_id: int
    credits: Credits = Credits(0)
    credits_cost: Cny = Cny(0)
    coins_available: Coins = Coins(0)
    coins_pending: Coins = Coins(0)
    coins_held: Coins = Coins(0)
    version: int = 0

    _FIELDS = {
        Account.CREDITS: "credits",
        Account.COINS_AVAILABLE: "coins_available",
        Account.COINS_PENDING: "coins_pending",
        Account.COINS_HELD: "coins_held",
    }

    def balance(self, account: Account) -> Money:
        return getattr(self, self._FIELDS[account])

    def post(
        self,
        account: Account,
        amount: Money,
        kind: LedgerType,
        description: str,
        now: datetime,
        ref: LedgerRef | None = None,
        unique_key: str | None = None,
        cost: Cny = Cny(0),
    ) -> LedgerEntry:
        """Apply a signed change to one account and return its ledger entry; refuse to go below zero.
        `cost` moves with credits (same sign as the amount); coins carry none."""
        if not isinstance(amount, account.money_type):
            raise TypeError(f"{account} takes {account.money_type.__name__}, not {amount!r}")
        if not amount:
            raise ValueError("a ledger entry moves a non-zero amount")
        current = self.balance(account)
        after = current + amount
        if after.is_negative:
            raise _shortfall(account, current, -amount)
        cost_after = self.credits_cost + cost
        if cost and (account is not Account.CREDITS or cost.is_negative != amount.is_negative):
            raise ValueError(f"cost {cost} cannot move with {amount} {account}")
        if account is Account.CREDITS and (cost_after.is_negative or (not after and cost_after)):
            raise ValueError(f"credits {after} cannot carry a cost of {cost_after}")
        setattr(self, self._FIELDS[account], after)
        self.credits_cost = cost_after
        return LedgerEntry(
            user_id=self.user_id, account=account, type=kind, amount=amount, balance_after=after,
            description=description, created_at=now, ref=ref, unique_key=unique_key, cost=cost,
        )

    # Credits ------------------------------------------------------------------------------------
    def spend_credits(self, amount: Credits, kind: LedgerType, description: str, now: datetime,
                      ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
        """Debit credits and the share of their cost they carry (the entry's `cost`, negative)."""
        _require_positive(amount)
        if amount > self.credits:
            raise _shortfall(Account.CREDITS, self.credits, amount)
        taken = cost_of_spending(self.credits, self.credits_cost, amount)
        return self.post(Account.CREDITS, -amount, kind, description, now, ref, unique_key, -taken)

    def grant_credits(self, amount: Credits, kind: LedgerType, description: str, now: datetime,
                      ref: LedgerRef | None = None, unique_key: str | None = None,
                      cost: Cny = Cny(0)) -> LedgerEntry:
        """Credit credits with what was paid for them: a price for bought credits, 0 for free ones, and for a
        refund exactly the cost its spend took."""
        _require_positive(amount)
        return self.post(Account.CREDITS, amount, kind, description, now, ref, unique_key, cost)

    # Coins --------------------------------------------------------------------------------------
    def add_pending_coins(self, amount: Coins, kind: LedgerType, description: str, now: datetime,
                          ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
        _require_positive(amount)
        return self.post(Account.COINS_PENDING, amount, kind, description, now, ref, unique_key)

    def add_available_coins(self, amount: Coins, kind: LedgerType, description: str, now: datetime,
                            ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
        _require_positive(amount)
        return self.post(Account.COINS_AVAILABLE, amount, kind, description, now, ref, unique_key)

    def release_pending(self, amount: Coins, description: str, now: datetime,
                        ref: LedgerRef | None = None) -> list[LedgerEntry]:
        """Matured earnings move from pending to available: two entries of type `release`."""
        return self._move(Account.COINS_PENDING, Account.COINS_AVAILABLE, amount, LedgerType.RELEASE,
                          description, now, ref)

    def reverse_pending(self, amount: Coins, description: str, now: datetime,
                        ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
        _require_positive(amount)
        return self.post(Account.COINS_PENDING, -amount, LedgerType.INCOME_REVERSAL, description, now, ref,
                         unique_key)

    def hold_coins(self, amount: Coins, description: str, now: datetime,
                   ref: LedgerRef | None = None) -> list[LedgerEntry]:
        """A withdrawal application parks coins in `held` until operators decide."""
        return self._move(Account.COINS_AVAILABLE, Account.COINS_HELD, amount, LedgerType.WITHDRAW_HOLD,
                          description, now, ref)

    def release_held(self, amount: Coins, description: str, now: datetime,
                     ref: LedgerRef | None = None) -> list[LedgerEntry]:
        return self._move(Account.COINS_HELD, Account.COINS_AVAILABLE, amount, LedgerType.WITHDRAW_RELEASE,
                          description, now, ref)

    def pay_held(self, amount: Coins, description: str, now: datetime,
                 ref: LedgerRef | None = None) -> LedgerEntry:
        _require_positive(amount)
        return self.post(Account.COINS_HELD, -amount, LedgerType.WITHDRAW_PAID, description, now, ref)

    def _move(self, source: Account, target: Account, amount: Coins, kind: LedgerType, description: str,
              now: datetime, ref: LedgerRef | None) -> list[LedgerEntry]:
        _require_positive(amount)
        out = self.post(source, -amount, kind, description, now, ref)
        return [out, self.post(target, amount, kind, description, now, ref)]


def _require_positive(amount: Money) -> None:
    if not amount.is_positive:
        raise ValueError(f"amount must be positive, got {amount}")


def _shortfall(account: Account, current: Money, required: Money) -> Exception:
    if account is Account.CREDITS:
        return InsufficientCredits(data={"current_balance": current.minor, "required": required.minor})
    message = "可提现余额不足" if account is Account.COINS_AVAILABLE else "金币余额不足"
    return InsufficientCoins(message, data={"available": current.to_decimal(), "required": required.to_decimal()})
