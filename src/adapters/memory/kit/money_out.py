"""Money out, scripted: payout and refund channels that answer as told, and resident ID numbers with the right
check digit for any birth date. (The fake real-name check and cipher are the embedded ones: adapters.identity.)"""
from __future__ import annotations

from collections import deque
from datetime import date

from skyriff_domain.model.identity import CHECK_DIGITS, WEIGHTS
from skyriff_domain.ports import PayoutGateway, RefundGateway
from skyriff_domain.ports.payouts import (
    RefundOrder,
    RefundResult,
    RefundState,
    TransferOrder,
    TransferResult,
    TransferState,
)

ADULT_ID = "11010519491231002X"  # the example: born 31 December 1949


def id_number(born: date, area: str = "110105", sequence: str = "001") -> str:
    """A well-formed resident ID number for someone born on `born`."""
    body = f"{area}{born:%Y%m%d}{sequence}"
    return body + CHECK_DIGITS[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


class ScriptedPayouts(PayoutGateway):
    """Transfers succeed at once unless scripted: `answers` holds results (or exceptions) for the next transfers,
    `queries` for the next queries; every transfer asked is recorded."""

    def __init__(self, channel: str, payee_app_id: str | None = None) -> None:
        self.channel, self.payee_app_id = channel, payee_app_id
        self.answers: deque = deque()
        self.queries: deque = deque()
        self.sent: list[TransferOrder] = []

    def transfer(self, order: TransferOrder) -> TransferResult:
        self.sent.append(order)
        answer = self.answers.popleft() if self.answers else TransferResult(TransferState.SUCCESS, f"tx-{order.bill_no}")
        if isinstance(answer, Exception):
            raise answer
        return answer

    def query(self, bill_no: str) -> TransferResult:
        answer = self.queries.popleft() if self.queries else TransferResult(TransferState.SUCCESS, f"tx-{bill_no}")
        if isinstance(answer, Exception):
            raise answer
        return answer


class ScriptedRefunds(RefundGateway):
    def __init__(self, channel: str = "sandbox") -> None:
        self.channel = channel
        self.answers: deque = deque()
        self.queries: deque = deque()
        self.asked: list[RefundOrder] = []

    def refund(self, order: RefundOrder) -> RefundResult:
        self.asked.append(order)
        answer = self.answers.popleft() if self.answers else RefundResult(RefundState.SUCCESS, f"rf-{order.refund_no}")
        if isinstance(answer, Exception):
            raise answer
        return answer

    def query_refund(self, refund_no: str, out_trade_no: str) -> RefundResult:
        answer = self.queries.popleft() if self.queries else RefundResult(RefundState.SUCCESS, f"rf-{refund_no}")
        if isinstance(answer, Exception):
            raise answer
        return answer
