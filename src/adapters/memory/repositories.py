"""In-memory repositories: copies in, copies out, so unsaved changes never leak (like a real database)."""
from __future__ import annotations

import copy
from datetime import datetime
from typing import Iterable, Iterator

from skyriff_domain.errors import ConcurrentUpdate
from skyriff_domain.model.catalog import ImageAsset, Product, ProductType
from skyriff_domain.model.coin_lot import CoinLot, LotStatus
from skyriff_domain.model.ledger import Account, LedgerEntry, LedgerType
from skyriff_domain.money import Coins
from skyriff_domain.model.user import Identity, User, UserStats
from skyriff_domain.model.wallet import Wallet
from skyriff_domain.ports.repositories import UserSums
from skyriff_domain.ports import (
    AssetRepository,
    CoinLotRepository,
    DuplicateEntry,
    FollowRepository,
    IdentityTaken,
    LedgerRepository,
    ProductRepository,
    UserRepository,
    WalletRepository,
)

from .database import MemoryDatabase

_copy = copy.deepcopy


class MemoryUsers(UserRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, user: User) -> User:
        user = _copy(user)
        user.id = self.db.next_id("users")
        self.db.state.users[user.id] = _copy(user)
        return user

    def get(self, user_id: int) -> User | None:
        return _copy(self.db.state.users.get(user_id))

    def get_many(self, user_ids: Iterable[int]) -> dict[int, User]:
        return {i: _copy(self.db.state.users[i]) for i in set(user_ids) if i in self.db.state.users}

    def find_by_identity(self, identity: Identity) -> User | None:
        user_id = self.db.state.identities.get(identity)
        return self.get(user_id) if user_id is not None else None

    def add_identity(self, user_id: int, identity: Identity, now: datetime) -> None:
        if identity in self.db.state.identities:
            raise IdentityTaken(identity)
        self.db.state.identities[identity] = user_id

    def identities(self, user_id: int) -> list[Identity]:
        return [i for i, owner in self.db.state.identities.items() if owner == user_id]

    def find_by_referral_code(self, code: str) -> User | None:
        return next((_copy(u) for u in self.db.state.users.values() if u.referral_code == code), None)

    def save(self, user: User) -> None:
        if user.referral_code and any(u.referral_code == user.referral_code and u.id != user.id
                                      for u in self.db.state.users.values()):
            raise IdentityTaken("referral_code")
        self.db.state.users[user.id] = _copy(user)

    def stats(self, user_id: int) -> UserStats:
        c = self.db.state.counters[user_id]
        return UserStats(c["likes_received_count"], c["followers_count"], c["following_count"], c["works_count"])

    def bump(self, user_id: int, **deltas: int) -> None:
        for name, delta in deltas.items():
            self.db.state.counters[user_id][name] += delta


class MemoryFollows(FollowRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def follow(self, follower_id: int, followee_id: int, now: datetime) -> bool:
        if (follower_id, followee_id) in self.db.state.follows:
            return False
        self.db.state.follows.add((follower_id, followee_id))
        self._count(follower_id, followee_id, +1)
        return True

    def unfollow(self, follower_id: int, followee_id: int) -> bool:
        if (follower_id, followee_id) not in self.db.state.follows:
            return False
        self.db.state.follows.discard((follower_id, followee_id))
        self._count(follower_id, followee_id, -1)
        return True

    def _count(self, follower_id: int, followee_id: int, delta: int) -> None:
        self.db.state.counters[follower_id]["following_count"] += delta
        self.db.state.counters[followee_id]["followers_count"] += delta

    def is_following(self, follower_id: int, followee_id: int) -> bool:
        return (follower_id, followee_id) in self.db.state.follows


class MemoryWallets(WalletRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, wallet: Wallet) -> None:
        self.db.state.wallets[wallet.user_id] = _copy(wallet)

    def get(self, user_id: int) -> Wallet | None:
        return _copy(self.db.state.wallets.get(user_id))

    get_for_update = get  # the unit of work already holds the database lock

    def save(self, wallet: Wallet) -> None:
        stored = self.db.state.wallets[wallet.user_id]
        if stored.version != wallet.version:
            raise ConcurrentUpdate()
        wallet.version += 1
        self.db.state.wallets[wallet.user_id] = _copy(wallet)

    def all(self) -> Iterator[Wallet]:
        return iter([_copy(w) for w in self.db.state.wallets.values()])


class MemoryLedger(LedgerRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, entry: LedgerEntry) -> LedgerEntry:
        if entry.unique_key is not None:
            if entry.unique_key in self.db.state.ledger_keys:
                raise DuplicateEntry(entry.unique_key)
            self.db.state.ledger_keys.add(entry.unique_key)
        entry = _copy(entry)
        entry.id = self.db.next_id("ledger")
        self.db.state.ledger.append(_copy(entry))
        return entry

    def has_key(self, unique_key: str) -> bool:
        return unique_key in self.db.state.ledger_keys

    def by_key(self, unique_key: str) -> LedgerEntry | None:
        return next((_copy(e) for e in self.db.state.ledger if e.unique_key == unique_key), None)

    def page(self, user_id: int, accounts: tuple[Account, ...], before_id: int | None,
             limit: int) -> list[LedgerEntry]:
        rows = [e for e in reversed(self.db.state.ledger)
                if e.user_id == user_id and e.account in accounts and (before_id is None or e.id < before_id)]
        return _copy(rows[:limit])

    def totals(self) -> dict[tuple[int, Account], tuple[int, int, int]]:
        out: dict[tuple[int, Account], tuple[int, int, int]] = {}
        for e in self.db.state.ledger:
            total, _, cost = out.get((e.user_id, e.account), (0, 0, 0))
            out[(e.user_id, e.account)] = (total + e.amount.minor, e.balance_after.minor, cost + e.cost.minor)
        return out

    def sums_by_type(self, after_id: int = 0) -> dict[tuple[Account, LedgerType], tuple[int, int]]:
        out: dict[tuple[Account, LedgerType], tuple[int, int]] = {}
        for e in self.db.state.ledger:
            if e.id > after_id:
                amount, cost = out.get((e.account, e.type), (0, 0))
                out[(e.account, e.type)] = (amount + e.amount.minor, cost + e.cost.minor)
        return out

    def sums_by_user_between(self, start: datetime, end: datetime) -> UserSums:
        out: UserSums = {}
        for e in self.db.state.ledger:
            if e.account is not Account.CREDITS and start <= e.created_at < end:
                key = (e.user_id, e.account, e.type, e.ref.kind if e.ref else None)
                out[key] = out.get(key, 0) + e.amount.minor
        return out

    def audit_epoch(self) -> tuple[int, datetime] | None:
        return None  # an in-memory ledger always had costs


class MemoryCoinLots(CoinLotRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, lot: CoinLot) -> CoinLot:
        lot = _copy(lot)
        lot.id = self.db.next_id("lots")
        self.db.state.lots[lot.id] = _copy(lot)
        return lot

    def pending_for_user(self, user_id: int) -> list[CoinLot]:
        lots = [lot for lot in self.db.state.lots.values()
                if lot.user_id == user_id and lot.status is LotStatus.PENDING]
        return _copy(sorted(lots, key=lambda lot: (lot.unlock_at, lot.id)))

    def save(self, lot: CoinLot) -> None:
        self.db.state.lots[lot.id] = _copy(lot)

    def users_with_matured(self, now: datetime, limit: int) -> list[int]:
        users = sorted({lot.user_id for lot in self.db.state.lots.values() if lot.is_matured(now)})
        return users[:limit]

    def release_matured(self, user_ids: list[int], now: datetime) -> dict[int, Coins]:
        released: dict[int, Coins] = {}
        for lot in self.db.state.lots.values():
            if lot.user_id in user_ids and lot.is_matured(now):
                lot.status = LotStatus.RELEASED
                released[lot.user_id] = released.get(lot.user_id, Coins(0)) + lot.amount
        return released

    def pending_totals(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for lot in self.db.state.lots.values():
            if lot.status is LotStatus.PENDING:
                out[lot.user_id] = out.get(lot.user_id, 0) + lot.amount.minor
        return out

    def by_ref(self, kind: str, ref_id: int | str) -> list[CoinLot]:
        return _copy(sorted((lot for lot in self.db.state.lots.values() if lot.ref is not None
                             and lot.ref.kind == kind and str(lot.ref.id) == str(ref_id)), key=lambda lot: lot.id))

    def get_by_ref(self, kind: str, ref_id: int | str) -> CoinLot | None:
        for lot in self.db.state.lots.values():
            if lot.ref is not None and lot.ref.kind == kind and str(lot.ref.id) == str(ref_id):
                return _copy(lot)
        return None

    def total(self, user_id: int, source: LedgerType) -> Coins:
        return sum((lot.amount for lot in self.db.state.lots.values() if lot.user_id == user_id
                    and lot.source is source and lot.status is not LotStatus.REVERSED), Coins(0))


class MemoryAssets(AssetRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def get_image(self, asset_id: int) -> ImageAsset | None:
        return _copy(self.db.state.images.get(asset_id))

    def add_image(self, asset: ImageAsset) -> ImageAsset:
        asset = _copy(asset)
        asset.id = self.db.next_id("images")
        self.db.state.images[asset.id] = _copy(asset)
        return asset


class MemoryProducts(ProductRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def list(self, type: ProductType | None = None, active_only: bool = True) -> list[Product]:
        rows = [p for p in self.db.state.products.values()
                if (type is None or p.type is type) and (p.active or not active_only)]
        return _copy(sorted(rows, key=lambda p: (p.sort_order, p.id)))

    def get(self, product_id: int) -> Product | None:
        return _copy(self.db.state.products.get(product_id))

    def get_by_sku(self, sku: str) -> Product | None:
        return next((_copy(p) for p in self.db.state.products.values() if p.sku == sku), None)

    def add(self, product: Product) -> Product:
        product = _copy(product)
        product.id = self.db.next_id("products")
        self.db.state.products[product.id] = _copy(product)
        return product

    def save(self, product: Product) -> None:
        self.db.state.products[product.id] = _copy(product)
