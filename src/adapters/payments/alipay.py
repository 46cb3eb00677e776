"""Alipay app payment (`alipay.trade.app.pay`) over plain `requests` + `cryptography`, signed with RSA2.

Owns the payment side of the contract: the signed order string the app hands to the Alipay SDK, verification
of the form-encoded async notification, `alipay.trade.query` / `alipay.trade.close`, and the mapping of vendor
statuses to `ChannelState`. Signing, the signed calls and their answers' checks (also in certificate mode)
live in the shared `alipay_client`. Keys and signatures never reach a log line or an error.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, quote_plus

import requests

from skyriff_domain.errors import NotificationRejected, PaymentFailed, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentGateway, PaymentNotice, PaymentOrder

from .alipay_client import BEIJING, TIME_FORMAT, AlipayCallFailed, AlipayClient, AlipayConfig, beijing, \
    raw_json_member, signing_text

__all__ = ["AlipayConfig", "AlipayGateway", "raw_json_member"]

log = logging.getLogger("skyriff.payments.alipay")

_SUBJECT_MAX = 256
_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,2})?")  # yuan; Alipay sends 2 decimals, Cny.of stays exact
_STATES = {
    "TRADE_SUCCESS": ChannelState.PAID,
    "TRADE_FINISHED": ChannelState.PAID,  # the refund window ended; the domain fulfils only once
    "WAIT_BUYER_PAY": ChannelState.PENDING,
    "TRADE_CLOSED": ChannelState.CLOSED,
}


class AlipayGateway(PaymentGateway):
    """`PaymentGateway` for Alipay app payments (or a fake of its gateway at `config.gateway_url`)."""

    channel = "alipay"

    def __init__(self, config: AlipayConfig, session: requests.Session | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._config = config
        self._client = AlipayClient(config, session=session, clock=clock)

    def __repr__(self) -> str:
        return f"AlipayGateway(app_id={self._config.app_id!r}, gateway_url={self._config.gateway_url!r})"

    # --- order string ------------------------------------------------------------------------------

    def create_order(self, order: PaymentOrder) -> dict[str, str]:
        """The signed `order_string` for the app's Alipay SDK; Alipay creates the trade when the cashier opens."""
        if not order.amount.is_positive:
            raise PaymentFailed("支付金额无效")
        biz = {
            "out_trade_no": order.out_trade_no,
            "total_amount": f"{order.amount.to_decimal():.2f}",
            "subject": order.description[:_SUBJECT_MAX],
            "product_code": "QUICK_MSECURITY_PAY",
            "time_expire": beijing(order.expires_at),
        }
        params = self._client.signed("alipay.trade.app.pay", biz, notify_url=self._config.notify_url)
        sign = params.pop("sign")
        pairs = [f"{quote_plus(k)}={quote_plus(params[k])}" for k in sorted(params)]
        log.info("alipay order string built for %s", order.out_trade_no)
        return {"order_string": "&".join(pairs) + "&sign=" + quote_plus(sign)}

    # --- async notification ------------------------------------------------------------------------

    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> PaymentNotice:
        """Verify and decode a notify POST. Alipay signs no header and resends the same notice for ~25 h,
        so neither `headers` nor `now` is checked: replays are handled by the domain's idempotency."""
        try:
            notice = self._notice(body)
        except NotificationRejected as rejected:
            log.warning("alipay notification rejected: %s", rejected.message)
            raise
        log.info("alipay notification for %s: %s", notice.out_trade_no, notice.state.value)
        return notice

    def _notice(self, body: bytes) -> PaymentNotice:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True,
                              encoding="utf-8", errors="strict")
        except ValueError:  # UnicodeDecodeError included
            raise NotificationRejected("通知无法解码") from None
        params = dict(pairs)
        if len(params) != len(pairs):
            raise NotificationRejected("通知参数重复")  # which copy was signed would be ambiguous
        signature = params.pop("sign", "")
        sign_type = params.pop("sign_type", "RSA2")
        if sign_type != "RSA2":
            raise NotificationRejected("签名类型不支持")
        # Notify verification keeps empty values: Alipay signs every parameter it sent.
        if not signature or not self._client.verify(signing_text(params), signature):
            raise NotificationRejected("签名无效")
        if params.get("app_id") != self._config.app_id:
            raise NotificationRejected("app_id 不匹配")
        if self._config.seller_id is not None and params.get("seller_id") != self._config.seller_id:
            raise NotificationRejected("seller_id 不匹配")
        for name in ("out_trade_no", "total_amount", "trade_status"):
            if not params.get(name):
                raise NotificationRejected(f"缺少 {name}")
        try:
            return _to_notice(params, paid_at_field="gmt_payment")
        except ValueError as exc:
            raise NotificationRejected(str(exc)) from None

    # --- query and close ---------------------------------------------------------------------------

    def query(self, out_trade_no: str) -> PaymentNotice:
        """`alipay.trade.query`: the trade's state; NOT_FOUND until the payer opened the cashier."""
        try:
            inner = self._client.call("alipay.trade.query", {"out_trade_no": out_trade_no})
            if inner.get("code") == "40004" and inner.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                return PaymentNotice(ChannelState.NOT_FOUND, out_trade_no=out_trade_no)
            _require_success(inner)
            if inner.get("out_trade_no") != out_trade_no:
                raise AlipayCallFailed("out_trade_no mismatch")
            notice = _to_notice(inner, paid_at_field="send_pay_date")
        except (AlipayCallFailed, ValueError) as failure:
            log.warning("alipay query of %s failed: %s", out_trade_no, failure)
            raise ProviderUnavailable("支付宝查询失败") from None
        log.info("alipay query of %s: %s", out_trade_no, notice.state.value)
        return notice

    def close(self, out_trade_no: str) -> None:
        """`alipay.trade.close`; unknown and already closed trades are fine, a paid one is PaymentFailed."""
        try:
            inner = self._client.call("alipay.trade.close", {"out_trade_no": out_trade_no})
        except AlipayCallFailed as failure:
            log.warning("alipay close of %s failed: %s", out_trade_no, failure.reason)
            raise ProviderUnavailable("支付宝关单失败") from None
        sub_code = inner.get("sub_code")
        if inner.get("code") == "10000" or sub_code == "ACQ.TRADE_NOT_EXIST":
            # Not existing means the cashier never opened; the order string's time_expire bars it later.
            log.info("alipay close of %s: %s", out_trade_no, sub_code or "closed")
            return
        if sub_code != "ACQ.TRADE_STATUS_ERROR":
            log.warning("alipay close of %s failed: %s/%s", out_trade_no, inner.get("code"), sub_code)
            raise ProviderUnavailable("支付宝关单失败")
        # "Status error" means closed already, or paid (maybe finished): only a query tells which.
        state = self.query(out_trade_no).state
        if state is ChannelState.PAID:
            log.warning("alipay close of %s refused: already paid", out_trade_no)
            raise PaymentFailed("订单已支付")
        if state is ChannelState.PENDING:
            raise ProviderUnavailable("支付宝关单失败")
        log.info("alipay close of %s: already %s", out_trade_no, state.value)


# --- helpers -------------------------------------------------------------------------------------------

def _require_success(inner: Mapping[str, Any]) -> None:
    if inner.get("code") != "10000":
        raise AlipayCallFailed(f"code {inner.get('code')}/{inner.get('sub_code')}")


def _to_notice(fields: Mapping[str, Any], paid_at_field: str) -> PaymentNotice:
    """Map a verified notify/query object to a notice; ValueError (short reason) if it is malformed."""
    state = _STATES.get(str(fields.get("trade_status")))
    if state is None:
        raise ValueError("未知交易状态")
    amount = fields.get("total_amount")
    if not isinstance(amount, str) or not _AMOUNT.fullmatch(amount):
        raise ValueError("金额格式无效")
    paid_at = fields.get(paid_at_field) or None
    try:
        paid = datetime.strptime(paid_at, TIME_FORMAT).replace(tzinfo=BEIJING) if paid_at else None
    except (TypeError, ValueError):
        raise ValueError(f"{paid_at_field} 格式无效") from None
    return PaymentNotice(
        state=state, out_trade_no=str(fields.get("out_trade_no")), amount=Cny.of(amount),
        transaction_id=fields.get("trade_no") or None,
        paid_at=paid.astimezone(timezone.utc) if paid else None,
    )
