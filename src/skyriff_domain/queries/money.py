"""Payments and withdrawals as operators review them: a payment search and a payment's page with what its channel
said; the withdrawal queue with each payee's verified name beside the account name, their income and flags
(a new account; income mostly from a few fans)."""
from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from ..errors import NotFound
from ..model.catalog import Product
from ..model.ledger import COIN_ACCOUNTS, LedgerEntry, LedgerType
from ..model.payment import Payment, PaymentEvent
from ..model.refund import Refund
from ..model.user import User
from ..model.withdrawal import Withdrawal, WithdrawalStatus
from ..ports import Clock, PaymentQuery, PersonalDataCipher, UnitOfWorkFactory
from ..services.lookups import split_page

NEW_ACCOUNT = timedelta(days=30)
FEW_FANS, FEW_FANS_SHARE = 3, 0.8  # flagged: the top 3 tippers gave 80% or more of the tips
INCOME_TYPES = (LedgerType.TIP_INCOME, LedgerType.PROMPT_INCOME, LedgerType.REMIX_INCOME, LedgerType.COMMISSION,
                LedgerType.INCOME_REVERSAL)


@attrs.frozen
class PaymentPage:
    payment: Payment
    product: Product | None
    user: User | None
    events: list[PaymentEvent]
    refund: Refund | None


@attrs.frozen
class Review:
    """One withdrawal as finance reviews it."""

    withdrawal: Withdrawal
    user: User | None
    verified_name: str | None  # decrypted for finance to compare with the account's name; None: not verified
    income: list[LedgerEntry]  # the newest income entries
    top_fans: list[tuple[int, int]]  # (fan, credits tipped)
    flags: list[str]

    @property
    def name_matches(self) -> bool:
        return self.verified_name is not None and self.verified_name == self.withdrawal.account_info.get("name")


@attrs.define
class MoneyViews:
    uow: UnitOfWorkFactory
    clock: Clock
    cipher: PersonalDataCipher

    def payments(self, query: PaymentQuery, before_id: int | None = None,
                 limit: int = 50) -> tuple[list[Payment], bool]:
        with self.uow(read_only=True) as uow:
            return split_page(uow.console.payments(query, before_id, limit + 1), limit)

    def payment(self, payment_id: int) -> PaymentPage:
        with self.uow(read_only=True) as uow:
            payment = uow.payments.get(payment_id)
            if payment is None:
                raise NotFound("支付单不存在")
            return PaymentPage(payment, uow.products.get(payment.product_id), uow.users.get(payment.user_id),
                               uow.payment_events.for_payment(payment_id), uow.refunds.for_payment(payment_id))

    def reviews(self, status: WithdrawalStatus | None = WithdrawalStatus.APPLIED, limit: int = 50) -> list[Review]:
        with self.uow(read_only=True) as uow:
            rows = uow.withdrawals.by_status(status, limit)
        return [self._review(w) for w in rows]

    def in_flight(self, limit: int = 100) -> list[Withdrawal]:
        """Approved withdrawals whose transfer is at a channel (or held over a cap), oldest first."""
        with self.uow(read_only=True) as uow:
            return [w for w in uow.withdrawals.by_status(WithdrawalStatus.APPROVED, limit)]

    def review(self, withdrawal_id: int) -> Review:
        with self.uow(read_only=True) as uow:
            withdrawal = uow.withdrawals.get(withdrawal_id)
        if withdrawal is None:
            raise NotFound("提现记录不存在")
        return self._review(withdrawal)

    def _review(self, w: Withdrawal) -> Review:
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            user = uow.users.get(w.user_id)
            verification = uow.verifications.for_user(w.user_id)
            entries = uow.ledger.page(w.user_id, COIN_ACCOUNTS, None, 200)
            fans = uow.console.tip_sources(w.user_id, 50)
        income = [e for e in entries if e.type in INCOME_TYPES][:20]
        return Review(w, user, self.cipher.decrypt(verification.name_token) if verification else None, income,
                      fans[:FEW_FANS], _flags(user, fans, now))


def _flags(user: User | None, fans: list[tuple[int, int]], now: datetime) -> list[str]:
    flags = []
    if user is not None and now - user.created_at < NEW_ACCOUNT:
        flags.append(f"新账号（注册不足{NEW_ACCOUNT.days}天）")
    total = sum(amount for _, amount in fans)
    top = sum(amount for _, amount in fans[:FEW_FANS])
    if total and top >= FEW_FANS_SHARE * total:
        flags.append(f"打赏收入集中：前{min(FEW_FANS, len(fans))}位粉丝占{top * 100 // total}%")
    return flags
