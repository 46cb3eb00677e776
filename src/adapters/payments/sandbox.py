"""The sandbox channel for development and tests: a notification is the JSON body
`{"channel": "sandbox", "payment_id": …, "amount_cny": "30.00", "status": "paid"}` signed with
HMAC-SHA256(SKYRIFF_SANDBOX_PAY_SECRET, body) in the `X-Sandbox-Signature` header (hex)."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from decimal import Decimal
from typing import Mapping

from skyriff_domain.errors import NotificationRejected
from skyriff_domain.ids import is_id
from skyriff_domain.model.payment import ChannelState, PaymentNotice, PaymentOrder
from skyriff_domain.money import Cny
from skyriff_domain.ports import PaymentGateway

HEADER = "X-Sandbox-Signature"
_STATES = {"paid": ChannelState.PAID, "closed": ChannelState.CLOSED, "pending": ChannelState.PENDING}


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class SandboxGateway(PaymentGateway):
    channel = "sandbox"
    remote = False

    def __init__(self, secret: str, notify_url: str) -> None:
        self.secret = secret
        self.notify_url = notify_url

    def create_order(self, order: PaymentOrder) -> dict[str, str]:
        return {"channel": "sandbox", "out_trade_no": order.out_trade_no, "amount_cny": str(order.amount),
                "notify_url": self.notify_url,
                "how_to_pay": f"POST the JSON notification to notify_url with header {HEADER}: "
                              "hex HMAC-SHA256 of the body keyed with SKYRIFF_SANDBOX_PAY_SECRET"}

    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> PaymentNotice:
        given = next((v for k, v in headers.items() if k.lower() == HEADER.lower()), "")
        if not hmac.compare_digest(given.strip().lower(), sign(self.secret, body)):
            raise NotificationRejected("沙箱签名无效")
        try:
            data = json.loads(body, parse_float=Decimal)
            payment_id = data["payment_id"]
            amount = Cny.of(str(data["amount_cny"]))
            state = _STATES[data.get("status", "paid")]
        except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: JSON nested too deep
            raise NotificationRejected("沙箱通知格式错误") from None
        if data.get("channel", "sandbox") != "sandbox" or not is_id(payment_id):
            raise NotificationRejected("沙箱通知格式错误")
        return PaymentNotice(state=state, payment_id=payment_id, amount=amount,
                             transaction_id=f"sandbox-{payment_id}", paid_at=now)

    def query(self, out_trade_no: str) -> PaymentNotice:
        """The sandbox keeps no state of its own: an order is pending until notified."""
        return PaymentNotice(state=ChannelState.PENDING, out_trade_no=out_trade_no)

    def close(self, out_trade_no: str) -> None:
        return None
