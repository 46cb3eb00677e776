"""The payment channel port: create an order for the app, verify notifications, query and close orders.

Vendor terms (trade_state, TRADE_SUCCESS, prepay_id…) stay in the adapters; the domain sees `PaymentNotice`.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Mapping

from ..model.payment import ChannelState, PaymentNotice, PaymentOrder

__all__ = ["ChannelState", "PaymentGateway", "PaymentNotice", "PaymentOrder"]


class PaymentGateway(ABC):
    channel: str  # "wechat", "alipay", "sandbox"
    remote: bool = True  # asking it costs a network round trip (so reconciliation asks several at once)

    @abstractmethod
    def create_order(self, order: PaymentOrder) -> dict[str, str]:
        """Register the order where the channel needs it and return the app's `pay_params`.
        Raises PaymentFailed (3001) when the channel refuses it, ProviderUnavailable (4002) when its fate
        is unknown (timeout, 5xx)."""

    @abstractmethod
    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> PaymentNotice:
        """Verify the channel's signature (and freshness) over the raw request and decode it.
        Raises NotificationRejected (3004) for anything forged, stale, malformed or not ours."""

    @abstractmethod
    def query(self, out_trade_no: str) -> PaymentNotice:
        """Ask the channel for the order's state (reconciliation). Raises ProviderUnavailable."""

    @abstractmethod
    def close(self, out_trade_no: str) -> None:
        """Make an unpaid order unpayable. Unknown or already closed orders are fine. Raises
        ProviderUnavailable; PaymentFailed if it was paid meanwhile (query it then)."""
