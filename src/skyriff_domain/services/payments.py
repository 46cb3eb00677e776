"""Payments: create a pending order on a channel, settle verified notifications exactly once, reconcile."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Mapping

import attrs

from ..errors import (
    DomainError,
    InvalidRequest,
    NotAllowed,
    NotFound,
    NotificationRejected,
    PaymentNotFound,
    ProviderUnavailable,
)
from ..ids import is_id
from ..model.catalog import Product, ProductType
from ..model.operator import Operator
from ..model.payment import (
    OUT_TRADE_NO_ALPHABET,
    ChannelState,
    Payment,
    PaymentEvent,
    PaymentNotice,
    PaymentOrder,
    PaymentStatus,
)
from ..policy import Policy
from ..ports import Clock, DuplicateEntry, PaymentGateway, SecretGenerator, UnitOfWork, UnitOfWorkFactory
from ..model.identity import ADULT_AGE
from ..model.minors import check_payment
from . import wallet_ops
from .audit import record
from .fulfilment import card_of, fulfil
from .verification import age_of

log = logging.getLogger("skyriff.payments")


@attrs.frozen
class CreatedPayment:
    payment: Payment
    pay_params: dict[str, str]
    subscription_id: int | None = None


@attrs.frozen
class ReconcileReport:
    paid: int = 0
    closed: int = 0
    pending: int = 0
    errors: int = 0


@attrs.define
class Payments:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    secrets: SecretGenerator
    gateways: Mapping[str, PaymentGateway]

    def create(self, user_id: int, product_id: int, channel: str, client_ip: str | None = None) -> CreatedPayment:
        """Store a pending payment (15 minutes), then register it with the channel."""
        gateway = self._gateway(channel)
        now = self.clock.now()
        with self.uow() as uow:
            product = uow.products.get(product_id)
            if product is None or not product.active:
                raise NotFound("商品不存在或已下架")
            self._check_minor(uow, user_id, product, now)  # locks a minor's wallet: before the card row, as
            subscription_id = self._check_can_buy(uow, user_id, product)  # every money move orders its locks
            payment = uow.payments.add(Payment(
                user_id=user_id, product_id=product.id, product_type=product.type, channel=channel,
                amount=product.price, description=product.name, out_trade_no=self._out_trade_no(now),
                created_at=now, expires_at=now + self.policy.payment.expiry))
            uow.commit()
        order = PaymentOrder(payment.out_trade_no, payment.amount, payment.description, payment.expires_at, client_ip)
        try:
            params = gateway.create_order(order)
        except ProviderUnavailable:
            raise  # fate unknown: stays pending; reconciliation queries and closes it
        except Exception:
            self._mark_closed(payment.id)  # refused by the channel: this order can never be paid
            raise
        return CreatedPayment(payment, params, subscription_id)

    def create_for(self, user_id: int, product_type: ProductType, channel: str,
                   client_ip: str | None = None) -> CreatedPayment:
        """Buy the (first active) product of a kind: the promoter activation has no product id in the API."""
        with self.uow(read_only=True) as uow:
            product = next(iter(uow.products.list(product_type)), None)
        if product is None:
            raise NotFound("商品不存在或已下架")
        return self.create(user_id, product.id, channel, client_ip)

    def get(self, user_id: int, payment_id: int) -> Payment:
        with self.uow(read_only=True) as uow:
            payment = uow.payments.get(payment_id)
        if payment is None or payment.user_id != user_id:
            raise PaymentNotFound()
        return payment

    def handle_notification(self, channel: str, headers: Mapping[str, str], body: bytes) -> Payment | None:
        """Verify a channel's notification and settle it; raises NotificationRejected (changing nothing)."""
        gateway = self.gateways.get(channel)
        if gateway is None:
            raise NotificationRejected(f"支付渠道 {channel} 未启用")
        notice = gateway.parse_notification(headers, body, self.clock.now())
        if notice.state is not ChannelState.PAID:
            return None  # a closed/unpaid status: reconciliation handles expiry
        return self.settle(notice, channel)

    def query(self, payment_id: int, actor: Operator | None = None) -> Payment:
        """Ask the channel about one payment now and act on its answer (补单): paid is settled exactly as a
        notification would be, closed at the channel is closed here. The answer and who asked are recorded."""
        with self.uow(read_only=True) as uow:
            payment = uow.payments.get(payment_id)
        if payment is None:
            raise NotFound("支付单不存在")
        gateway = self.gateways.get(payment.channel)
        if gateway is None:
            raise NotAllowed(f"{payment.channel} 渠道未启用")
        notice = attrs.evolve(gateway.query(payment.out_trade_no), out_trade_no=payment.out_trade_no,
                              payment_id=None)
        if notice.state is ChannelState.PAID:
            return self.settle(notice, payment.channel, source="console", actor=actor)
        now = self.clock.now()
        with self.uow() as uow:
            payment = uow.payments.get_for_update(payment_id)
            assert payment is not None
            before = payment.status
            if notice.state is ChannelState.CLOSED and payment.status is PaymentStatus.PENDING:
                payment.close(now)
                uow.payments.save(payment)
            uow.payment_events.add(_event(payment.id, now, "console", notice.state.value, notice))
            record(uow, actor, "payment.query", "payment", payment_id, now, before={"status": before.value},
                   after={"status": payment.status.value, "channel": notice.state.value})
            uow.commit()
        return payment

    def settle(self, notice: PaymentNotice, channel: str, source: str = "notify",
               actor: Operator | None = None) -> Payment:
        """Mark paid and fulfil, in one transaction holding the payment's row lock: exactly once however
        many notifications (and reconciliation queries) arrive, in whatever order. A notice refused for its
        amount or transaction id is recorded beside the payment, and changes nothing else."""
        try:
            return self._settle(notice, channel, source, actor)
        except NotificationRejected as refused:
            self._note_refusal(notice, channel, source, refused.message)
            raise

    def _settle(self, notice: PaymentNotice, channel: str, source: str, actor: Operator | None) -> Payment:
        now = self.clock.now()
        if notice.payment_id is not None and not is_id(notice.payment_id):
            raise NotificationRejected("支付单不存在")  # whatever a channel parsed, no query sees a bad id
        with self.uow() as uow:
            payment = self._find(uow, notice, channel)
            if payment is None:
                raise NotificationRejected("支付单不存在")
            was_closed, before = payment.status is PaymentStatus.CLOSED, payment.status
            accepted = payment.accept(notice, now)
            uow.payment_events.add(_event(payment.id, now, source, "settled" if accepted else "duplicate", notice))
            record(uow, actor, "payment.query", "payment", payment.id, now, before={"status": before.value},
                   after={"status": payment.status.value, "channel": notice.state.value})
            if not accepted:
                uow.commit()  # nothing to fulfil: the repeated notice (and who asked) is recorded all the same
            else:
                if was_closed:
                    log.warning("payment %s was paid after being closed: fulfilling it", payment.id)
                product = uow.products.get(payment.product_id)
                assert product is not None
                try:
                    uow.payments.save(payment)
                except DuplicateEntry:
                    raise NotificationRejected("交易号已用于另一支付单") from None
                fulfil(uow, payment, product, now, self.policy, self.secrets)
                uow.commit()
                log.info("payment %s settled on %s", payment.id, channel)
        return payment

    @staticmethod
    def _find(uow: UnitOfWork, notice: PaymentNotice, channel: str) -> Payment | None:
        payment = (uow.payments.get_for_update(notice.payment_id) if notice.payment_id is not None
                   else uow.payments.find_for_update(notice.out_trade_no or ""))
        return payment if payment is not None and payment.channel == channel else None

    def _note_refusal(self, notice: PaymentNotice, channel: str, source: str, why: str) -> None:
        """Beside the payment it names (when it names one of ours), what was refused and why."""
        if notice.payment_id is not None and not is_id(notice.payment_id):
            return
        with self.uow() as uow:
            payment = self._find(uow, notice, channel)
            if payment is not None:
                uow.payment_events.add(_event(payment.id, self.clock.now(), source, "rejected", notice, why))
                uow.commit()

    def reconcile(self, min_age: timedelta = timedelta(minutes=2), batch: int = 2000,
                  parallel: int = 8) -> ReconcileReport:
        """Batch: ask the channels about pending payments (in pages, `parallel` questions at a time),
        settle the paid one by one, close the expired and channel-closed ones in one statement per page.
        Re-runnable: a payment is only ever moved out of pending once. One payment that cannot be asked or
        settled (a channel error, a wrong amount) counts in `errors` and the batch goes on."""
        now = self.clock.now()
        report = ReconcileReport()
        after = 0
        with ThreadPoolExecutor(parallel) as pool:
            while True:
                with self.uow(read_only=True) as uow:
                    page = uow.payments.pending_before(now - min_age, batch, after)
                if not page:
                    return report
                after = page[-1].id
                remote = [p for p in page if getattr(self.gateways.get(p.channel), "remote", False)]
                answers = dict(zip((p.id for p in remote), pool.map(lambda p: self._ask(p, now), remote)))
                outcomes = [answers[p.id] if p.id in answers else self._ask(p, now) for p in page]
                with self.uow() as uow:
                    closed = uow.payments.close_many([p.id for p, o in zip(page, outcomes) if o == "close"], now)
                    uow.commit()
                settled = [self._settle_reported(p, o) for p, o in zip(page, outcomes) if isinstance(o, PaymentNotice)]
                report = ReconcileReport(report.paid + settled.count(True), report.closed + closed,
                                         report.pending + outcomes.count("pending"),
                                         report.errors + outcomes.count("error") + settled.count(False))

    def _ask(self, payment: Payment, now) -> "PaymentNotice | str":
        """What to do with one pending payment: settle (its notice), close, leave pending, or an error."""
        gateway = self.gateways.get(payment.channel)
        if gateway is None:
            return "pending"
        try:
            notice = gateway.query(payment.out_trade_no)
            if notice.state is ChannelState.PAID:
                return notice
            if notice.state is ChannelState.CLOSED:
                return "close"
            if payment.is_expired(now):
                gateway.close(payment.out_trade_no)  # raises if it got paid meanwhile: the next run settles it
                return "close"
            return "pending"
        except DomainError as error:
            log.warning("reconciling payment %s: %s", payment.id, error.message)
            return "error"

    def _settle_reported(self, payment: Payment, notice: PaymentNotice) -> bool:
        """Settle what the channel reported paid; a report we refuse (a wrong amount, a transaction id
        already used) is logged and counted, and never stops the rest of the batch."""
        try:
            self.settle(attrs.evolve(notice, out_trade_no=payment.out_trade_no), payment.channel, source="reconcile")
        except DomainError as error:
            log.warning("reconciling payment %s: channel reported it paid, refused: %s", payment.id, error.message)
            return False
        return True

    def _mark_closed(self, payment_id: int) -> None:
        with self.uow() as uow:
            payment = uow.payments.get_for_update(payment_id)
            if payment is not None and payment.status is PaymentStatus.PENDING:
                payment.close(self.clock.now())
                uow.payments.save(payment)
                uow.commit()

    def _gateway(self, channel: str) -> PaymentGateway:
        gateway = self.gateways.get(channel)
        if gateway is None:
            raise InvalidRequest("pay_channel", f"可用渠道：{', '.join(sorted(self.gateways)) or '无'}")
        return gateway

    def _check_can_buy(self, uow: UnitOfWork, user_id: int, product: Product) -> int | None:
        """Promoters cannot activate twice; a monthly card order names the user's card (created empty)."""
        if product.type is ProductType.PROMOTER_ACTIVATION:
            user = uow.users.get(user_id)
            if user is not None and user.is_promoter:
                raise NotAllowed("已经是推广员")
        if product.type is ProductType.SUBSCRIPTION_MONTHLY:
            return card_of(uow, user_id).id
        return None

    def _check_minor(self, uow: UnitOfWork, user_id: int, product: Product, now) -> None:
        """A verified minor's limits (2012): what this month's paid and still-payable orders leave room for."""
        age = age_of(uow, user_id, self.policy.business_day(now))
        if age is None or age >= ADULT_AGE:
            return
        wallet_ops.locked_wallet(uow, user_id)  # one minor's orders one at a time: the monthly total holds
        committed = uow.payments.committed_since(user_id, self.policy.month_start(now), now)
        check_payment(age, product.price, committed, self.policy.minors)

    def _out_trade_no(self, now) -> str:
        return f"SR{now:%Y%m%d}{self.secrets.code(OUT_TRADE_NO_ALPHABET, 12)}"


def _event(payment_id: int, now, source: str, outcome: str, notice: PaymentNotice, detail: str = "") -> PaymentEvent:
    return PaymentEvent(payment_id, now, source, outcome, notice.state.value, notice.transaction_id, notice.amount,
                        detail[:400])
