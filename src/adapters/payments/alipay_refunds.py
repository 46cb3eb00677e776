"""Alipay refunds as a `RefundGateway`: `alipay.trade.refund` and `alipay.trade.fastpay.refund.query`.

What this relies on, and where it was read (Alipay's 统一收单交易退款接口 as quoted by developer.aliyun.com/
article/707647 and yq.aliyun.com/articles/707486, and the SDK model AlipayTradeFastpayRefundQueryResponse in
alipay/alipay-sdk-java-all v2):
- request: `out_trade_no`, `refund_amount` (yuan, 2 decimals), `out_request_no` ("标识一次退款请求 … 一笔退款失败后
  重新提交，要采用原来的退款单号"), `refund_reason`.
- the refund is answered synchronously: code 10000 only says the call worked; `fund_change` "Y" means this call
  moved the money, and a repeat of a done out_request_no answers 10000 with "N" (no error); `refund_fee` is the
  trade's refunded total. Business refusals are 40004: ACQ.TRADE_NOT_EXIST, ACQ.TRADE_STATUS_ERROR,
  ACQ.REASON_TRADE_REFUND_FEE_ERR, ACQ.DISCORDANT_REPEAT_REQUEST, ACQ.SELLER_BALANCE_NOT_ENOUGH, ACQ.SYSTEM_ERROR
  ("请使用相同的参数再次调用"). SYSTEM_ERROR and SELLER_BALANCE_NOT_ENOUGH are OutcomeUnknown (same number later);
  others are FAILED once the query finds no refund under the number.
- query (out_trade_no + out_request_no): `refund_status` REFUND_SUCCESS ("未返回该字段表示退款请求未收到或者退款失败";
  ask ≥10 s after the refund); an unknown trade is 40004 ACQ.TRADE_NOT_EXIST.
- No refund notification of its own: a refund only re-sends the trade's `trade_status_sync` notification
  (TRADE_SUCCESS with refund_fee for a partial refund, TRADE_CLOSED for a full one) to the payment's notify_url,
  so `parse_refund_notification` keeps the port's refusal.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests

from skyriff_domain.errors import ProviderUnavailable
from skyriff_domain.ports.payouts import OutcomeUnknown, RefundGateway, RefundOrder, RefundResult, RefundState

from .alipay_client import AlipayCallFailed, AlipayClient, AlipayConfig

log = logging.getLogger("skyriff.refunds.alipay")

REFUND = "alipay.trade.refund"
QUERY = "alipay.trade.fastpay.refund.query"
_TRANSIENT = frozenset({"ACQ.SYSTEM_ERROR", "ACQ.SELLER_BALANCE_NOT_ENOUGH", "SYSTEM_ERROR"})
_REASONS = {
    "ACQ.TRADE_NOT_EXIST": "支付宝交易不存在", "ACQ.TRADE_STATUS_ERROR": "交易状态不允许退款（已关闭或已完结）",
    "ACQ.TRADE_HAS_FINISHED": "交易已完结，超过可退款期限", "ACQ.REASON_TRADE_REFUND_FEE_ERR": "退款金额超过可退金额",
    "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL": "退款金额与订单金额不一致", "ACQ.REASON_TRADE_BEEN_FREEZEN": "交易已被冻结",
}
_REASON_MAX = 256


class AlipayRefundGateway(RefundGateway):
    """`RefundGateway` for payments made through `AlipayGateway` (same app, same keys or certificates)."""

    channel = "alipay"

    def __init__(self, config: AlipayConfig, session: requests.Session | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._config = config
        self._client = AlipayClient(config, session=session, clock=clock)

    def __repr__(self) -> str:
        return f"AlipayRefundGateway(app_id={self._config.app_id!r}, gateway_url={self._config.gateway_url!r})"

    def refund(self, order: RefundOrder) -> RefundResult:
        if not order.amount.is_positive or order.amount > order.total:
            raise ValueError("a refund gives back a positive amount no larger than what was paid")
        biz = {"out_trade_no": order.out_trade_no, "refund_amount": f"{order.amount.to_decimal():.2f}",
               "out_request_no": order.refund_no, "refund_reason": order.reason[:_REASON_MAX]}
        try:
            inner = self._client.call(REFUND, biz)
        except AlipayCallFailed as failure:
            log.warning("alipay refund %s: no usable answer (%s)", order.refund_no, failure.reason)
            raise OutcomeUnknown(f"alipay refund {order.refund_no}: {failure.reason}") from None
        code, sub_code = inner.get("code"), str(inner.get("sub_code") or "")
        if code == "40004" and sub_code not in _TRANSIENT:
            return self._refused(order, sub_code, str(inner.get("sub_msg") or ""))
        if code != "10000" or inner.get("out_trade_no") not in (None, order.out_trade_no):
            log.warning("alipay refund %s answered %s/%s", order.refund_no, code, sub_code)
            raise OutcomeUnknown(f"alipay refund {order.refund_no}: {code}/{sub_code}")
        ref = _ref(inner)
        if inner.get("fund_change") == "Y":
            log.info("alipay refund %s: success", order.refund_no)
            return RefundResult(RefundState.SUCCESS, channel_ref=ref)
        # "N": a repeat of a refund done before, or not done yet; only the query tells which.
        try:
            found = self.query_refund(order.refund_no, order.out_trade_no)
        except ProviderUnavailable:
            found = RefundResult(RefundState.NOT_FOUND)
        if found.state is RefundState.NOT_FOUND:
            found = RefundResult(RefundState.PROCESSING, channel_ref=ref)  # accepted; the query lags by seconds
        log.info("alipay refund %s (fund_change N): %s", order.refund_no, found.state.value)
        return found

    def query_refund(self, refund_no: str, out_trade_no: str) -> RefundResult:
        try:
            inner = self._client.call(QUERY, {"out_trade_no": out_trade_no, "out_request_no": refund_no})
        except AlipayCallFailed as failure:
            log.warning("alipay refund query %s failed: %s", refund_no, failure.reason)
            raise ProviderUnavailable("支付宝退款查询失败") from None
        if inner.get("code") == "40004" and inner.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return RefundResult(RefundState.NOT_FOUND)
        if inner.get("code") != "10000" or inner.get("out_trade_no") not in (None, out_trade_no) \
                or inner.get("out_request_no") not in (None, refund_no):
            log.warning("alipay refund query %s answered %s/%s", refund_no, inner.get("code"), inner.get("sub_code"))
            raise ProviderUnavailable("支付宝退款查询失败")
        if inner.get("refund_status") == "REFUND_SUCCESS":
            return RefundResult(RefundState.SUCCESS, channel_ref=_ref(inner))
        return RefundResult(RefundState.NOT_FOUND)

    def _refused(self, order: RefundOrder, sub_code: str, sub_msg: str) -> RefundResult:
        log.warning("alipay refund %s refused: %s", order.refund_no, sub_code)
        try:
            found = self.query_refund(order.refund_no, order.out_trade_no)
        except ProviderUnavailable:
            raise OutcomeUnknown(f"alipay refund {order.refund_no}: refused, then the query failed") from None
        if found.state is not RefundState.NOT_FOUND:
            return found  # e.g. ACQ.DISCORDANT_REPEAT_REQUEST: the refund under this number is the truth
        reason = _REASONS.get(sub_code, sub_msg or "支付宝拒绝退款")
        return RefundResult(RefundState.FAILED, reason=f"{reason}（{sub_code}）")


def _ref(inner: dict[str, Any]) -> str | None:
    """Alipay gives a refund no id of its own; the trade's number identifies it with our out_request_no."""
    ref = inner.get("trade_no")
    return ref if isinstance(ref, str) and ref else None
