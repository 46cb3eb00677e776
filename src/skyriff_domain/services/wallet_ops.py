"""Money moves inside a caller's unit of work: lock the wallet, apply the rule, save it with its entries.

Other use cases (tips, generation, payments) call these so every balance change is ledgered the same way;
they never commit — the caller does, once, for the whole business operation.
"""
from __future__ import annotations

from datetime import datetime

from ..errors import NotFound
from ..model.coin_lot import CoinLot, LotStatus
from ..model.ledger import LedgerEntry, LedgerRef, LedgerType
from ..model.wallet import Wallet
from ..money import Cny, Coins, Credits
from ..policy import RevenueSharePolicy
from ..ports import UnitOfWork


def locked_wallet(uow: UnitOfWork, user_id: int) -> Wallet:
    wallet = uow.wallets.get_for_update(user_id)
    if wallet is None:
        raise NotFound("钱包不存在")
    return wallet


def record(uow: UnitOfWork, wallet: Wallet, entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Save the wallet and append its entries: the two always travel together."""
    uow.wallets.save(wallet)
    return [uow.ledger.add(entry) for entry in entries]


def spend_credits(uow: UnitOfWork, user_id: int, amount: Credits, kind: LedgerType, description: str,
                  now: datetime, ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
    """Debit credits; raises InsufficientCredits (with current balance and required) when short."""
    wallet = locked_wallet(uow, user_id)
    return record(uow, wallet, [wallet.spend_credits(amount, kind, description, now, ref, unique_key)])[0]


def grant_credits(uow: UnitOfWork, user_id: int, amount: Credits, kind: LedgerType, description: str,
                  now: datetime, ref: LedgerRef | None = None, unique_key: str | None = None,
                  cost: Cny = Cny(0)) -> LedgerEntry:
    """Credit credits carrying `cost` (what was paid for them; 0 for free credits)."""
    wallet = locked_wallet(uow, user_id)
    return record(uow, wallet, [wallet.grant_credits(amount, kind, description, now, ref, unique_key, cost)])[0]


def add_available_coins(uow: UnitOfWork, user_id: int, amount: Coins, kind: LedgerType, description: str,
                        now: datetime, ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
    wallet = locked_wallet(uow, user_id)
    return record(uow, wallet, [wallet.add_available_coins(amount, kind, description, now, ref, unique_key)])[0]


def add_pending_coins(uow: UnitOfWork, user_id: int, amount: Coins, source: LedgerType, description: str,
                      now: datetime, revenue: RevenueSharePolicy, ref: LedgerRef | None = None,
                      unique_key: str | None = None) -> CoinLot:
    """Credit earnings as pending: one ledger entry plus a lot that unlocks after the hold period."""
    wallet = locked_wallet(uow, user_id)
    record(uow, wallet, [wallet.add_pending_coins(amount, source, description, now, ref, unique_key)])
    return uow.coin_lots.add(pending_lot(user_id, amount, source, now, revenue, ref))


def pending_lot(user_id: int, amount: Coins, source: LedgerType, now: datetime, revenue: RevenueSharePolicy,
                ref: LedgerRef | None) -> CoinLot:
    """The lot that tracks one pending income (or bought coins) until it unlocks."""
    return CoinLot(user_id=user_id, amount=amount, source=source, unlock_at=revenue.unlock_at(now), created_at=now,
                   ref=ref)


def release_matured(uow: UnitOfWork, user_id: int, now: datetime) -> Coins:
    """Move every matured lot of one user from pending to available; returns the total released."""
    wallet = locked_wallet(uow, user_id)
    released = Coins(0)
    entries: list[LedgerEntry] = []
    for lot in uow.coin_lots.pending_for_user(user_id):
        if not lot.is_matured(now):
            continue
        entries += wallet.release_pending(lot.amount, f"{lot.source_label}解冻", now, LedgerRef("coin_lot", lot.id))
        lot.status = LotStatus.RELEASED
        uow.coin_lots.save(lot)
        released += lot.amount
    if entries:
        record(uow, wallet, entries)
    return released
