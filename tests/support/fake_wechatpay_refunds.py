"""Refunds for the WeChat Pay fake, plugged in as one of its desks, with 退款结果通知 built like WeChat's.

Written from WeChat's pages, apart from the adapter (sources in adapters/payments/wechatpay_refunds.py):
- `POST /v3/refund/domestic/refunds`: the order must exist (404 RESOURCE_NOT_EXISTS "订单不存在") and be paid
  (400 INVALID_REQUEST), `amount.total` must be what was paid and the refunds may not exceed it (400
  INVALID_REQUEST), `notify_url` must be HTTPS without a query. "同一退款单号多次请求只退一笔": a repeated
  out_refund_no with the same content answers the same refund; other content is 400 INVALID_REQUEST.
  `balance` short → 403 NOT_ENOUGH, no refund. New refunds are PROCESSING until `settle` (零钱 refunds
  finish within minutes), or SUCCESS at once with `instant`.
- `GET /v3/refund/domestic/refunds/{no}`: the refund, or 404 RESOURCE_NOT_EXISTS.
- `notification(no)`: REFUND.SUCCESS / ABNORMAL / CLOSED, AES-GCM-sealed and signed by FakeWeChatPay.sealed.
"""
from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs

from tests.support.fake_wechatpay import BEIJING, MCHID, FakeWeChatPay, _json, error
from tests.support.http_server import Request, Response

PATH = "/v3/refund/domestic/refunds"
_SUMMARIES = {"SUCCESS": "退款成功", "ABNORMAL": "退款异常", "CLOSED": "退款关闭"}


@attrs.define
class FakeRefund:
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    refund: int
    total: int
    content: dict[str, Any]
    status: str = "PROCESSING"
    create_time: str = ""
    success_time: str | None = None


class RefundDesk:
    """The fake merchant's refunds. Knobs: `balance` (fen, None: unlimited), `instant` (succeed at once)."""

    def __init__(self, fake: FakeWeChatPay) -> None:
        self.fake = fake
        self.refunds: dict[str, FakeRefund] = {}
        self.balance: int | None = None
        self.instant = False
        self._numbers = itertools.count(1)
        fake.desks.append(self)

    def __call__(self, request: Request) -> Response | None:
        if (request.method, request.path) == ("POST", PATH):
            return self._create(json.loads(request.body))
        if request.method == "GET" and request.path.startswith(PATH + "/"):
            refund = self.refunds.get(unquote(request.path[len(PATH) + 1:]))
            return _json(self.document(refund)) if refund else error(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return None

    def settle(self, out_refund_no: str, status: str = "SUCCESS") -> FakeRefund:
        """WeChat finishes the refund: SUCCESS, ABNORMAL or CLOSED."""
        refund = self.refunds[out_refund_no]
        refund.status = status
        if status == "SUCCESS":
            refund.success_time = self.fake.now().astimezone(BEIJING).isoformat(timespec="seconds")
            self.fake.orders[refund.out_trade_no].trade_state = "REFUND"
        return refund

    def refunded(self, out_trade_no: str) -> int:
        """Fen given back (or on their way back) for this order."""
        return sum(r.refund for r in self.refunds.values() if r.out_trade_no == out_trade_no
                   and r.status in ("SUCCESS", "PROCESSING"))

    def document(self, refund: FakeRefund) -> dict[str, Any]:
        order = self.fake.orders[refund.out_trade_no]
        document = {
            "refund_id": refund.refund_id, "out_refund_no": refund.out_refund_no,
            "transaction_id": order.transaction_id, "out_trade_no": refund.out_trade_no, "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱", "create_time": refund.create_time, "status": refund.status,
            "funds_account": "AVAILABLE",
            "amount": {"total": refund.total, "refund": refund.refund, "payer_total": refund.total,
                       "payer_refund": refund.refund, "settlement_refund": refund.refund,
                       "settlement_total": refund.total, "discount_refund": 0, "currency": "CNY", "refund_fee": 0},
        }
        if refund.success_time:
            document["success_time"] = refund.success_time
        return document

    def notification(self, out_refund_no: str, *, status: str | None = None, tamper: str | None = None,
                     **changes: Any) -> tuple[dict[str, str], bytes]:
        """(headers, body) of the refund result notification WeChat POSTs to the refund's notify_url."""
        refund = self.refunds[out_refund_no]
        status = status or refund.status
        order = self.fake.orders[refund.out_trade_no]
        resource = {
            "mchid": "1900000999" if tamper == "wrong_mchid" else MCHID, "out_trade_no": refund.out_trade_no,
            "transaction_id": order.transaction_id, "out_refund_no": refund.out_refund_no,
            "refund_id": refund.refund_id, "refund_status": status,
            "user_received_account": "支付用户零钱",
            "amount": {"total": refund.total, "refund": refund.refund, "payer_total": refund.total,
                       "payer_refund": refund.refund},
        }
        if status == "SUCCESS":
            resource["success_time"] = refund.success_time or self.fake.now().astimezone(BEIJING).isoformat()
        return self.fake.sealed(resource | changes, event_type=f"REFUND.{status}", summary=_SUMMARIES[status],
                                original_type="refund", tamper=None if tamper == "wrong_mchid" else tamper)

    def _create(self, body: dict[str, Any]) -> Response:
        amount = body.get("amount") or {}
        if not isinstance(body.get("out_refund_no"), str) or type(amount.get("refund")) is not int \
                or type(amount.get("total")) is not int or amount["refund"] <= 0 or amount.get("currency") != "CNY" \
                or len(str(body.get("reason", ""))) > 80 or not _https_without_query(body.get("notify_url")):
            return error(400, "PARAM_ERROR", "参数错误")
        order = self.fake.orders.get(body.get("out_trade_no"))
        if order is None:
            return error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        existing = self.refunds.get(body["out_refund_no"])
        if existing is not None:
            if existing.content != body:
                return error(400, "INVALID_REQUEST", "退款单号已存在但参数不一致")
            return _json(self.document(existing))
        if order.trade_state not in ("SUCCESS", "REFUND"):
            return error(400, "INVALID_REQUEST", "订单未支付，不能退款")
        if amount["total"] != order.total:
            return error(400, "INVALID_REQUEST", "订单金额与原订单不一致")
        if self.refunded(order.out_trade_no) + amount["refund"] > order.total:
            return error(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")
        if self.balance is not None and amount["refund"] > self.balance:
            return error(403, "NOT_ENOUGH", "基本账户余额不足，请充值后重新发起")
        if self.balance is not None:
            self.balance -= amount["refund"]
        refund = FakeRefund(body["out_refund_no"], f"5030{next(self._numbers):025d}", order.out_trade_no,
                            amount["refund"], amount["total"], body,
                            create_time=self.fake.now().astimezone(BEIJING).isoformat(timespec="seconds"))
        self.refunds[refund.out_refund_no] = refund
        if self.instant:
            self.settle(refund.out_refund_no)
        return _json(self.document(refund))


def _https_without_query(url: Any) -> bool:
    parts = urlsplit(str(url or ""))
    return parts.scheme == "https" and bool(parts.netloc) and not parts.query
