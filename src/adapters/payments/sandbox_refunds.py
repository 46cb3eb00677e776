"""The sandbox refund channel for the embedded defaults and tests: refunds at once, in memory, no network."""
from __future__ import annotations

import threading

from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import RefundGateway, RefundOrder, RefundResult, RefundState


class SandboxRefundGateway(RefundGateway):
    """`RefundGateway` whose refunds succeed at once; every refund_no is refunded at most once.

    Like Alipay it sends no refund notifications (the port's default refusal stays)."""

    def __init__(self, channel: str = "sandbox") -> None:
        self.channel = channel
        self._refunds: dict[str, tuple[RefundOrder, RefundResult]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SandboxRefundGateway(channel={self.channel!r})"

    def refund(self, order: RefundOrder) -> RefundResult:
        if not order.refund_no or not order.amount.is_positive or order.amount > order.total:
            raise ValueError("a refund gives back a positive amount no larger than what was paid")
        with self._lock:
            return self._refunds.setdefault(order.refund_no, (order, RefundResult(
                RefundState.SUCCESS, channel_ref=f"sandbox-refund-{order.refund_no}")))[1]

    def query_refund(self, refund_no: str, out_trade_no: str) -> RefundResult:
        with self._lock:
            known = self._refunds.get(refund_no)
        if known is None or known[0].out_trade_no != out_trade_no:
            return RefundResult(RefundState.NOT_FOUND)
        return known[1]

    def refunded(self, out_trade_no: str) -> Cny:
        """What this sandbox gave back for the payment (for tests and the developer's curiosity)."""
        with self._lock:
            return sum((o.amount for o, _ in self._refunds.values() if o.out_trade_no == out_trade_no), Cny(0))
