"""The sandbox refund channel for the embedded defaults and tests: refunds at once, no network; its refunds
live in a SandboxBook (the database on the embedded defaults), so every process sees them."""
from __future__ import annotations

from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import RefundGateway, RefundOrder, RefundResult, RefundState

from .sandbox_book import MemorySandboxBook, SandboxBook


class SandboxRefundGateway(RefundGateway):
    """`RefundGateway` whose refunds succeed at once; every refund_no is refunded at most once.

    Like Alipay it sends no refund notifications (the port's default refusal stays)."""

    def __init__(self, channel: str = "sandbox", book: SandboxBook | None = None) -> None:
        self.channel = channel
        self._book = book if book is not None else MemorySandboxBook()

    def __repr__(self) -> str:
        return f"SandboxRefundGateway(channel={self.channel!r})"

    def _key(self, refund_no: str) -> str:
        return f"refund:{self.channel}:{refund_no}"

    def refund(self, order: RefundOrder) -> RefundResult:
        if not order.refund_no or not order.amount.is_positive or order.amount > order.total:
            raise ValueError("a refund gives back a positive amount no larger than what was paid")
        kept, _ = self._book.remember(self._key(order.refund_no), {
            "out_trade_no": order.out_trade_no, "amount_fen": order.amount.minor,
            "channel_ref": f"sandbox-refund-{order.refund_no}"})
        return RefundResult(RefundState.SUCCESS, channel_ref=kept["channel_ref"])

    def query_refund(self, refund_no: str, out_trade_no: str) -> RefundResult:
        known = self._book.recall(self._key(refund_no))
        if known is None or known["out_trade_no"] != out_trade_no:
            return RefundResult(RefundState.NOT_FOUND)
        return RefundResult(RefundState.SUCCESS, channel_ref=known["channel_ref"])

    def refunded(self, out_trade_no: str) -> Cny:
        """What this sandbox gave back for the payment (for tests and the developer's curiosity)."""
        return Cny(sum(r["amount_fen"] for r in self._book.records(f"refund:{self.channel}:")
                       if r["out_trade_no"] == out_trade_no))
