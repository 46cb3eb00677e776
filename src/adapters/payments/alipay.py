"""Alipay app payment (`alipay.trade.app.pay`) over plain `requests` + `cryptography`, signed with RSA2.

Owns the wire contract: the signed order string the app hands to the Alipay SDK, verification of the
form-encoded async notification, and the signed `alipay.trade.query` / `alipay.trade.close` calls with
their responses verified over the raw JSON text. Vendor statuses are mapped to `ChannelState` here.
Server calls are POSTs of a form carrying every parameter (common and biz_content), so nothing
business-related lands in URLs or proxy logs. Keys and signatures never reach a log line or an error.
"""
from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, quote_plus
from zoneinfo import ZoneInfo

import attrs
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from skyriff_domain.errors import NotificationRejected, PaymentFailed, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentGateway, PaymentNotice, PaymentOrder

log = logging.getLogger("skyriff.payments.alipay")

BEIJING = ZoneInfo("Asia/Shanghai")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_SUBJECT_MAX = 256
_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,2})?")  # yuan; Alipay sends 2 decimals, Cny.of stays exact
_STATES = {
    "TRADE_SUCCESS": ChannelState.PAID,
    "TRADE_FINISHED": ChannelState.PAID,  # the refund window ended; the domain fulfils only once
    "WAIT_BUYER_PAY": ChannelState.PENDING,
    "TRADE_CLOSED": ChannelState.CLOSED,
}


@attrs.frozen
class AlipayConfig:
    """One Alipay app; keys are PEM (or the bare base64 the Alipay console shows) and stay out of repr."""

    app_id: str
    app_private_key_pem: str = attrs.field(repr=False)
    alipay_public_key_pem: str = attrs.field(repr=False)
    notify_url: str
    gateway_url: str = "https://openapi.alipay.com/gateway.do"
    seller_id: str | None = None  # the merchant's 2088… PID; checked in notifications when set
    timeout: float = 5.0


class _CallFailed(Exception):
    """A gateway call gave no usable answer; `reason` is safe to log (codes only, never data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlipayGateway(PaymentGateway):
    """`PaymentGateway` for Alipay app payments (or a fake of its gateway at `config.gateway_url`)."""

    channel = "alipay"

    def __init__(self, config: AlipayConfig, session: requests.Session | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._config = config
        self._private_key = _load_private_key(config.app_private_key_pem)
        self._alipay_key = _load_public_key(config.alipay_public_key_pem)
        # Query and close are safe to repeat, but a plain Session does not retry anyway.
        self._session = session if session is not None else requests.Session()
        self._clock = clock or (lambda: datetime.now(timezone.utc))

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
            "time_expire": _beijing(order.expires_at),
        }
        params = self._signed("alipay.trade.app.pay", biz, notify_url=self._config.notify_url)
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
        if not signature or not _verify(self._alipay_key, _signing_text(params), signature):
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
            inner = self._call("alipay.trade.query", {"out_trade_no": out_trade_no})
            if inner.get("code") == "40004" and inner.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                return PaymentNotice(ChannelState.NOT_FOUND, out_trade_no=out_trade_no)
            _require_success(inner)
            if inner.get("out_trade_no") != out_trade_no:
                raise _CallFailed("out_trade_no mismatch")
            notice = _to_notice(inner, paid_at_field="send_pay_date")
        except (_CallFailed, ValueError) as failure:
            log.warning("alipay query of %s failed: %s", out_trade_no, failure)
            raise ProviderUnavailable("支付宝查询失败") from None
        log.info("alipay query of %s: %s", out_trade_no, notice.state.value)
        return notice

    def close(self, out_trade_no: str) -> None:
        """`alipay.trade.close`; unknown and already closed trades are fine, a paid one is PaymentFailed."""
        try:
            inner = self._call("alipay.trade.close", {"out_trade_no": out_trade_no})
        except _CallFailed as failure:
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

    def _call(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        """POST a signed request; the verified `<method>_response` object (any code), or _CallFailed."""
        params = self._signed(method, biz)
        headers = {"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"}
        try:
            response = self._session.post(self._config.gateway_url, data=params, headers=headers,
                                          timeout=self._config.timeout)
        except requests.Timeout:
            raise _CallFailed("timeout") from None
        except requests.RequestException as exc:
            raise _CallFailed(f"network error ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise _CallFailed(f"HTTP {response.status_code}")
        try:
            text = response.content.decode("utf-8")
            document = json.loads(text)
        except ValueError:
            raise _CallFailed("response is not UTF-8 JSON") from None
        if not isinstance(document, dict):
            raise _CallFailed("response is not a JSON object")
        error = document.get("error_response")
        if isinstance(error, dict):  # gateway-level refusal, possibly unsigned
            raise _CallFailed(f"error_response {error.get('code')}/{error.get('sub_code')}")
        name = method.replace(".", "_") + "_response"
        try:
            raw = raw_json_member(text, name)
        except ValueError:
            raise _CallFailed("malformed response") from None
        signature = document.get("sign")
        if raw is None or not isinstance(signature, str):
            raise _CallFailed(f"no signed {name}")
        if not _verify(self._alipay_key, raw, signature):
            raise _CallFailed("bad response signature")
        inner = json.loads(raw)  # the verified text itself, not the outer parse (duplicates can't diverge)
        if not isinstance(inner, dict):
            raise _CallFailed(f"{name} is not an object")
        return inner

    def _signed(self, method: str, biz: dict[str, Any], **extra: str) -> dict[str, str]:
        """Common params + biz_content + `sign` (4.2: sorted raw `k=v`, sign_type included, empties dropped)."""
        params = {
            "app_id": self._config.app_id, "method": method, "format": "JSON", "charset": "utf-8",
            "sign_type": "RSA2", "timestamp": _beijing(self._clock()), "version": "1.0",
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")), **extra,
        }
        params = {k: v for k, v in params.items() if v}
        params["sign"] = _sign(self._private_key, _signing_text(params))
        return params


# --- helpers -------------------------------------------------------------------------------------------

def _require_success(inner: Mapping[str, Any]) -> None:
    if inner.get("code") != "10000":
        raise _CallFailed(f"code {inner.get('code')}/{inner.get('sub_code')}")


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
        paid = datetime.strptime(paid_at, _TIME_FORMAT).replace(tzinfo=BEIJING) if paid_at else None
    except (TypeError, ValueError):
        raise ValueError(f"{paid_at_field} 格式无效") from None
    return PaymentNotice(
        state=state, out_trade_no=str(fields.get("out_trade_no")), amount=Cny.of(amount),
        transaction_id=fields.get("trade_no") or None,
        paid_at=paid.astimezone(timezone.utc) if paid else None,
    )


def _beijing(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: Alipay times are Beijing wall-clock, the source must be aware")
    return moment.astimezone(BEIJING).strftime(_TIME_FORMAT)


def _signing_text(params: Mapping[str, str]) -> str:
    return "&".join(f"{key}={params[key]}" for key in sorted(params))


def _sign(key: rsa.RSAPrivateKey, text: str) -> str:
    return base64.b64encode(key.sign(text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def _verify(key: rsa.RSAPublicKey, text: str, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), text.encode("utf-8"), padding.PKCS1v15(),
                   hashes.SHA256())
    except (InvalidSignature, ValueError):  # binascii.Error is a ValueError
        return False
    return True


def _der(text: str) -> bytes | None:
    """Bare base64 (as the Alipay console shows keys) → DER; None when `text` is PEM."""
    return None if "-----BEGIN" in text else base64.b64decode("".join(text.split()))


def _load_private_key(text: str) -> rsa.RSAPrivateKey:
    try:
        der = _der(text)
        key = (serialization.load_der_private_key(der, password=None) if der is not None
               else serialization.load_pem_private_key(text.encode("ascii"), password=None))
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("app_private_key_pem is not an unencrypted RSA private key") from None
    return key


def _load_public_key(text: str) -> rsa.RSAPublicKey:
    try:
        der = _der(text)
        key = (serialization.load_der_public_key(der) if der is not None
               else serialization.load_pem_public_key(text.encode("ascii")))
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("alipay_public_key_pem is not an RSA public key") from None
    return key


# --- raw JSON extraction: Alipay signs the response object's exact text ----------------------------------

_WHITESPACE = " \t\r\n"


def raw_json_member(text: str, name: str) -> str | None:
    """The exact source text of top-level member `name` in the JSON object `text`; None if absent.

    Raises ValueError if `text` is not a JSON object or names `name` twice. Strings are skipped with their
    escapes, so braces or the member name inside string values cannot mislead it.
    """
    json.loads(text)  # validity first: the scanner below may then assume well-formed input
    i = _skip(text, 0)
    if text[i] != "{":
        raise ValueError("not a JSON object")
    found: str | None = None
    i = _skip(text, i + 1)
    if text[i] == "}":
        return None
    while True:
        key_end = _string_end(text, i)
        key = json.loads(text[i:key_end])
        start = _skip(text, _skip(text, key_end) + 1)  # past the colon
        end = _value_end(text, start)
        if key == name:
            if found is not None:
                raise ValueError(f"duplicate member {name}")
            found = text[start:end]
        i = _skip(text, end)
        if text[i] == "}":
            return found
        i = _skip(text, i + 1)  # past the comma


def _skip(text: str, i: int) -> int:
    while text[i] in _WHITESPACE:
        i += 1
    return i


def _string_end(text: str, i: int) -> int:
    """Index just past the string literal starting at `text[i] == '"'`."""
    i += 1
    while text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _value_end(text: str, i: int) -> int:
    """Index just past the JSON value starting at `i`."""
    if text[i] == '"':
        return _string_end(text, i)
    if text[i] not in "{[":
        while i < len(text) and text[i] not in ",}]" + _WHITESPACE:
            i += 1
        return i
    depth = 0
    while True:
        char = text[i]
        if char == '"':
            i = _string_end(text, i)
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
