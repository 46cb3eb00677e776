"""In-memory payments, monthly cards, referrals and withdrawals (the unit of work holds the lock)."""
from __future__ import annotations

import copy
from datetime import datetime

from skyriff_domain.model.catalog import ProductType
from skyriff_domain.model.payment import Payment, PaymentStatus
from skyriff_domain.model.referral import Referral
from skyriff_domain.model.subscription import CardPeriod, Subscription
from skyriff_domain.model.withdrawal import Withdrawal, WithdrawalStatus
from skyriff_domain.money import Cny
from skyriff_domain.ports import (
    DuplicateEntry,
    PaymentRepository,
    ReferralRepository,
    SubscriptionRepository,
    WithdrawalRepository,
)

from .database import MemoryDatabase

_copy = copy.deepcopy


class MemoryPayments(PaymentRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, payment: Payment) -> Payment:
        payment = _copy(payment)
        payment.id = self.db.next_id("payments")
        self.db.state.payments[payment.id] = _copy(payment)
        return payment

    def get(self, payment_id: int) -> Payment | None:
        return _copy(self.db.state.payments.get(payment_id))

    get_for_update = get

    def find_for_update(self, out_trade_no: str) -> Payment | None:
        return next((_copy(p) for p in self.db.state.payments.values() if p.out_trade_no == out_trade_no), None)

    def save(self, payment: Payment) -> None:
        if payment.transaction_id and any(p.transaction_id == payment.transaction_id and p.channel == payment.channel
                                          and p.id != payment.id for p in self.db.state.payments.values()):
            raise DuplicateEntry(payment.transaction_id)
        self.db.state.payments[payment.id] = _copy(payment)

    def pending_before(self, created_before: datetime, limit: int, after_id: int = 0) -> list[Payment]:
        rows = sorted((p for p in self.db.state.payments.values() if p.status is PaymentStatus.PENDING
                       and p.created_at < created_before and p.id > after_id), key=lambda p: p.id)
        return _copy(rows[:limit])

    def close_many(self, payment_ids: list[int], now: datetime) -> int:
        closed = 0
        for payment_id in payment_ids:
            payment = self.db.state.payments.get(payment_id)
            if payment is not None and payment.status is PaymentStatus.PENDING:
                payment.close(now)
                closed += 1
        return closed

    def paid_by_type(self, paid_after: datetime | None = None) -> dict[ProductType, Cny]:
        totals: dict[ProductType, Cny] = {}
        for p in self.db.state.payments.values():
            collected = p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED)
            if collected and (paid_after is None or (p.paid_at and p.paid_at > paid_after)):
                totals[p.product_type] = totals.get(p.product_type, Cny(0)) + p.amount
        return totals

    def committed_since(self, user_id: int, since: datetime, now: datetime) -> Cny:
        return sum((p.amount for p in self.db.state.payments.values() if p.user_id == user_id
                    and p.created_at >= since and (p.status is PaymentStatus.PAID
                                                   or (p.status is PaymentStatus.PENDING and p.expires_at > now))),
                   Cny(0))

    def paid_total(self, user_ids: list[int]) -> int:
        return sum(p.amount.minor for p in self.db.state.payments.values()
                   if p.user_id in user_ids and p.status is PaymentStatus.PAID)


class MemorySubscriptions(SubscriptionRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def for_user(self, user_id: int, lock: bool = False) -> Subscription | None:
        return next((_copy(s) for s in self.db.state.subscriptions.values() if s.user_id == user_id), None)

    def add(self, subscription: Subscription) -> Subscription:
        if self.for_user(subscription.user_id) is not None:
            raise DuplicateEntry(f"subscription of {subscription.user_id}")
        subscription = _copy(subscription)
        subscription.id = self.db.next_id("subscriptions")
        self.db.state.subscriptions[subscription.id] = _copy(subscription)
        return subscription

    def save(self, subscription: Subscription) -> None:
        self.db.state.subscriptions[subscription.id] = _copy(subscription)

    def add_period(self, period: CardPeriod) -> CardPeriod:
        if (period.payment_id is None) == (period.redemption_code_id is None):
            raise ValueError("a card period comes from a payment or from a redemption code")
        for other in self.db.state.card_periods.values():
            if period.payment_id is not None and other.payment_id == period.payment_id:
                raise DuplicateEntry(f"card period of payment {period.payment_id}")
            if period.redemption_code_id is not None and other.redemption_code_id == period.redemption_code_id:
                raise DuplicateEntry(f"card period of redemption code {period.redemption_code_id}")
        period = _copy(period)
        period.id = self.db.next_id("card_periods")
        self.db.state.card_periods[period.id] = _copy(period)
        return period

    def period_at(self, user_id: int, now: datetime) -> CardPeriod | None:
        running = sorted((p for p in self.db.state.card_periods.values() if p.user_id == user_id and p.covers(now)),
                         key=lambda p: (p.starts_at, p.id))
        return _copy(running[0]) if running else None

    def save_period(self, period: CardPeriod) -> None:
        self.db.state.card_periods[period.id] = _copy(period)

    def period_for_payment(self, payment_id: int) -> CardPeriod | None:
        return next((_copy(p) for p in self.db.state.card_periods.values() if p.payment_id == payment_id), None)

    def periods_for(self, user_id: int) -> list[CardPeriod]:
        mine = [p for p in self.db.state.card_periods.values() if p.user_id == user_id]
        return _copy(sorted(mine, key=lambda p: (p.starts_at, p.id)))

    def unclaimed_cost(self) -> Cny:
        return sum((p.price - p.cost_claimed for p in self.db.state.card_periods.values()), Cny(0))


class MemoryReferrals(ReferralRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def for_invitee(self, invitee_id: int) -> Referral | None:
        return next((_copy(r) for r in self.db.state.referrals.values() if r.invitee_id == invitee_id), None)

    def add(self, referral: Referral) -> Referral:
        if self.for_invitee(referral.invitee_id) is not None:
            raise DuplicateEntry(f"referral of {referral.invitee_id}")
        referral = _copy(referral)
        referral.id = self.db.next_id("referrals")
        self.db.state.referrals[referral.id] = _copy(referral)
        return referral

    def count_for_promoter(self, promoter_id: int) -> int:
        return sum(1 for r in self.db.state.referrals.values() if r.promoter_id == promoter_id)

    def claim_bonus(self, keys: list[str], user_id: int, now: datetime) -> bool:
        if not keys or any(k in self.db.state.bonus_keys for k in keys):
            return False
        for key in keys:
            self.db.state.bonus_keys[key] = user_id
        return True


class MemoryWithdrawals(WithdrawalRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, withdrawal: Withdrawal) -> Withdrawal:
        withdrawal = _copy(withdrawal)
        withdrawal.id = self.db.next_id("withdrawals")
        self.db.state.withdrawals[withdrawal.id] = _copy(withdrawal)
        return withdrawal

    def get(self, withdrawal_id: int) -> Withdrawal | None:
        return _copy(self.db.state.withdrawals.get(withdrawal_id))

    get_for_update = get

    def save(self, withdrawal: Withdrawal) -> None:
        self.db.state.withdrawals[withdrawal.id] = _copy(withdrawal)

    def page_for_user(self, user_id: int, before_id: int | None, limit: int) -> list[Withdrawal]:
        rows = sorted((w for w in self.db.state.withdrawals.values() if w.user_id == user_id
                       and (before_id is None or w.id < before_id)), key=lambda w: -w.id)
        return _copy(rows[:limit])

    def by_status(self, status: WithdrawalStatus | None, limit: int) -> list[Withdrawal]:
        rows = sorted((w for w in self.db.state.withdrawals.values() if status is None or w.status is status),
                      key=lambda w: w.id)
        return _copy(rows[:limit])

    def in_flight(self, approved_before: datetime, limit: int) -> list[Withdrawal]:
        rows = sorted((w for w in self.db.state.withdrawals.values() if w.in_flight
                       and w.approved_at is not None and w.approved_at < approved_before), key=lambda w: w.id)
        return _copy(rows[:limit])

    def sent_total(self, approved_since: datetime, user_id: int | None) -> Cny:
        return sum((w.amount for w in self.db.state.withdrawals.values()
                    if w.method in ("wechat", "alipay") and w.approved_at is not None
                    and w.approved_at >= approved_since and (user_id is None or w.user_id == user_id)
                    and (w.status is WithdrawalStatus.PAID or w.in_flight)), Cny(0))
