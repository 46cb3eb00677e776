"""The sandbox payout channel for the embedded defaults and tests: pays at once, no network.

Markers in the payee account pick the path a real channel can take: `[fail]` fails for good (FAILED with a
reason), `[timeout]` answers the first attempt with OutcomeUnknown although the money left (a query then says
SUCCESS). One instance per withdrawal method ("wechat", "alipay"); bills live in a SandboxBook, which on the
embedded defaults is the database, so the CLI approving and the worker syncing see the same bills.
"""
from __future__ import annotations

from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, PayoutGateway, TransferOrder, TransferResult, TransferState

from .sandbox_book import MemorySandboxBook, SandboxBook

FAIL_MARKER = "[fail]"
TIMEOUT_MARKER = "[timeout]"


class SandboxPayoutGateway(PayoutGateway):
    """`PayoutGateway` that needs no merchant account; every bill_no is paid at most once."""

    def __init__(self, channel: str, book: SandboxBook | None = None) -> None:
        self.channel = channel
        self._book = book if book is not None else MemorySandboxBook()

    def __repr__(self) -> str:
        return f"SandboxPayoutGateway(channel={self.channel!r})"

    def _key(self, bill_no: str) -> str:
        return f"transfer:{self.channel}:{bill_no}"

    def transfer(self, order: TransferOrder) -> TransferResult:
        if not order.bill_no or not order.amount.is_positive:
            raise ValueError("a transfer needs a bill_no and a positive amount")
        if FAIL_MARKER in order.payee_account:
            fresh = {"state": TransferState.FAILED.value, "reason": f"沙箱：收款账户不可用（{FAIL_MARKER}）"}
        else:
            fresh = {"state": TransferState.SUCCESS.value, "channel_ref": f"sandbox-{self.channel}-{order.bill_no}"}
        fresh.update(account=order.payee_account, amount_fen=order.amount.minor)
        kept, new = self._book.remember(self._key(order.bill_no), fresh)  # a bill again: never paid twice
        result = _result(kept)
        if new and TIMEOUT_MARKER in order.payee_account and result.state is TransferState.SUCCESS:
            raise OutcomeUnknown(f"sandbox {self.channel} transfer {order.bill_no}: the answer was lost")
        return result

    def query(self, bill_no: str) -> TransferResult:
        known = self._book.recall(self._key(bill_no))
        return _result(known) if known else TransferResult(TransferState.NOT_FOUND)

    def paid_to(self, payee_account: str) -> Cny:
        """What this sandbox paid to the account (for tests and the developer's curiosity)."""
        return Cny(sum(r["amount_fen"] for r in self._book.records(f"transfer:{self.channel}:")
                       if r["account"] == payee_account and r["state"] == TransferState.SUCCESS.value))


def _result(record: dict) -> TransferResult:
    return TransferResult(TransferState(record["state"]), channel_ref=record.get("channel_ref"),
                          reason=record.get("reason"))
