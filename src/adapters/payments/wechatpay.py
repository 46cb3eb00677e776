"""WeChat Pay API v3 APP payments over plain `requests` + `cryptography`, in platform-public-key mode.

Owns the wire contract: request signing (WECHATPAY2-SHA256-RSA2048), the signature check of every 2xx
answer and of every notification, AES-256-GCM decryption of notifications, the app's `pay_params`, and the
mapping of WeChat's trade_state and error codes to the domain. Never retries: a create or close that
timed out has an unknown effect, and the caller decides (query first). Keys, signatures and notification
bodies never reach a log line or an error message.
"""
from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import attrs
import requests
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from skyriff_domain.errors import NotificationRejected, PaymentFailed, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentGateway, PaymentNotice, PaymentOrder

log = logging.getLogger("skyriff.payments.wechat")

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
USER_AGENT = f"skyriff-wechatpay/1.0 python-requests/{requests.__version__}"
NOTIFY_WINDOW_SECONDS = 300  # replay protection; WeChat's SDK does not check it, we do
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


@attrs.frozen
class WeChatPayConfig:
    """One merchant's WeChat Pay settings; keys are PEM text and never appear in the repr."""

    mchid: str
    appid: str
    merchant_serial_no: str  # serial of the merchant API certificate (apiclient_cert.pem)
    merchant_private_key_pem: str = attrs.field(repr=False)
    apiv3_key: str = attrs.field(repr=False)
    platform_public_key_pem: str = attrs.field(repr=False)
    platform_public_key_id: str  # "PUB_KEY_ID_…"
    notify_url: str
    base_url: str = "https://api.mch.weixin.qq.com"
    timeout: float = 5.0

    @apiv3_key.validator
    def _check_apiv3_key(self, attribute: object, value: str) -> None:
        if len(value.encode("utf-8")) != 32:
            raise ValueError("apiv3_key must be 32 bytes")  # never echo the key


class _CallFailed(Exception):
    """WeChat answered non-2xx; `code` and `text` are WeChat's own (safe to log)."""

    def __init__(self, status: int, code: str | None, text: str) -> None:
        super().__init__(f"{status} {code}")
        self.status, self.code, self.text = status, code, text


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
        self._base = config.base_url.rstrip("/")
        self._merchant_key = _private_key(config.merchant_private_key_pem)
        self._platform_key = _public_key(config.platform_public_key_pem)
        self._aead = AESGCM(config.apiv3_key.encode("utf-8"))
        # A plain Session does not retry; a caller-supplied one must not either (see module docstring).
        self._session = session if session is not None else requests.Session()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._nonce = nonce or (lambda: secrets.token_hex(16))  # 32 chars, WeChat's maximum

    def __repr__(self) -> str:
        return f"WeChatPayGateway(mchid={self._config.mchid!r}, base_url={self._base!r})"

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
            _, answer = self._call("POST", "/v3/pay/transactions/app", body)
        except _CallFailed as failed:
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
            notice = self._parse_notification(_lower(headers), body, now)
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
            _, answer = self._call("GET", path, None)
        except _CallFailed as failed:
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
            self._call("POST", path, {"mchid": self._config.mchid})
        except _CallFailed as failed:
            if failed.code in ("ORDER_NOT_EXIST", "ORDER_CLOSED"):
                return
            if failed.code in _PAID_CODES:
                raise PaymentFailed("订单已支付") from None
            raise ProviderUnavailable("微信支付关单失败") from None
        log.info("wechat order %s closed", out_trade_no)

    # --- wire ------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        """One signed request; returns (status, parsed JSON or None) of a verified 2xx answer."""
        # Serialised once: the signature covers exactly these bytes.
        payload = b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp, nonce = str(int(self._clock().timestamp())), self._nonce()
        message = f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + payload + b"\n"
        cfg = self._config
        headers = {
            "Authorization": (
                f'{SCHEMA} mchid="{cfg.mchid}",nonce_str="{nonce}",signature="{_sign(self._merchant_key, message)}",'
                f'timestamp="{timestamp}",serial_no="{cfg.merchant_serial_no}"'
            ),
            "Wechatpay-Serial": cfg.platform_public_key_id,
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }
        try:
            response = self._session.request(
                method, self._base + path, data=payload if body is not None else None, headers=headers,
                timeout=cfg.timeout, allow_redirects=False,  # a redirect would change the signed path
            )
        except requests.RequestException as exc:
            log.warning("wechat %s %s failed: %s", method, path, type(exc).__name__)
            raise ProviderUnavailable("微信支付暂不可用，请稍后再试") from None
        status = response.status_code
        if not 200 <= status < 300:
            code, text = _error_of(response.content)
            log.warning("wechat %s %s -> %s %s %s", method, path, status, code, text)
            raise _CallFailed(status, code, text)
        if not self._response_verifies(response):
            log.warning("wechat %s %s -> %s with an unverifiable signature", method, path, status)
            raise ProviderUnavailable("微信支付应答验签失败")
        if not response.content:
            return status, None
        try:
            return status, json.loads(response.content)
        except ValueError:
            log.warning("wechat %s %s -> %s not JSON", method, path, status)
            raise ProviderUnavailable("微信支付应答无法解析") from None

    def _response_verifies(self, response: requests.Response) -> bool:
        h = response.headers  # requests' headers are case-insensitive
        parts = [h.get(f"Wechatpay-{n}") for n in ("Timestamp", "Nonce", "Signature", "Serial")]
        if not all(parts) or parts[3] != self._config.platform_public_key_id:
            return False
        message = f"{parts[0]}\n{parts[1]}\n".encode() + response.content + b"\n"
        return _verifies(self._platform_key, message, str(parts[2]))

    def _pay_params(self, prepay_id: str) -> dict[str, str]:
        appid = self._config.appid
        timestamp, noncestr = str(int(self._clock().timestamp())), self._nonce()
        sign = _sign(self._merchant_key, f"{appid}\n{timestamp}\n{noncestr}\n{prepay_id}\n".encode())
        return {
            "app_id": appid, "partner_id": self._config.mchid, "prepay_id": prepay_id, "package": "Sign=WXPay",
            "noncestr": noncestr, "timestamp": timestamp, "sign": sign,
        }

    # --- notifications ---------------------------------------------------------------------------------

    def _parse_notification(self, headers: dict[str, str], body: bytes, now: datetime) -> PaymentNotice:
        values: dict[str, str | None] = {}
        for name in ("timestamp", "nonce", "signature", "serial"):
            values[name] = headers.get(f"wechatpay-{name}")
            if not values[name]:
                raise NotificationRejected(f"missing Wechatpay-{name.capitalize()}")
        signature_type = headers.get("wechatpay-signature-type")
        if signature_type is not None and signature_type != SCHEMA:
            raise NotificationRejected("unsupported signature type")
        if values["serial"] != self._config.platform_public_key_id:
            raise NotificationRejected("unknown serial")
        timestamp = values["timestamp"] or ""
        fresh = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12 and \
            abs(now.timestamp() - int(timestamp)) <= NOTIFY_WINDOW_SECONDS
        if not fresh:
            raise NotificationRejected("stale timestamp")
        # Over the raw bytes as received: re-serialised JSON would not verify. This also drops probes.
        message = f"{timestamp}\n{values['nonce']}\n".encode() + body + b"\n"
        if not _verifies(self._platform_key, message, values["signature"] or ""):
            raise NotificationRejected("bad signature")
        try:
            envelope = json.loads(body)
        except (ValueError, RecursionError):
            raise NotificationRejected("body is not JSON") from None
        if not isinstance(envelope, dict) or envelope.get("resource_type") != "encrypt-resource":
            raise NotificationRejected("not an encrypted resource")
        transaction = self._decrypt(envelope.get("resource"))
        if transaction.get("mchid") != self._config.mchid or transaction.get("appid") != self._config.appid:
            raise NotificationRejected("not our merchant")
        try:
            return _notice(transaction, success_event=envelope.get("event_type") == "TRANSACTION.SUCCESS")
        except ValueError as exc:
            raise NotificationRejected(f"malformed transaction: {exc}") from None

    def _decrypt(self, resource: Any) -> dict[str, Any]:
        if not isinstance(resource, dict) or resource.get("algorithm") != "AEAD_AES_256_GCM":
            raise NotificationRejected("unsupported algorithm")
        try:
            plain = self._aead.decrypt(
                str(resource["nonce"]).encode(), base64.b64decode(resource["ciphertext"], validate=True),
                str(resource.get("associated_data") or "").encode(),
            )
            transaction = json.loads(plain)
        except InvalidTag:
            raise NotificationRejected("cannot decrypt") from None
        except (KeyError, TypeError, ValueError, binascii.Error):
            raise NotificationRejected("malformed resource") from None
        if not isinstance(transaction, dict):
            raise NotificationRejected("malformed resource")
        return transaction


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


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names folded to `wechatpay-signature` style: Flask, lower-case and Django META all work."""
    folded = {}
    for name, value in headers.items():
        key = name.lower().replace("_", "-")
        folded[key.removeprefix("http-")] = value
    return folded


def _error_of(content: bytes) -> tuple[str | None, str]:
    """WeChat's `{"code", "message"}` of an error answer, or (None, "") when it is not WeChat's shape."""
    try:
        document = json.loads(content)
    except ValueError:
        return None, ""
    if not isinstance(document, dict) or not isinstance(document.get("code"), str):
        return None, ""
    return document["code"], str(document.get("message", ""))[:200]


def _sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def _verifies(key: rsa.RSAPublicKey, message: bytes, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def _private_key(pem: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("merchant_private_key_pem is not an unencrypted PEM RSA private key") from None
    return key


def _public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("platform_public_key_pem is not a PEM RSA public key") from None
    return key
