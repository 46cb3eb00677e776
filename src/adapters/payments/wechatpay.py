"""WeChat Pay API v3 APP payments over plain `requests` + `cryptography`, in platform-public-key mode.

Owns the payment side of the contract: the prepay body, the app's `pay_params`, and the mapping of WeChat's
trade_state and error codes to the domain; signing, answer verification and notification decryption live in
the shared `wechatpay_client`. Never retries: a create or close that timed out has an unknown effect, and the
caller decides (query first). Keys, signatures and notification bodies never reach a log line or an error message.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import requests

from skyriff_domain.errors import NotificationRejected, PaymentFailed, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentGateway, PaymentNotice, PaymentOrder

from .wechatpay_client import WeChatPayCallFailed, WeChatPayClient, WeChatPayConfig

__all__ = ["WeChatPayConfig", "WeChatPayGateway", "beijing_rfc3339"]

log = logging.getLogger("skyriff.payments.wechat")

# China has had no DST since 1991, so a fixed offset is exact and needs no tz database.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

_TRADE_STATES: dict[str, ChannelState] = {
    "SUCCESS": ChannelState.PAID,
    "REFUND": ChannelState.PAID,  # refunded later, but it was paid
    "NOTPAY": ChannelState.PENDING,
    "USERPAYING": ChannelState.PENDING,
    "CLOSED": ChannelState.CLOSED,
    "REVOKED": ChannelState.CLOSED,
    "PAYERROR": ChannelState.CLOSED,
}

# Refusals of a create, in words the payer can read; other codes fall back to a generic message.
_CREATE_ERRORS: dict[str, str] = {
    "PARAM_ERROR": "参数错误",
    "INVALID_REQUEST": "请求不合法",
    "ORDER_CLOSED": "订单已关闭",
    "OUT_TRADE_NO_USED": "商户订单号重复",
    "ORDERPAID": "订单已支付",
    "ORDER_PAID": "订单已支付",
    "SIGN_ERROR": "商户签名错误",
    "APPID_MCHID_NOT_MATCH": "AppID 与商户号不匹配",
    "MCH_NOT_EXISTS": "商户号不存在",
    "NO_AUTH": "商户无此接口权限",
}
_BUSY_CODES = frozenset({"FREQUENCY_LIMITED", "SYSTEM_ERROR", "BANKERROR"})
_PAID_CODES = frozenset({"ORDERPAID", "ORDER_PAID"})


class WeChatPayGateway(PaymentGateway):
    """`PaymentGateway` for WeChat Pay v3 APP payments (or a fake of it at `config.base_url`)."""

    channel = "wechat"

    def __init__(
        self,
        config: WeChatPayConfig,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
        nonce: Callable[[], str] | None = None,
    ) -> None:
        self._config = config
        self._client = WeChatPayClient(config, session=session, clock=clock, nonce=nonce)

    def __repr__(self) -> str:
        return f"WeChatPayGateway(mchid={self._config.mchid!r}, base_url={self._client.base!r})"

    # --- the port --------------------------------------------------------------------------------------

    def create_order(self, order: PaymentOrder) -> dict[str, str]:
        """Prepay an APP order and return the signed parameters the app hands to the WeChat SDK."""
        if order.amount.minor <= 0:
            raise PaymentFailed("支付金额必须大于0")
        cfg = self._config
        body: dict[str, Any] = {
            "appid": cfg.appid,
            "mchid": cfg.mchid,
            "description": order.description[:127],
            "out_trade_no": order.out_trade_no,
            "time_expire": beijing_rfc3339(order.expires_at),
            "notify_url": cfg.notify_url,
            "amount": {"total": order.amount.minor, "currency": "CNY"},
        }
        if order.client_ip:
            body["scene_info"] = {"payer_client_ip": order.client_ip}
        try:
            _, answer = self._client.call("POST", "/v3/pay/transactions/app", body)
        except WeChatPayCallFailed as failed:
            if failed.code is None or failed.status >= 500 or failed.status == 429 or failed.code in _BUSY_CODES:
                raise ProviderUnavailable("微信支付暂不可用，请稍后再试") from None
            reason = _CREATE_ERRORS.get(failed.code, "微信支付拒绝了该订单")
            raise PaymentFailed(f"微信支付下单失败：{reason}（{failed.code}）") from None
        prepay_id = answer.get("prepay_id") if isinstance(answer, dict) else None
        if not isinstance(prepay_id, str) or not prepay_id:
            log.warning("wechat prepay for %s answered without prepay_id", order.out_trade_no)
            raise ProviderUnavailable("微信支付暂不可用，请稍后再试")
        log.info("wechat prepay ok for %s", order.out_trade_no)
        return self._pay_params(prepay_id)

    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> PaymentNotice:
        """Verify a payment notification (headers, freshness, signature), decrypt it and decode it."""
        try:
            notice = self._parse_notification(headers, body, now)
        except NotificationRejected as rejected:
            log.warning("wechat notification rejected: %s", rejected.message)
            raise
        log.info("wechat notification for %s: %s", notice.out_trade_no, notice.state)
        return notice

    def query(self, out_trade_no: str) -> PaymentNotice:
        """The order's state at WeChat; an order WeChat does not know is NOT_FOUND."""
        # Escaped here, not by requests, so the path we sign is the path we send.
        path = f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}?mchid={quote(self._config.mchid)}"
        try:
            _, answer = self._client.call("GET", path, None)
        except WeChatPayCallFailed as failed:
            # A bare 404 (no WeChat error body) may be a proxy or a wrong base URL: not proof of absence.
            if failed.code == "ORDER_NOT_EXIST" or (failed.status == 404 and failed.code is not None):
                return PaymentNotice(state=ChannelState.NOT_FOUND, out_trade_no=out_trade_no)
            raise ProviderUnavailable("微信支付查询失败") from None
        if not isinstance(answer, dict) or answer.get("out_trade_no") != out_trade_no:
            log.warning("wechat query for %s answered about another order", out_trade_no)
            raise ProviderUnavailable("微信支付查询失败")
        try:
            return _notice(answer, success_event=True)
        except ValueError:
            raise ProviderUnavailable("微信支付查询失败") from None

    def close(self, out_trade_no: str) -> None:
        """Close an unpaid order; unknown or already closed orders are fine, a paid one is PaymentFailed."""
        path = f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}/close"
        try:
            self._client.call("POST", path, {"mchid": self._config.mchid})
        except WeChatPayCallFailed as failed:
            if failed.code in ("ORDER_NOT_EXIST", "ORDER_CLOSED"):
                return
            if failed.code in _PAID_CODES:
                raise PaymentFailed("订单已支付") from None
            raise ProviderUnavailable("微信支付关单失败") from None
        log.info("wechat order %s closed", out_trade_no)

    # --- app parameters --------------------------------------------------------------------------------

    def _pay_params(self, prepay_id: str) -> dict[str, str]:
        appid = self._config.appid
        timestamp, noncestr = str(int(self._client.now().timestamp())), self._client.nonce()
        sign = self._client.sign(f"{appid}\n{timestamp}\n{noncestr}\n{prepay_id}\n".encode())
        return {
            "app_id": appid, "partner_id": self._config.mchid, "prepay_id": prepay_id, "package": "Sign=WXPay",
            "noncestr": noncestr, "timestamp": timestamp, "sign": sign,
        }

    # --- notifications ---------------------------------------------------------------------------------

    def _parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> PaymentNotice:
        envelope, transaction = self._client.open_notification(headers, body, now)
        if transaction.get("mchid") != self._config.mchid or transaction.get("appid") != self._config.appid:
            raise NotificationRejected("not our merchant")
        try:
            return _notice(transaction, success_event=envelope.get("event_type") == "TRANSACTION.SUCCESS")
        except ValueError as exc:
            raise NotificationRejected(f"malformed transaction: {exc}") from None


# --- helpers -------------------------------------------------------------------------------------------

def beijing_rfc3339(moment: datetime) -> str:
    """`moment` as WeChat wants it: RFC 3339 in Beijing time, e.g. 2026-11-24T18:00:00+08:00."""
    if moment.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    return moment.astimezone(BEIJING).isoformat(timespec="seconds")


def _notice(transaction: Mapping[str, Any], *, success_event: bool) -> PaymentNotice:
    """Map a transaction document (query answer or decrypted notification); ValueError if malformed."""
    out_trade_no, trade_state = transaction.get("out_trade_no"), transaction.get("trade_state")
    if not isinstance(out_trade_no, str) or not isinstance(trade_state, str):
        raise ValueError("no out_trade_no or trade_state")
    state = _TRADE_STATES.get(trade_state)
    if state is None:
        log.warning("wechat order %s has unknown trade_state %s", out_trade_no, trade_state)
        state = ChannelState.PENDING  # changes nothing; the reconciler asks again
    elif trade_state == "SUCCESS" and not success_event:
        state = ChannelState.PENDING  # only a TRANSACTION.SUCCESS event proves payment; a query settles it
    amount_doc = transaction.get("amount")
    total = amount_doc.get("total") if isinstance(amount_doc, dict) else None
    amount = Cny(total) if isinstance(total, int) and not isinstance(total, bool) else None
    if state is ChannelState.PAID and amount is None:
        raise ValueError("paid without an amount")
    success_time = transaction.get("success_time")
    transaction_id = transaction.get("transaction_id")
    return PaymentNotice(
        state=state, out_trade_no=out_trade_no, amount=amount,
        transaction_id=transaction_id if isinstance(transaction_id, str) and transaction_id else None,
        paid_at=datetime.fromisoformat(success_time) if isinstance(success_time, str) and success_time else None,
    )
