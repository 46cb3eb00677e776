"""Refunds of settled payments (operators only: `skyriff payments refund`, a guardian's request for a minor's
payment included): take back what the payment delivered and record the refund in one transaction, then ask
the channel once under a number derived from the payment; a result that is unknown is queried, never asked
blindly again. The channel's refusal gives everything back, exactly once."""
from __future__ import annotations

import logging
from typing import Mapping

import attrs

from ..errors import DomainError, NotAllowed, NotFound, NotificationRejected
from ..model.payment import Payment, PaymentStatus
from ..model.refund import Refund, RefundStatus
from ..policy import Policy
from ..ports import Clock, DuplicateEntry, UnitOfWorkFactory
from ..ports.payouts import OutcomeUnknown, RefundGateway, RefundNotice, RefundOrder, RefundResult, RefundState
from ..text import clean_text
from ..model.operator import Operator
from .audit import record
from .refund_takeback import give_back, take_back

log = logging.getLogger("skyriff.refunds")


@attrs.frozen
class RefundSyncReport:
    succeeded: int = 0
    failed: int = 0
    processing: int = 0
    errors: int = 0


@attrs.define
class Refunds:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    gateways: Mapping[str, RefundGateway]

    def refund(self, payment_id: int, reason: str, force: bool = False, operator: str = "",
               actor: Operator | None = None) -> Refund:
        """Refund a settled payment in full. Refused (2008, nothing changes) when it is not paid, was refunded,
        its channel cannot refund, or credits it delivered were spent — unless `force`, which writes off
        what cannot be taken back."""
        reason = clean_text("reason", reason, 200, min_len=1)
        operator = actor.name if actor is not None else operator
        now = self.clock.now()
        with self.uow() as uow:
            payment = uow.payments.get_for_update(payment_id)
            if payment is None:
                raise NotFound("支付单不存在")
            if payment.status is not PaymentStatus.PAID or uow.refunds.for_payment(payment_id) is not None:
                raise NotAllowed(f"支付单状态为 {payment.status}，不能退款")
            if payment.channel not in self.gateways:
                raise NotAllowed(f"{payment.channel} 渠道不支持退款")
            refund = Refund(payment_id, payment.user_id, payment.amount, reason, now, forced=force,
                            operator=operator)
            take_back(uow, refund, payment, force, now)
            try:
                refund = uow.refunds.add(refund)
            except DuplicateEntry:
                raise NotAllowed("该支付单已退款") from None
            record(uow, actor, "payment.refund", "payment", payment_id, now, reason=reason,
                   before={"status": payment.status.value, "amount": str(payment.amount)},
                   after={"refund_no": refund.refund_no, "credits_taken": refund.credits_taken.minor,
                          "cost_taken": str(refund.cost_taken), "coins_taken": str(refund.coins_taken),
                          "written_off": str(refund.written_off), "forced": force})
            uow.commit()
        log.info("payment %s: refund %s requested (%s)", payment_id, refund.refund_no, operator or "operator")
        return self._ask(refund, payment)

    def sync(self, limit: int = 200) -> RefundSyncReport:
        """Batch: ask the channels about refunds still processing; one that was never created is asked for."""
        with self.uow(read_only=True) as uow:
            pending = uow.refunds.processing(limit)
        counts = {"succeeded": 0, "failed": 0, "processing": 0, "errors": 0}
        for refund in pending:
            try:
                payment = self._payment(refund.payment_id)
                result = self.gateways[payment.channel].query_refund(refund.refund_no, payment.out_trade_no)
                if result.state is RefundState.NOT_FOUND:
                    refund = self._ask(refund, payment)
                else:
                    refund = self._record(refund.refund_no, result.state, result.channel_ref, result.reason)
            except (DomainError, KeyError) as error:
                log.warning("refund %s: cannot ask its channel now (%s)", refund.refund_no, error)
                counts["errors"] += 1
                continue
            counts[refund.status.value if refund.status is not RefundStatus.PROCESSING else "processing"] += 1
        return RefundSyncReport(**counts)

    def handle_notification(self, channel: str, headers: Mapping[str, str], body: bytes) -> Refund:
        """A channel's verified refund notification; raises NotificationRejected (3004) changing nothing."""
        gateway = self.gateways.get(channel)
        if gateway is None:
            raise NotificationRejected(f"{channel} 渠道未启用退款")
        notice: RefundNotice = gateway.parse_refund_notification(headers, body, self.clock.now())
        with self.uow(read_only=True) as uow:
            refund = uow.refunds.find(notice.refund_no)
        if refund is None:
            raise NotificationRejected("退款单不存在")
        if notice.amount is not None and notice.amount != refund.amount:
            raise NotificationRejected(f"退款金额不符：{notice.amount} ≠ {refund.amount}")
        return self._record(notice.refund_no, notice.state, notice.channel_ref, None)

    def _ask(self, refund: Refund, payment: Payment) -> Refund:
        order = RefundOrder(refund.refund_no, payment.out_trade_no, refund.amount, payment.amount, refund.reason)
        try:
            result: RefundResult = self.gateways[payment.channel].refund(order)
        except OutcomeUnknown as unknown:
            log.warning("refund %s: outcome unknown (%s); it will be queried", refund.refund_no, unknown)
            return refund
        return self._record(refund.refund_no, result.state, result.channel_ref, result.reason)

    def _record(self, refund_no: str, state: RefundState, channel_ref: str | None, reason: str | None) -> Refund:
        """Move a processing refund to its final state, once: success marks the payment refunded; failure
        gives back what was taken."""
        now = self.clock.now()
        with self.uow() as uow:
            refund = uow.refunds.find_for_update(refund_no)
            assert refund is not None
            if refund.status is not RefundStatus.PROCESSING or state in (RefundState.PROCESSING,
                                                                            RefundState.NOT_FOUND):
                return refund
            payment = uow.payments.get_for_update(refund.payment_id)
            assert payment is not None
            if state is RefundState.SUCCESS:
                refund.succeed(now, channel_ref)
                payment.refunded()
                uow.payments.save(payment)
            else:
                refund.fail(now, reason or "渠道拒绝退款")
                give_back(uow, refund, payment, now, self.policy)
                log.warning("refund %s failed at its channel: %s", refund_no, refund.failure_reason)
            uow.refunds.save(refund)
            uow.commit()
        return refund

    def _payment(self, payment_id: int) -> Payment:
        with self.uow(read_only=True) as uow:
            payment = uow.payments.get(payment_id)
        assert payment is not None
        return payment
