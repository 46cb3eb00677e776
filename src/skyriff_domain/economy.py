"""The one place where money changes kind or is shared: what credits cost, what a creator or a promoter earns
from it, what a monthly-card claim carries, and coins ↔ CNY. Nothing else multiplies or divides money.

A credit carries the CNY that was paid for it (its *cost*, integer fen). Spending takes cost with the credits
in proportion, rounded down; creators share the cost fans spent on them, never the credits' face value.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .money import Cny, Coins, Credits

__all__ = ["card_claim_cost", "cny_for_coins", "coins_for_cny", "cost_of_spending", "promoter_commission",
           "creator_share", "share_ceiling"]


def cost_of_spending(held: Credits, held_cost: Cny, spent: Credits) -> Cny:
    """The cost that leaves a wallet with `spent` of its `held` credits.

    Args: the wallet's credits N and their cost C (fen), the credits n being spent (0 < n ≤ N).
    Returns: floor(C·n/N); all of C when n = N, so a wallet with no credits never keeps a cost.
    """
    if not 0 < spent.minor <= held.minor:
        raise ValueError(f"cannot spend {spent.minor} of {held.minor} credits")
    if spent == held:
        return held_cost
    return Cny(held_cost.minor * spent.minor // held.minor)


def creator_share(cost: Cny, share: Decimal) -> Coins:
    """Args: the cost of the credits a fan spent on a creator, the creator's share (0.90).
    Returns: the creator's coins (1 coin = 1 CNY), rounded down to the fen."""
    return Coins(_floor(cost.minor, share))


def promoter_commission(paid: Cny, rate: Decimal) -> Coins:
    """Args: a settled commissionable payment, the promoter's rate (0.10).
    Returns: the promoter's coins, rounded down to the fen."""
    return Coins(_floor(paid.minor, rate))


def share_ceiling(fen: int, rate: Decimal) -> int:
    """The audit's bound on shares that were each rounded down: the exact share of their total, rounded up."""
    return int((Decimal(max(fen, 0)) * rate).to_integral_value(rounding=ROUND_CEILING))


def card_claim_cost(price: Cny, days: int, claims_before: int, cost_claimed: Cny) -> Cny:
    """The cost one daily claim of a monthly card adds to the wallet.

    Args: the card period's price, its number of daily claims, the claims already made and the cost they took.
    Returns: price // days (29.00 / 30 → 0.96); the last claim of the period takes the rest (1.16).
    """
    if not 0 <= claims_before < days:
        raise ValueError(f"claim {claims_before + 1} of a {days}-claim card")
    if claims_before + 1 == days:
        return price - cost_claimed
    return Cny(price.minor // days)


def coins_for_cny(amount: Cny) -> Coins:
    """1 coin = 1 CNY: a withdrawal of `amount` moves this many coins."""
    return Coins(amount.minor)


def cny_for_coins(amount: Coins) -> Cny:
    return Cny(amount.minor)


def _floor(fen: int, rate: Decimal) -> int:
    if fen < 0:
        raise ValueError("shares are taken of non-negative amounts")
    return int((Decimal(fen) * rate).to_integral_value(rounding=ROUND_FLOOR))
