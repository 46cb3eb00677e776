"""Wallet use cases: what a user sees (balances, pending details, ledger pages) and the atomic money moves."""
from __future__ import annotations

from datetime import datetime

import attrs

from ..errors import InvalidRequest, NotFound
from ..model.coin_lot import CoinLot
from ..model.ledger import COIN_ACCOUNTS, Account, LedgerEntry, LedgerRef, LedgerType
from ..model.wallet import Wallet
from ..money import Coins, Credits
from ..policy import Policy
from ..ports import Clock, UnitOfWorkFactory
from ..model.operator import Operator
from . import audit, wallet_ops
from .lookups import split_page


@attrs.frozen
class WalletView:
    """Balances as the user should see them: matured earnings already count as available."""

    credits: Credits
    coins_available: Coins
    coins_pending: Coins
    coins_held: Coins
    pending_lots: list[CoinLot]


@attrs.frozen
class Grant:
    """Free credits granted: the ledger entry that holds them, and whether this call moved them or found that
    the same key had granted them before (`replayed`: nothing moved now)."""

    entry: LedgerEntry
    replayed: bool


LEDGER_ACCOUNTS = {"credits": (Account.CREDITS,), "coins": COIN_ACCOUNTS}
REASON_MAX = 180  # the ledger's description holds 200 characters, with its prefix
KEY_MAX = 100


def balances(wallet: Wallet) -> dict[str, object]:
    """A wallet's balances as the audit log records them (credits as an integer, money as text with 2 decimals)."""
    return {"credits": wallet.credits.minor, "credits_cost": str(wallet.credits_cost),
            "coins_available": str(wallet.coins_available), "coins_pending": str(wallet.coins_pending),
            "coins_held": str(wallet.coins_held)}


@attrs.define
class Wallets:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def overview(self, user_id: int) -> WalletView:
        """The wallet as the user sees it (2007 without one): matured earnings already count as available."""
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            wallet = uow.wallets.get(user_id)
            if wallet is None:
                raise NotFound("钱包不存在")
            lots = uow.coin_lots.pending_for_user(user_id)
        matured = sum((lot.amount for lot in lots if lot.is_matured(now)), Coins(0))
        return WalletView(
            credits=wallet.credits,
            coins_available=wallet.coins_available + matured,
            coins_pending=wallet.coins_pending - matured,
            coins_held=wallet.coins_held,
            pending_lots=[lot for lot in lots if not lot.is_matured(now)],
        )

    def ledger_page(self, user_id: int, currency: str, before_id: int | None,
                    limit: int) -> tuple[list[LedgerEntry], bool]:
        """One page of the ledger of "credits" or "coins" (every coin account), newest first, entries with ids
        below `before_id` (None: from the newest); returns the page and whether more entries follow."""
        with self.uow(read_only=True) as uow:
            rows = uow.ledger.page(user_id, LEDGER_ACCOUNTS[currency], before_id, limit + 1)
        return split_page(rows, limit)

    def grant(self, user_id: int, credits: Credits, reason: str, key: str | None = None) -> Grant:
        """Give a user free credits (a campaign, a compensation, another service's reward), ledgered as an
        operator's `admin_adjust` with the reason. Free credits carry no cost (PRODUCT.md), so they never become
        creators' coins and `LedgerAudit` stays clean. With `key` (at most 100 characters, unique per user) the
        grant happens at most once: a retry answers the first grant's entry with `replayed=True`.
        Raises InvalidRequest (2000) for a non-positive amount or an empty reason, NotFound (2007) without a
        wallet."""
        reason = reason.strip()
        if not credits.is_positive:
            raise InvalidRequest("credits", "需大于0")
        if not reason or len(reason) > REASON_MAX:
            raise InvalidRequest("reason", f"需为1-{REASON_MAX}个字符")
        if key is not None and not 1 <= len(key) <= KEY_MAX:
            raise InvalidRequest("key", f"需为1-{KEY_MAX}个字符")
        unique_key = f"grant:{user_id}:{key}" if key is not None else None
        with self.uow() as uow:
            wallet = wallet_ops.locked_wallet(uow, user_id)  # serializes this user's grants: the key check holds
            earlier = uow.ledger.by_key(unique_key) if unique_key else None
            if earlier is not None:
                return Grant(earlier, True)
            entry = wallet.grant_credits(credits, LedgerType.ADMIN_ADJUST, f"赠送：{reason}", self.clock.now(),
                                         unique_key=unique_key)
            [entry] = wallet_ops.record(uow, wallet, [entry])
            uow.commit()
        return Grant(entry, False)

    # Atomic operations for callers outside a unit of work (batches, tests) that choose the ledger type
    # themselves. Credits granted here are free (no cost); what was paid for comes through payments.
    def spend_credits(self, user_id: int, amount: Credits, kind: LedgerType, description: str,
                      ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
        with self.uow() as uow:
            entry = wallet_ops.spend_credits(uow, user_id, amount, kind, description, self.clock.now(), ref,
                                             unique_key)
            uow.commit()
        return entry

    def grant_credits(self, user_id: int, amount: Credits, kind: LedgerType, description: str,
                      ref: LedgerRef | None = None, unique_key: str | None = None) -> LedgerEntry:
        with self.uow() as uow:
            entry = wallet_ops.grant_credits(uow, user_id, amount, kind, description, self.clock.now(), ref,
                                             unique_key)
            uow.commit()
        return entry

    def adjust(self, user_id: int, reason: str, credits: Credits = Credits(0), coins: Coins = Coins(0),
               actor: Operator | None = None) -> Wallet:
        """An operator's correction (`admin_adjust`), with a reason: credits added are free (they carry no cost),
        credits taken carry their cost away like any spend; coins go to or come from available. Nothing goes
        below zero (2001 / 2005). Returns the wallet as it now stands; the audit log has it before and after."""
        reason = reason.strip()
        if not reason:
            raise InvalidRequest("reason", "必填")
        if not credits and not coins:
            raise InvalidRequest("amount", "需调整积分或金币")
        now = self.clock.now()
        with self.uow() as uow:
            wallet = wallet_ops.locked_wallet(uow, user_id)
            before = balances(wallet)
            entries = []
            description = f"运营调整：{reason}"[:200]
            if credits.is_positive:
                entries.append(wallet.grant_credits(credits, LedgerType.ADMIN_ADJUST, description, now))
            elif credits.is_negative:
                entries.append(wallet.spend_credits(-credits, LedgerType.ADMIN_ADJUST, description, now))
            if coins:
                entries.append(wallet.post(Account.COINS_AVAILABLE, coins, LedgerType.ADMIN_ADJUST, description, now))
            wallet_ops.record(uow, wallet, entries)
            audit.record(uow, actor, "wallet.adjust", "user", user_id, now, reason=reason, before=before,
                         after=balances(wallet))
            uow.commit()
        return wallet

    def release_matured_coins(self, batch_size: int = 2000) -> Coins:
        """Batch: move every matured lot from pending to available, `batch_size` users per transaction.

        Set-based: the lots of a chunk of users are marked released in one statement, their wallets locked
        in one, and each wallet gets one pair of `release` entries for everything that matured. Safe to
        re-run at any time (released lots are never released again).
        """
        now = self.clock.now()
        total = Coins(0)
        while True:
            with self.uow() as uow:
                user_ids = uow.coin_lots.users_with_matured(now, batch_size)
                if not user_ids:
                    return total
                wallets = uow.wallets.lock_many(user_ids)
                released = uow.coin_lots.release_matured(sorted(wallets), now)
                entries = []
                ref = LedgerRef("release", now.strftime("%Y%m%d%H%M%S"))
                for user_id, amount in released.items():
                    entries += wallets[user_id].release_pending(amount, "收入解冻", now, ref)
                    total += amount
                uow.wallets.save_many([wallets[u] for u in released])
                uow.ledger.add_many(entries)
                uow.commit()

    def release_for(self, user_id: int, now: datetime | None = None) -> Coins:
        with self.uow() as uow:
            released = wallet_ops.release_matured(uow, user_id, now or self.clock.now())
            uow.commit()
        return released
