"""Wallets (row-locked for changes), the append-only ledger and pending coin lots."""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyriff_domain.errors import ConcurrentUpdate
from skyriff_domain.model.coin_lot import CoinLot, LotStatus
from skyriff_domain.model.ledger import Account, LedgerEntry, LedgerType
from skyriff_domain.model.wallet import Wallet
from skyriff_domain.money import Coins
from skyriff_domain.ports.repositories import UserSums
from skyriff_domain.ports import CoinLotRepository, DuplicateEntry, LedgerRepository, WalletRepository

from ..mappers import entry_from_row, entry_values, lot_from_row, lot_values, wallet_from_row, wallet_values
from ..models import DbCoinLot, DbLedgerEntry, DbLedgerEpoch, DbWallet

wallets = DbWallet.__table__
ledger = DbLedgerEntry.__table__
lots = DbCoinLot.__table__
epochs = DbLedgerEpoch.__table__
_BALANCES = ("credits", "credits_cost_fen", "coins_available_fen", "coins_pending_fen", "coins_held_fen")
# Hot statements are built once: constructing Core statements per call costs more than running them.
_LOCK_ONE = select(wallets).where(wallets.c.user_id == bindparam("uid")).with_for_update()
_SAVE = (update(wallets).where(wallets.c.user_id == bindparam("uid"), wallets.c.version == bindparam("expected"))
         .values(version=bindparam("next_version"), **{c: bindparam(c) for c in _BALANCES})
         .returning(wallets.c.version))
_INSERT_ENTRY = insert(ledger).returning(ledger.c.id)
_INSERT_LOT = insert(lots).returning(lots.c.id)
_BULK_SAVE = text("""
    UPDATE wallets AS w
    SET credits = v.credits, credits_cost_fen = v.credits_cost_fen, coins_available_fen = v.coins_available_fen,
        coins_pending_fen = v.coins_pending_fen, coins_held_fen = v.coins_held_fen, version = w.version + 1
    FROM unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[]), CAST(:credits AS bigint[]),
                CAST(:credits_cost_fen AS bigint[]), CAST(:coins_available_fen AS bigint[]),
                CAST(:coins_pending_fen AS bigint[]), CAST(:coins_held_fen AS bigint[]))
         AS v(user_id, version, credits, credits_cost_fen, coins_available_fen, coins_pending_fen, coins_held_fen)
    WHERE w.user_id = v.user_id AND w.version = v.version
    RETURNING w.user_id""")


class SqlWallets(WalletRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Wallets locked in this transaction: the lock holds until commit, so asking again returns the
        # same object instead of another SELECT … FOR UPDATE.
        self._locked: dict[int, Wallet] = {}

    def add(self, wallet: Wallet) -> None:
        self.conn.execute(insert(wallets).values(user_id=wallet.user_id, version=0, **wallet_values(wallet)))

    def get(self, user_id: int) -> Wallet | None:
        row = self.conn.execute(select(wallets).where(wallets.c.user_id == user_id)).first()
        return wallet_from_row(row) if row else None

    def get_for_update(self, user_id: int) -> Wallet | None:
        # SELECT … FOR UPDATE on PostgreSQL (a test proves the lock is held); SQLite has no row locks but
        # every transaction there starts with BEGIN IMMEDIATE, which serializes writers.
        if user_id in self._locked:
            return self._locked[user_id]
        row = self.conn.execute(_LOCK_ONE, {"uid": user_id}).first()
        if row is None:
            return None
        self._locked[user_id] = wallet_from_row(row)
        return self._locked[user_id]

    def lock_many(self, user_ids) -> dict[int, Wallet]:
        # One statement; PostgreSQL takes the row locks in the ORDER BY order, so concurrent batches and
        # transfers that lock the same wallets cannot deadlock.
        ids = sorted(set(user_ids) - set(self._locked))
        if ids:
            rows = self.conn.execute(select(wallets).where(wallets.c.user_id.in_(ids))
                                        .order_by(wallets.c.user_id).with_for_update())
            self._locked.update({r.user_id: wallet_from_row(r) for r in rows})
        return {user_id: self._locked[user_id] for user_id in sorted(set(user_ids)) if user_id in self._locked}

    def save_many(self, many: list[Wallet]) -> None:
        """Save several wallets, each a compare-and-swap on its version. On PostgreSQL one UPDATE … FROM
        unnest(arrays) per call (one small plan whatever the count); elsewhere one UPDATE per wallet."""
        if not many:
            return
        if self.conn.dialect.name != "postgresql":
            for wallet in many:
                self.save(wallet)
            return
        columns = {name: [values[name] for values in map(wallet_values, many)] for name in _BALANCES}
        saved = self.conn.execute(_BULK_SAVE, {"ids": [w.user_id for w in many],
                                                  "versions": [w.version for w in many], **columns}).all()
        if len(saved) != len(many):
            raise ConcurrentUpdate()
        for wallet in many:
            wallet.version += 1

    def save(self, wallet: Wallet) -> None:
        # Compare-and-swap on the version as a second line of defence: should a lock ever be missing,
        # a racing save fails loudly instead of losing an update.
        result = self.conn.execute(_SAVE, {"uid": wallet.user_id, "expected": wallet.version,
                                              "next_version": wallet.version + 1, **wallet_values(wallet)})
        if result.first() is None:
            raise ConcurrentUpdate()
        wallet.version += 1

    def all(self) -> Iterator[Wallet]:
        for row in self.conn.execute(select(wallets).order_by(wallets.c.user_id)).yield_per(1000):
            yield wallet_from_row(row)


class SqlLedger(LedgerRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, entry: LedgerEntry) -> LedgerEntry:
        try:
            entry.id = self.conn.execute(_INSERT_ENTRY, entry_values(entry)).scalar_one()
        except IntegrityError as exc:
            # The unique key guards money moves that must happen once. Nothing recovers from a repeat
            # inside the transaction (no savepoint, two fewer round trips per entry): it is rolled back.
            raise DuplicateEntry(entry.unique_key) from exc
        return entry

    def add_many(self, entries: list[LedgerEntry]) -> None:
        """One multi-row INSERT; a repeated unique key raises DuplicateEntry (and the transaction is lost)."""
        if not entries:
            return
        try:
            self.conn.execute(insert(ledger), [entry_values(e) for e in entries])
        except IntegrityError as exc:
            raise DuplicateEntry(", ".join(e.unique_key or "" for e in entries)) from exc

    def has_key(self, unique_key: str) -> bool:
        return self.conn.execute(select(ledger.c.id).where(ledger.c.unique_key == unique_key)).first() is not None

    def by_key(self, unique_key: str) -> LedgerEntry | None:
        row = self.conn.execute(select(ledger).where(ledger.c.unique_key == unique_key)).first()
        return entry_from_row(row) if row else None

    def page(self, user_id: int, accounts: tuple[Account, ...], before_id: int | None,
             limit: int) -> list[LedgerEntry]:
        stmt = (select(ledger).where(ledger.c.user_id == user_id, ledger.c.account.in_([a.value for a in accounts]))
                .order_by(ledger.c.id.desc()).limit(limit))
        if before_id is not None:
            stmt = stmt.where(ledger.c.id < before_id)
        return [entry_from_row(r) for r in self.conn.execute(stmt)]

    def totals(self) -> dict[tuple[int, Account], tuple[int, int, int]]:
        grouped = (select(ledger.c.user_id, ledger.c.account, func.sum(ledger.c.amount).label("total"),
                          func.sum(ledger.c.cost_fen).label("cost"), func.max(ledger.c.id).label("last_id"))
                   .group_by(ledger.c.user_id, ledger.c.account).subquery())
        rows = self.conn.execute(
            select(grouped.c.user_id, grouped.c.account, grouped.c.total, grouped.c.cost, ledger.c.balance_after)
            .join(ledger, ledger.c.id == grouped.c.last_id))
        return {(r.user_id, Account(r.account)): (int(r.total), r.balance_after, int(r.cost)) for r in rows}

    def sums_by_type(self, after_id: int = 0) -> dict[tuple[Account, LedgerType], tuple[int, int]]:
        rows = self.conn.execute(
            select(ledger.c.account, ledger.c.type, func.sum(ledger.c.amount), func.sum(ledger.c.cost_fen))
            .where(ledger.c.id > after_id).group_by(ledger.c.account, ledger.c.type))
        return {(Account(a), LedgerType(t)): (int(amount), int(cost)) for a, t, amount, cost in rows}

    def sums_by_user_between(self, start: datetime, end: datetime) -> UserSums:
        rows = self.conn.execute(
            select(ledger.c.user_id, ledger.c.account, ledger.c.type, ledger.c.ref_kind, func.sum(ledger.c.amount))
            .where(ledger.c.account != Account.CREDITS.value, ledger.c.created_at >= start, ledger.c.created_at < end)
            .group_by(ledger.c.user_id, ledger.c.account, ledger.c.type, ledger.c.ref_kind))
        return {(u, Account(a), LedgerType(t), k): int(total) for u, a, t, k, total in rows}

    def audit_epoch(self) -> tuple[int, datetime] | None:
        row = self.conn.execute(select(epochs.c.ledger_id, epochs.c.created_at)
                                .order_by(epochs.c.ledger_id.desc())).first()
        return (row.ledger_id, row.created_at) if row else None


class SqlCoinLots(CoinLotRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, lot: CoinLot) -> CoinLot:
        lot.id = self.conn.execute(_INSERT_LOT, lot_values(lot)).scalar_one()
        return lot

    def pending_for_user(self, user_id: int) -> list[CoinLot]:
        rows = self.conn.execute(
            select(lots).where(lots.c.user_id == user_id, lots.c.status == LotStatus.PENDING.value)
            .order_by(lots.c.unlock_at, lots.c.id))
        return [lot_from_row(r) for r in rows]

    def save(self, lot: CoinLot) -> None:
        self.conn.execute(update(lots).where(lots.c.id == lot.id).values(lot_values(lot)))

    def users_with_matured(self, now: datetime, limit: int) -> list[int]:
        rows = self.conn.execute(
            select(lots.c.user_id).where(lots.c.status == LotStatus.PENDING.value, lots.c.unlock_at <= now)
            .group_by(lots.c.user_id).order_by(lots.c.user_id).limit(limit))
        return [r.user_id for r in rows]

    def total(self, user_id: int, source: LedgerType) -> Coins:
        fen = self.conn.execute(
            select(func.coalesce(func.sum(lots.c.amount_fen), 0))
            .where(lots.c.user_id == user_id, lots.c.source == source.value,
                   lots.c.status != LotStatus.REVERSED.value)).scalar_one()
        return Coins(int(fen))

    def release_matured(self, user_ids: list[int], now: datetime) -> dict[int, Coins]:
        released = (update(lots).where(lots.c.user_id.in_(user_ids), lots.c.status == LotStatus.PENDING.value,
                                       lots.c.unlock_at <= now)
                    .values(status=LotStatus.RELEASED.value).returning(lots.c.user_id, lots.c.amount_fen))
        totals: dict[int, int] = {}
        for user_id, amount in self.conn.execute(released):
            totals[user_id] = totals.get(user_id, 0) + amount
        return {user_id: Coins(fen) for user_id, fen in totals.items()}

    def pending_totals(self) -> dict[int, int]:
        rows = self.conn.execute(select(lots.c.user_id, func.sum(lots.c.amount_fen))
                                 .where(lots.c.status == LotStatus.PENDING.value).group_by(lots.c.user_id))
        return {user_id: int(total) for user_id, total in rows}

    def by_ref(self, kind: str, ref_id: int | str) -> list[CoinLot]:
        rows = self.conn.execute(
            select(lots).where(lots.c.ref_kind == kind, lots.c.ref_id == str(ref_id)).order_by(lots.c.id))
        return [lot_from_row(r) for r in rows]

    def get_by_ref(self, kind: str, ref_id: int | str) -> CoinLot | None:
        row = self.conn.execute(
            select(lots).where(lots.c.ref_kind == kind, lots.c.ref_id == str(ref_id)).order_by(lots.c.id)).first()
        return lot_from_row(row) if row else None
