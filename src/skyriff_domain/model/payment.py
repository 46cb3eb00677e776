"""Payments: pending → paid (exactly once) or closed; the amount is fixed when the order is created."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ..errors import NotAllowed, NotificationRejected
from ..money import Cny
from .catalog import ProductType

CHANNELS = ("wechat", "alipay", "sandbox")
OUT_TRADE_NO_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@attrs.frozen
class PaymentOrder:
    """What we ask a channel to collect."""

    out_trade_no: str  # ours, unique per merchant: 6-32 chars of [0-9A-Za-z_-]
    amount: Cny
    description: str  # shown in the payer's bill
    expires_at: datetime  # aware; the channel refuses payment after it
    client_ip: str | None = None


class ChannelState(enum.StrEnum):
    PAID = "paid"  # money collected (WeChat SUCCESS, Alipay TRADE_SUCCESS / TRADE_FINISHED)
    PENDING = "pending"  # not paid yet (WeChat NOTPAY/USERPAYING, Alipay WAIT_BUYER_PAY)
    CLOSED = "closed"  # will never be paid (closed, revoked, refunded before we saw it paid)
    NOT_FOUND = "not_found"  # the channel has no such order (Alipay: the cashier was never opened)


@attrs.frozen
class PaymentNotice:
    """What a channel says about one order, from a verified notification or a query."""

    state: ChannelState
    out_trade_no: str | None = None
    amount: Cny | None = None
    transaction_id: str | None = None  # the channel's own id, unique per channel
    payment_id: int | None = None  # the sandbox names our payment id instead of an out_trade_no
    paid_at: datetime | None = None


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    PAID = "paid"
    CLOSED = "closed"
    REFUNDED = "refunded"  # paid, then given back in full (see model/refund.py)


@attrs.define
class Payment:
    user_id: int
    product_id: int
    product_type: ProductType
    channel: str
    amount: Cny
    description: str
    out_trade_no: str
    created_at: datetime
    expires_at: datetime
    status: PaymentStatus = PaymentStatus.PENDING
    transaction_id: str | None = None
    paid_at: datetime | None = None
    closed_at: datetime | None = None
    id: int | None = None

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def accept(self, notice: PaymentNotice, now: datetime) -> bool:
        """Record a verified 'paid' notice. Returns False if it was already paid (nothing to fulfil).

        A paid notice for a payment we closed still counts: the money was collected, so the user gets
        what they paid for. The amount must match to the fen, else the notice is rejected.
        """
        if notice.amount is None or notice.amount != self.amount:
            raise NotificationRejected(f"金额不符：{notice.amount} ≠ {self.amount}")
        if self.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
            return False  # a late or repeated notice: fulfilled once already (and maybe refunded since)
        self.status = PaymentStatus.PAID
        self.transaction_id = notice.transaction_id
        self.paid_at = notice.paid_at or now
        return True

    def refunded(self) -> None:
        if self.status is not PaymentStatus.PAID:
            raise NotAllowed(f"支付单状态为 {self.status}，不能退款")
        self.status = PaymentStatus.REFUNDED

    def close(self, now: datetime) -> None:
        if self.status is PaymentStatus.PENDING:
            self.status = PaymentStatus.CLOSED
            self.closed_at = now


@attrs.frozen
class PaymentEvent:
    """What a channel said about a payment and what we did with it, for operators: a notification, a
    reconciliation query or an operator's query (补单), and its outcome (settled, duplicate, rejected, pending,
    closed, not_found)."""

    payment_id: int
    at: datetime
    source: str  # notify | reconcile | console
    outcome: str
    state: str = ""  # the channel's state, in our terms (ChannelState)
    transaction_id: str | None = None
    amount: Cny | None = None
    detail: str = ""
    id: int | None = None
