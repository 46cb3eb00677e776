"""Repository ports: how use cases load and save entities inside a unit of work."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Iterable, Iterator

from ..model.catalog import ImageAsset, Product, ProductType
from ..model.coin_lot import CoinLot
from ..model.ledger import Account, LedgerEntry, LedgerType
from ..money import Coins
from ..model.user import Identity, User, UserStats
from ..model.wallet import Wallet


UserSums = dict[tuple[int, Account, LedgerType, str | None], int]  # (user, account, type, cause kind) → Σ


class IdentityTaken(Exception):
    """Another user already logs in with this identity (a concurrent sign-up won the race)."""


class DuplicateEntry(Exception):
    """A ledger entry's unique key was already used: the money move it guards has happened before."""


class UserRepository(ABC):
    @abstractmethod
    def add(self, user: User) -> User:
        """Insert and return the user with its id."""

    @abstractmethod
    def get(self, user_id: int) -> User | None: ...

    @abstractmethod
    def get_many(self, user_ids: Iterable[int]) -> dict[int, User]: ...

    @abstractmethod
    def find_by_identity(self, identity: Identity) -> User | None: ...

    @abstractmethod
    def add_identity(self, user_id: int, identity: Identity, now: datetime) -> None:
        """Raises IdentityTaken if any user already has it."""

    @abstractmethod
    def identities(self, user_id: int) -> list[Identity]: ...

    @abstractmethod
    def find_by_referral_code(self, code: str) -> User | None: ...

    @abstractmethod
    def save(self, user: User) -> None:
        """Raises IdentityTaken if the referral code is already another user's."""

    @abstractmethod
    def stats(self, user_id: int) -> UserStats: ...

    @abstractmethod
    def bump(self, user_id: int, **deltas: int) -> None:
        """Add to profile counters: likes_received_count, works_count, tips_received_credits."""


class FollowRepository(ABC):
    """Follow rows and the follower/following counters, changed together."""

    @abstractmethod
    def follow(self, follower_id: int, followee_id: int, now: datetime) -> bool:
        """Returns True if a new follow was recorded (False if it already existed)."""

    @abstractmethod
    def unfollow(self, follower_id: int, followee_id: int) -> bool: ...

    @abstractmethod
    def is_following(self, follower_id: int, followee_id: int) -> bool: ...


class WalletRepository(ABC):
    @abstractmethod
    def add(self, wallet: Wallet) -> None: ...

    @abstractmethod
    def get(self, user_id: int) -> Wallet | None: ...

    @abstractmethod
    def get_for_update(self, user_id: int) -> Wallet | None:
        """Load and lock the wallet row until the unit of work ends."""

    def lock_many(self, user_ids: Iterable[int]) -> dict[int, Wallet]:
        """Lock several wallets in id order, so two transfers in opposite directions cannot deadlock."""
        locked = {}
        for user_id in sorted(set(user_ids)):
            wallet = self.get_for_update(user_id)
            if wallet is not None:
                locked[user_id] = wallet
        return locked

    def save_many(self, wallets: list[Wallet]) -> None:
        """Save several wallets (each a compare-and-swap on its version); batches override this."""
        for wallet in wallets:
            self.save(wallet)

    @abstractmethod
    def save(self, wallet: Wallet) -> None:
        """Write the balances if nobody changed them since the load (else raises ConcurrentUpdate)."""

    @abstractmethod
    def all(self) -> Iterator[Wallet]: ...


class LedgerRepository(ABC):
    @abstractmethod
    def add(self, entry: LedgerEntry) -> LedgerEntry:
        """Append and return it with its id; raises DuplicateEntry if `unique_key` was used before."""

    def add_many(self, entries: list[LedgerEntry]) -> None:
        """Append many entries at once (batches); ids are not returned."""
        for entry in entries:
            self.add(entry)

    @abstractmethod
    def has_key(self, unique_key: str) -> bool: ...

    @abstractmethod
    def by_key(self, unique_key: str) -> LedgerEntry | None:
        """The entry written under a unique key (what a fulfilment delivered, say)."""

    @abstractmethod
    def page(self, user_id: int, accounts: tuple[Account, ...], before_id: int | None,
             limit: int) -> list[LedgerEntry]:
        """Newest first, ids below `before_id`."""

    @abstractmethod
    def totals(self) -> dict[tuple[int, Account], tuple[int, int, int]]:
        """(user, account) → (sum of amounts, balance_after of the newest entry, sum of costs), in minor units."""

    @abstractmethod
    def sums_by_type(self, after_id: int = 0) -> dict[tuple[Account, LedgerType], tuple[int, int]]:
        """(account, type) → (sum of amounts, sum of costs) over the entries with an id above `after_id`."""

    @abstractmethod
    def sums_by_user_between(self, start: datetime, end: datetime) -> UserSums:
        """(user, account, type, cause kind) → Σ amount of the coin entries created in [start, end)."""

    @abstractmethod
    def audit_epoch(self) -> tuple[int, datetime] | None:
        """(last entry id, time) before credits carried a cost, when the database is older than that: the
        revenue-share bound is checked on what happened after it (earlier income was paid at another rate)."""


class CoinLotRepository(ABC):
    @abstractmethod
    def add(self, lot: CoinLot) -> CoinLot: ...

    @abstractmethod
    def pending_for_user(self, user_id: int) -> list[CoinLot]:
        """Unreleased lots, oldest unlock first."""

    @abstractmethod
    def save(self, lot: CoinLot) -> None: ...

    @abstractmethod
    def users_with_matured(self, now: datetime, limit: int) -> list[int]: ...

    @abstractmethod
    def release_matured(self, user_ids: list[int], now: datetime) -> dict[int, Coins]:
        """Mark these users' matured pending lots released; returns the total released per user."""

    @abstractmethod
    def get_by_ref(self, kind: str, ref_id: int | str) -> CoinLot | None: ...

    @abstractmethod
    def by_ref(self, kind: str, ref_id: int | str) -> list[CoinLot]:
        """Every lot a thing caused (a payment: the bought coins, the promoter's commission), oldest first."""

    @abstractmethod
    def pending_totals(self) -> dict[int, int]:
        """user → Σ fen of their lots still pending (the audit compares it with their pending coins)."""

    @abstractmethod
    def total(self, user_id: int, source: LedgerType) -> Coins:
        """Everything ever earned from one source (released or not, reversals excluded)."""


class AssetRepository(ABC):
    @abstractmethod
    def get_image(self, asset_id: int) -> ImageAsset | None: ...

    @abstractmethod
    def add_image(self, asset: ImageAsset) -> ImageAsset: ...


class ProductRepository(ABC):
    @abstractmethod
    def list(self, type: ProductType | None = None, active_only: bool = True) -> list[Product]: ...

    @abstractmethod
    def get(self, product_id: int) -> Product | None: ...

    @abstractmethod
    def get_by_sku(self, sku: str) -> Product | None: ...

    @abstractmethod
    def add(self, product: Product) -> Product: ...

    @abstractmethod
    def save(self, product: Product) -> None: ...
