"""Payments (row-locked while settling), monthly cards, referrals with their bonus claims, withdrawals."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, and_, any_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyriff_domain.model.catalog import ProductType
from skyriff_domain.model.payment import Payment, PaymentStatus
from skyriff_domain.model.referral import Referral
from skyriff_domain.model.subscription import CardPeriod, Subscription
from skyriff_domain.model.withdrawal import Transfer, Withdrawal, WithdrawalStatus
from skyriff_domain.money import Cny
from skyriff_domain.ports import (
    DuplicateEntry,
    PaymentRepository,
    ReferralRepository,
    SubscriptionRepository,
    WithdrawalRepository,
)

from ..mappers import (
    card_period_from_row,
    card_period_values,
    payment_from_row,
    payment_values,
    referral_from_row,
    subscription_from_row,
    subscription_values,
    withdrawal_from_row,
    withdrawal_values,
)
from ..models import DbCardPeriod, DbPayment, DbReferral, DbReferralBonusClaim, DbSubscription, DbWithdrawal

payments = DbPayment.__table__
subscriptions = DbSubscription.__table__
periods = DbCardPeriod.__table__
_COLLECTED = (PaymentStatus.PAID.value, PaymentStatus.REFUNDED.value)  # money that came in (refunds apart)
_FLYING = tuple(t.value for t in Transfer if t is not Transfer.HELD)
referrals = DbReferral.__table__
bonus_claims = DbReferralBonusClaim.__table__
withdrawals = DbWithdrawal.__table__


def _insert_unique(conn: Connection, stmt, what: str):
    """Insert inside a savepoint, turning a unique-key clash into DuplicateEntry (transaction stays usable)."""
    try:
        with conn.begin_nested():
            return conn.execute(stmt).scalar_one()
    except IntegrityError as exc:
        raise DuplicateEntry(what) from exc


class SqlPayments(PaymentRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, payment: Payment) -> Payment:
        payment.id = self.conn.execute(
            insert(payments).values(payment_values(payment)).returning(payments.c.id)).scalar_one()
        return payment

    def get(self, payment_id: int) -> Payment | None:
        row = self.conn.execute(select(payments).where(payments.c.id == payment_id)).first()
        return payment_from_row(row) if row else None

    def get_for_update(self, payment_id: int) -> Payment | None:
        row = self.conn.execute(select(payments).where(payments.c.id == payment_id).with_for_update()).first()
        return payment_from_row(row) if row else None

    def find_for_update(self, out_trade_no: str) -> Payment | None:
        row = self.conn.execute(
            select(payments).where(payments.c.out_trade_no == out_trade_no).with_for_update()).first()
        return payment_from_row(row) if row else None

    def save(self, payment: Payment) -> None:
        stmt = (update(payments).where(payments.c.id == payment.id).values(payment_values(payment))
                .returning(payments.c.id))
        _insert_unique(self.conn, stmt, f"transaction {payment.transaction_id}")

    def pending_before(self, created_before: datetime, limit: int, after_id: int = 0) -> list[Payment]:
        rows = self.conn.execute(
            select(payments).where(payments.c.status == PaymentStatus.PENDING.value,
                                   payments.c.created_at < created_before, payments.c.id > after_id)
            .order_by(payments.c.id).limit(limit))
        return [payment_from_row(r) for r in rows]

    def close_many(self, payment_ids: list[int], now: datetime) -> int:
        if not payment_ids:
            return 0
        ids = (payments.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger)))
               if self.conn.dialect.name == "postgresql" else payments.c.id.in_(payment_ids))  # one array, not N params
        stmt = (update(payments).where(ids, payments.c.status == PaymentStatus.PENDING.value)
                .values(status=PaymentStatus.CLOSED.value, closed_at=now).returning(payments.c.id))
        if self.conn.dialect.name == "postgresql":
            return len(self.conn.execute(stmt, {"ids": payment_ids}).all())
        return len(self.conn.execute(stmt).all())

    def paid_by_type(self, paid_after: datetime | None = None) -> dict[ProductType, Cny]:
        stmt = (select(payments.c.product_type, func.sum(payments.c.amount_fen))
                .where(payments.c.status.in_(_COLLECTED)).group_by(payments.c.product_type))
        if paid_after is not None:
            stmt = stmt.where(payments.c.paid_at > paid_after)
        return {ProductType(kind): Cny(int(fen)) for kind, fen in self.conn.execute(stmt)}

    def committed_since(self, user_id: int, since: datetime, now: datetime) -> Cny:
        live = or_(payments.c.status == PaymentStatus.PAID.value,
                   and_(payments.c.status == PaymentStatus.PENDING.value, payments.c.expires_at > now))
        return Cny(int(self.conn.execute(select(func.coalesce(func.sum(payments.c.amount_fen), 0)).where(
            payments.c.user_id == user_id, payments.c.created_at >= since, live)).scalar_one()))

    def paid_total(self, user_ids: list[int]) -> int:
        return int(self.conn.execute(
            select(func.coalesce(func.sum(payments.c.amount_fen), 0))
            .where(payments.c.user_id.in_(user_ids), payments.c.status == PaymentStatus.PAID.value)).scalar_one())


class SqlSubscriptions(SubscriptionRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def for_user(self, user_id: int, lock: bool = False) -> Subscription | None:
        stmt = select(subscriptions).where(subscriptions.c.user_id == user_id)
        row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
        return subscription_from_row(row) if row else None

    def add(self, subscription: Subscription) -> Subscription:
        stmt = insert(subscriptions).values(subscription_values(subscription)).returning(subscriptions.c.id)
        subscription.id = _insert_unique(self.conn, stmt, f"subscription of {subscription.user_id}")
        return subscription

    def save(self, subscription: Subscription) -> None:
        self.conn.execute(update(subscriptions).where(subscriptions.c.id == subscription.id)
                             .values(subscription_values(subscription)))

    def add_period(self, period: CardPeriod) -> CardPeriod:
        stmt = insert(periods).values(card_period_values(period)).returning(periods.c.id)
        source = (f"payment {period.payment_id}" if period.payment_id is not None
                  else f"redemption code {period.redemption_code_id}")
        period.id = _insert_unique(self.conn, stmt, f"card period of {source}")
        return period

    def period_at(self, user_id: int, now: datetime) -> CardPeriod | None:
        row = self.conn.execute(
            select(periods).where(periods.c.user_id == user_id, periods.c.starts_at <= now, periods.c.ends_at > now,
                                  periods.c.voided_at.is_(None))
            .order_by(periods.c.starts_at, periods.c.id)).first()
        return card_period_from_row(row) if row else None

    def period_for_payment(self, payment_id: int) -> CardPeriod | None:
        row = self.conn.execute(select(periods).where(periods.c.payment_id == payment_id)).first()
        return card_period_from_row(row) if row else None

    def periods_for(self, user_id: int) -> list[CardPeriod]:
        rows = self.conn.execute(select(periods).where(periods.c.user_id == user_id)
                                 .order_by(periods.c.starts_at, periods.c.id))
        return [card_period_from_row(r) for r in rows]

    def save_period(self, period: CardPeriod) -> None:
        self.conn.execute(update(periods).where(periods.c.id == period.id).values(card_period_values(period)))

    def unclaimed_cost(self) -> Cny:
        return Cny(int(self.conn.execute(
            select(func.coalesce(func.sum(periods.c.price_fen - periods.c.cost_claimed_fen), 0))).scalar_one()))


class SqlReferrals(ReferralRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def for_invitee(self, invitee_id: int) -> Referral | None:
        row = self.conn.execute(select(referrals).where(referrals.c.invitee_id == invitee_id)).first()
        return referral_from_row(row) if row else None

    def add(self, referral: Referral) -> Referral:
        stmt = insert(referrals).values(invitee_id=referral.invitee_id, promoter_id=referral.promoter_id,
                                        code=referral.code, created_at=referral.created_at).returning(referrals.c.id)
        referral.id = _insert_unique(self.conn, stmt, f"referral of {referral.invitee_id}")
        return referral

    def count_for_promoter(self, promoter_id: int) -> int:
        return int(self.conn.execute(
            select(func.count()).select_from(referrals).where(referrals.c.promoter_id == promoter_id)).scalar_one())

    def claim_bonus(self, keys: list[str], user_id: int, now: datetime) -> bool:
        if not keys:
            return False
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(bonus_claims), [
                    {"identity_key": key[:200], "user_id": user_id, "created_at": now} for key in keys])
        except IntegrityError:
            return False
        return True


class SqlWithdrawals(WithdrawalRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, withdrawal: Withdrawal) -> Withdrawal:
        withdrawal.id = self.conn.execute(
            insert(withdrawals).values(withdrawal_values(withdrawal)).returning(withdrawals.c.id)).scalar_one()
        return withdrawal

    def get(self, withdrawal_id: int) -> Withdrawal | None:
        row = self.conn.execute(select(withdrawals).where(withdrawals.c.id == withdrawal_id)).first()
        return withdrawal_from_row(row) if row else None

    def get_for_update(self, withdrawal_id: int) -> Withdrawal | None:
        row = self.conn.execute(
            select(withdrawals).where(withdrawals.c.id == withdrawal_id).with_for_update()).first()
        return withdrawal_from_row(row) if row else None

    def save(self, withdrawal: Withdrawal) -> None:
        self.conn.execute(update(withdrawals).where(withdrawals.c.id == withdrawal.id)
                             .values(withdrawal_values(withdrawal)))

    def page_for_user(self, user_id: int, before_id: int | None, limit: int) -> list[Withdrawal]:
        stmt = (select(withdrawals).where(withdrawals.c.user_id == user_id)
                .order_by(withdrawals.c.id.desc()).limit(limit))
        if before_id is not None:
            stmt = stmt.where(withdrawals.c.id < before_id)
        return [withdrawal_from_row(r) for r in self.conn.execute(stmt)]

    def by_status(self, status: WithdrawalStatus | None, limit: int) -> list[Withdrawal]:
        stmt = select(withdrawals).order_by(withdrawals.c.id).limit(limit)
        if status is not None:
            stmt = stmt.where(withdrawals.c.status == status.value)
        return [withdrawal_from_row(r) for r in self.conn.execute(stmt)]

    def in_flight(self, approved_before: datetime, limit: int) -> list[Withdrawal]:
        rows = self.conn.execute(select(withdrawals).where(
            withdrawals.c.status == WithdrawalStatus.APPROVED.value, withdrawals.c.transfer.in_(_FLYING),
            withdrawals.c.approved_at < approved_before).order_by(withdrawals.c.id).limit(limit))
        return [withdrawal_from_row(r) for r in rows]

    def sent_total(self, approved_since: datetime, user_id: int | None) -> Cny:
        sent = or_(withdrawals.c.status == WithdrawalStatus.PAID.value,
                   and_(withdrawals.c.status == WithdrawalStatus.APPROVED.value, withdrawals.c.transfer.in_(_FLYING)))
        stmt = select(func.coalesce(func.sum(withdrawals.c.amount_fen), 0)).where(
            withdrawals.c.approved_at >= approved_since, withdrawals.c.method.in_(("wechat", "alipay")), sent)
        if user_id is not None:
            stmt = stmt.where(withdrawals.c.user_id == user_id)
        return Cny(int(self.conn.execute(stmt).scalar_one()))
