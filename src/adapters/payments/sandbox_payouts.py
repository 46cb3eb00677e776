"""The sandbox payout channel for the embedded defaults and tests: pays at once, in memory, no network.

Markers in the payee account pick the path a real channel can take: `[fail]` fails for good (FAILED with a
reason), `[timeout]` answers the first attempt with OutcomeUnknown although the money left (a query then says
SUCCESS). One instance per withdrawal method ("wechat", "alipay"); bills live in this process only.
"""
from __future__ import annotations

import threading

from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, PayoutGateway, TransferOrder, TransferResult, TransferState

FAIL_MARKER = "[fail]"
TIMEOUT_MARKER = "[timeout]"


class SandboxPayoutGateway(PayoutGateway):
    """`PayoutGateway` that needs no merchant account; every bill_no is paid at most once."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._bills: dict[str, tuple[TransferOrder, TransferResult]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SandboxPayoutGateway(channel={self.channel!r})"

    def transfer(self, order: TransferOrder) -> TransferResult:
        if not order.bill_no or not order.amount.is_positive:
            raise ValueError("a transfer needs a bill_no and a positive amount")
        with self._lock:
            known = self._bills.get(order.bill_no)
            if known is not None:
                return known[1]  # the same bill again: never a second payment
            if FAIL_MARKER in order.payee_account:
                result = TransferResult(TransferState.FAILED, reason=f"沙箱：收款账户不可用（{FAIL_MARKER}）")
            else:
                result = TransferResult(TransferState.SUCCESS, channel_ref=f"sandbox-{self.channel}-{order.bill_no}")
            self._bills[order.bill_no] = (order, result)
        if TIMEOUT_MARKER in order.payee_account and result.state is TransferState.SUCCESS:
            raise OutcomeUnknown(f"sandbox {self.channel} transfer {order.bill_no}: the answer was lost")
        return result

    def query(self, bill_no: str) -> TransferResult:
        with self._lock:
            known = self._bills.get(bill_no)
        return known[1] if known else TransferResult(TransferState.NOT_FOUND)

    def paid_to(self, payee_account: str) -> Cny:
        """What this sandbox paid to the account (for tests and the developer's curiosity)."""
        with self._lock:
            return sum((o.amount for o, r in self._bills.values()
                        if o.payee_account == payee_account and r.state is TransferState.SUCCESS), Cny(0))
