"""Repository ports for what money buys and pays out: payments, monthly cards, referrals, withdrawals."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from ..model.catalog import ProductType
from ..model.payment import Payment, PaymentEvent
from ..model.referral import Referral
from ..model.subscription import CardPeriod, Subscription
from ..money import Cny
from ..model.withdrawal import Withdrawal, WithdrawalStatus


class PaymentRepository(ABC):
    @abstractmethod
    def add(self, payment: Payment) -> Payment: ...

    @abstractmethod
    def get(self, payment_id: int) -> Payment | None: ...

    @abstractmethod
    def get_for_update(self, payment_id: int) -> Payment | None:
        """Lock the payment row: settling it is serialized across processes."""

    @abstractmethod
    def find_for_update(self, out_trade_no: str) -> Payment | None: ...

    @abstractmethod
    def save(self, payment: Payment) -> None:
        """Raises DuplicateEntry if the channel's transaction id is already on another payment."""

    @abstractmethod
    def pending_before(self, created_before: datetime, limit: int, after_id: int = 0) -> list[Payment]:
        """Pending payments created before a time, by id (reconciliation walks them in pages)."""

    @abstractmethod
    def paid_total(self, user_ids: list[int]) -> int: ...

    @abstractmethod
    def committed_since(self, user_id: int, since: datetime, now: datetime) -> Cny:
        """What the user paid, or may still pay (pending and unexpired), in orders created since a time."""

    @abstractmethod
    def close_many(self, payment_ids: list[int], now: datetime) -> int:
        """Close the ones still pending; returns how many were closed."""

    @abstractmethod
    def paid_by_type(self, paid_after: datetime | None = None) -> dict[ProductType, Cny]:
        """CNY collected by settled payments (refunded ones too: refunds are counted apart), per product type."""


class PaymentEventRepository(ABC):
    """Append-only: what channels said about payments (notifications, queries) and what came of it."""

    @abstractmethod
    def add(self, event: PaymentEvent) -> None: ...

    @abstractmethod
    def for_payment(self, payment_id: int, limit: int = 100) -> list[PaymentEvent]:
        """Oldest first."""


class SubscriptionRepository(ABC):
    @abstractmethod
    def for_user(self, user_id: int, lock: bool = False) -> Subscription | None: ...

    @abstractmethod
    def add(self, subscription: Subscription) -> Subscription:
        """Raises DuplicateEntry if the user already has one (a concurrent first purchase)."""

    @abstractmethod
    def save(self, subscription: Subscription) -> None: ...

    @abstractmethod
    def add_period(self, period: CardPeriod) -> CardPeriod:
        """Raises DuplicateEntry if the payment already made a period."""

    @abstractmethod
    def period_at(self, user_id: int, now: datetime) -> CardPeriod | None:
        """The user's card period running at `now` (the caller holds the card's lock)."""

    @abstractmethod
    def save_period(self, period: CardPeriod) -> None: ...

    @abstractmethod
    def period_for_payment(self, payment_id: int) -> CardPeriod | None: ...

    @abstractmethod
    def periods_for(self, user_id: int) -> list[CardPeriod]:
        """Every period of the user's card, by start."""

    @abstractmethod
    def unclaimed_cost(self) -> Cny:
        """Σ over every card period (voided ones too) of the price its claims have not carried into a wallet."""


class ReferralRepository(ABC):
    @abstractmethod
    def for_invitee(self, invitee_id: int) -> Referral | None: ...

    @abstractmethod
    def add(self, referral: Referral) -> Referral:
        """Raises DuplicateEntry if the invitee already bound a code."""

    @abstractmethod
    def count_for_promoter(self, promoter_id: int) -> int: ...

    @abstractmethod
    def claim_bonus(self, keys: list[str], user_id: int, now: datetime) -> bool:
        """Record that these identities (phone, WeChat unionid…) got the invitee bonus; False if any had."""


class WithdrawalRepository(ABC):
    @abstractmethod
    def add(self, withdrawal: Withdrawal) -> Withdrawal: ...

    @abstractmethod
    def get(self, withdrawal_id: int) -> Withdrawal | None: ...

    @abstractmethod
    def get_for_update(self, withdrawal_id: int) -> Withdrawal | None: ...

    @abstractmethod
    def save(self, withdrawal: Withdrawal) -> None: ...

    @abstractmethod
    def page_for_user(self, user_id: int, before_id: int | None, limit: int) -> list[Withdrawal]:
        """Newest first."""

    @abstractmethod
    def by_status(self, status: WithdrawalStatus | None, limit: int) -> list[Withdrawal]:
        """Oldest first: the operators' queue."""

    @abstractmethod
    def in_flight(self, approved_before: datetime, limit: int) -> list[Withdrawal]:
        """Approved withdrawals whose transfer is sending, processing or waiting for the payee, approved before
        a time; oldest first (the sync batch)."""

    @abstractmethod
    def sent_total(self, approved_since: datetime, user_id: int | None) -> Cny:
        """What was sent, or is being sent, through the channels since a time (one user's, or everyone's):
        approved and not held, or paid."""
