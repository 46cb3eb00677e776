"""WeChat Pay API v3 refunds as a `RefundGateway`: ask for a refund, query it, verify refund notifications.

What this relies on, and where it was read (pay.weixin.qq.com, via the docs search):
- `POST /v3/refund/domestic/refunds` (doc/v3/merchant/4012556457 申请退款): `out_trade_no`, `out_refund_no`
  ("同一退款单号多次请求只退一笔"; "一笔退款失败后重新提交,请不要更换退款单号"), `reason` (≤80, shown to the
  payer), `notify_url` (HTTPS, no query string; overrides the one set in the merchant platform), `amount:
  {refund, total, currency: "CNY"}`. The answer is the refund document below. Errors: 400 PARAM_ERROR /
  INVALID_REQUEST, 403 NOT_ENOUGH (余额不足), 404 RESOURCE_NOT_EXISTS ("订单不存在" — reported to happen
  transiently for paid orders, developers.weixin.qq.com community 0002cc91…), 429 FREQUENCY_LIMITED,
  500 SYSTEM_ERROR. NOT_ENOUGH, RESOURCE_NOT_EXISTS, FREQUENCY_LIMITED, SYSTEM_ERROR and 5xx are OutcomeUnknown
  (send the same number again later); other refusals are FAILED once a query finds no refund under the number.
- `GET /v3/refund/domestic/refunds/{out_refund_no}` (查询单笔退款): `refund_id, out_refund_no, transaction_id,
  out_trade_no, channel, user_received_account, success_time, create_time, status, amount{total, refund, …}`;
  status SUCCESS, PROCESSING, CLOSED (退款关闭: e.g. 7 days without funds), ABNORMAL (退款异常: the payer's card
  is void or frozen; the money waits in WeChat's refund account for an operator — not final for WeChat, FAILED
  for us, who did not give the money back). An unknown number: 404 RESOURCE_NOT_EXISTS (code unconfirmed).
- 退款结果通知 (doc/v3/merchant/4013071031 开发指引; decrypted fields as in developer.work.weixin.qq.com/
  document/path/97338): event_type REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED, resource original_type
  `refund`, decrypted `mchid, out_trade_no, transaction_id, out_refund_no, refund_id, refund_status,
  success_time, user_received_account, amount{total, refund, payer_total, payer_refund}`. Verified and decrypted
  exactly like payment notifications (wechatpay_client, same 5-minute window).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

from skyriff_domain.errors import NotificationRejected, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, RefundGateway, RefundNotice, RefundOrder, RefundResult, \
    RefundState

from .wechatpay_client import WeChatPayCallFailed, WeChatPayClient, WeChatPayConfig

log = logging.getLogger("skyriff.refunds.wechat")

PATH = "/v3/refund/domestic/refunds"
_REASON_MAX = 80
_STATES = {"SUCCESS": RefundState.SUCCESS, "PROCESSING": RefundState.PROCESSING,
           "CLOSED": RefundState.FAILED, "ABNORMAL": RefundState.FAILED}
_REASONS = {
    "CLOSED": "退款已关闭（CLOSED）：商户账户资金不足超过7天等原因",
    "ABNORMAL": "退款异常（ABNORMAL）：用户银行卡作废或冻结，资金停在微信退款中间账户，需在商户平台手动处理",
}
_TRANSIENT = frozenset({"SYSTEM_ERROR", "FREQUENCY_LIMITED", "NOT_ENOUGH", "RESOURCE_NOT_EXISTS"})
_EVENTS = {"REFUND.SUCCESS": "SUCCESS", "REFUND.ABNORMAL": "ABNORMAL", "REFUND.CLOSED": "CLOSED"}


class WeChatPayRefundGateway(RefundGateway):
    """`RefundGateway` for payments made through `WeChatPayGateway` (same merchant, same keys)."""

    channel = "wechat"

    def __init__(self, config: WeChatPayConfig, refund_notify_url: str, session: requests.Session | None = None,
                 clock: Callable[[], datetime] | None = None, nonce: Callable[[], str] | None = None) -> None:
        self._config = config
        self._notify_url = refund_notify_url
        self._client = WeChatPayClient(config, session=session, clock=clock, nonce=nonce)

    def __repr__(self) -> str:
        return f"WeChatPayRefundGateway(mchid={self._config.mchid!r}, base_url={self._client.base!r})"

    def refund(self, order: RefundOrder) -> RefundResult:
        if not order.amount.is_positive or order.amount > order.total:
            raise ValueError("a refund gives back a positive amount no larger than what was paid")
        body = {"out_trade_no": order.out_trade_no, "out_refund_no": order.refund_no,
                "reason": order.reason[:_REASON_MAX], "notify_url": self._notify_url,
                "amount": {"refund": order.amount.minor, "total": order.total.minor, "currency": "CNY"}}
        try:
            _, answer = self._client.call("POST", PATH, body)
        except ProviderUnavailable:
            raise OutcomeUnknown(f"wechat refund {order.refund_no}: no usable answer") from None
        except WeChatPayCallFailed as failed:
            return self._refused(order, failed)
        try:
            result = _result(answer, order.refund_no, order.out_trade_no)
        except ValueError as exc:
            log.warning("wechat refund %s answered oddly: %s", order.refund_no, exc)
            raise OutcomeUnknown(f"wechat refund {order.refund_no}: unreadable answer") from None
        log.info("wechat refund %s: %s", order.refund_no, result.state.value)
        return result

    def query_refund(self, refund_no: str, out_trade_no: str) -> RefundResult:
        try:
            _, answer = self._client.call("GET", f"{PATH}/{quote(refund_no, safe='')}", None)
        except WeChatPayCallFailed as failed:
            if failed.status == 404 and failed.code is not None:  # a bare 404 proves nothing
                return RefundResult(RefundState.NOT_FOUND)
            raise ProviderUnavailable("微信退款查询失败") from None
        try:
            result = _result(answer, refund_no, out_trade_no)
        except ValueError as exc:
            log.warning("wechat refund query %s answered oddly: %s", refund_no, exc)
            raise ProviderUnavailable("微信退款查询失败") from None
        log.info("wechat refund query %s: %s", refund_no, result.state.value)
        return result

    def parse_refund_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> RefundNotice:
        try:
            notice = self._notice(headers, body, now)
        except NotificationRejected as rejected:
            log.warning("wechat refund notification rejected: %s", rejected.message)
            raise
        log.info("wechat refund notification for %s: %s", notice.refund_no, notice.state.value)
        return notice

    def _notice(self, headers: Mapping[str, str], body: bytes, now: datetime) -> RefundNotice:
        envelope, refund = self._client.open_notification(headers, body, now)
        status = _EVENTS.get(str(envelope.get("event_type")))
        if status is None:
            raise NotificationRejected("not a refund event")
        if refund.get("mchid") != self._config.mchid:
            raise NotificationRejected("not our merchant")
        if refund.get("refund_status") != status:
            raise NotificationRejected("event and refund_status disagree")
        refund_no, amount = refund.get("out_refund_no"), refund.get("amount")
        value = amount.get("refund") if isinstance(amount, dict) else None
        if not isinstance(refund_no, str) or not refund_no or type(value) is not int:
            raise NotificationRejected("malformed refund")
        ref = refund.get("refund_id")
        return RefundNotice(refund_no=refund_no, state=_STATES[status], amount=Cny(value),
                            channel_ref=ref if isinstance(ref, str) and ref else None)

    def _refused(self, order: RefundOrder, failed: WeChatPayCallFailed) -> RefundResult:
        """A non-2xx answer: unknown, unless a query proves no refund exists under this number."""
        if failed.code is None or failed.status >= 500 or failed.status == 429 or failed.code in _TRANSIENT:
            raise OutcomeUnknown(f"wechat refund {order.refund_no}: {failed.status} {failed.code}")
        try:
            found = self.query_refund(order.refund_no, order.out_trade_no)
        except ProviderUnavailable:
            raise OutcomeUnknown(f"wechat refund {order.refund_no}: refused, then the query failed") from None
        if found.state is not RefundState.NOT_FOUND:
            return found
        return RefundResult(RefundState.FAILED, reason=f"微信支付拒绝退款：{failed.text or failed.code}（{failed.code}）")


def _result(answer: Any, refund_no: str, out_trade_no: str) -> RefundResult:
    """Map a refund document about `refund_no` of `out_trade_no`; ValueError if it is not one."""
    if not isinstance(answer, dict) or answer.get("out_refund_no") != refund_no \
            or answer.get("out_trade_no") != out_trade_no or not isinstance(answer.get("status"), str):
        raise ValueError("not an answer about this refund")
    state = _STATES.get(answer["status"])
    if state is None:
        log.warning("wechat refund %s has unknown status %s", refund_no, answer["status"])
        state = RefundState.PROCESSING
    ref = answer.get("refund_id")
    return RefundResult(state, channel_ref=ref if isinstance(ref, str) and ref else None,
                        reason=_REASONS.get(answer["status"]))
