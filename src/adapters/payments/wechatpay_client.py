"""The signed WeChat Pay API v3 client every WeChat Pay adapter shares (payments, transfers, refunds).

Owns the wire rules of external-contracts.md §3 in platform-public-key mode: request signing
(WECHATPAY2-SHA256-RSA2048 over `METHOD\\nPATH\\nTS\\nNONCE\\nBODY\\n`), the signature check of every 2xx answer,
WeChat's `{code, message}` error shape, the verification and AES-256-GCM decryption of notifications (5-minute
freshness window), and RSA-OAEP encryption of sensitive request fields (敏感信息加密: RSA/ECB/
OAEPWithSHA-1AndMGF1Padding with the platform public key, base64; https://pay.weixin.qq.com/docs/partner/
development/interface-rules/sensitive-data-encryption.html). Never retries. Keys, signatures and bodies never
reach a log line or an error message.
"""
from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

import attrs
import requests
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from skyriff_domain.errors import NotificationRejected, ProviderUnavailable

log = logging.getLogger("skyriff.payments.wechat")

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
USER_AGENT = f"skyriff-wechatpay/1.0 python-requests/{requests.__version__}"
NOTIFY_WINDOW_SECONDS = 300  # replay protection; WeChat's SDK does not check it, we do


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


class WeChatPayCallFailed(Exception):
    """WeChat answered non-2xx; `code` and `text` are WeChat's own (safe to log)."""

    def __init__(self, status: int, code: str | None, text: str) -> None:
        super().__init__(f"{status} {code}")
        self.status, self.code, self.text = status, code, text


class WeChatPayClient:
    """Signed calls to one merchant's API v3 (or a fake of it at `config.base_url`)."""

    def __init__(
        self,
        config: WeChatPayConfig,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
        nonce: Callable[[], str] | None = None,
    ) -> None:
        self.config = config
        self.base = config.base_url.rstrip("/")
        self._merchant_key = _private_key(config.merchant_private_key_pem)
        self._platform_key = _public_key(config.platform_public_key_pem)
        self._aead = AESGCM(config.apiv3_key.encode("utf-8"))
        # A plain Session does not retry; a caller-supplied one must not either (see module docstring).
        self._session = session if session is not None else requests.Session()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._nonce = nonce or (lambda: secrets.token_hex(16))  # 32 chars, WeChat's maximum

    def __repr__(self) -> str:
        return f"WeChatPayClient(mchid={self.config.mchid!r}, base_url={self.base!r})"

    def now(self) -> datetime:
        return self._clock()

    def nonce(self) -> str:
        return self._nonce()

    def sign(self, message: bytes) -> str:
        """base64 SHA256withRSA of `message` with the merchant key (requests and the app's pay params)."""
        return _sign(self._merchant_key, message)

    def encrypt(self, plain: str) -> str:
        """A sensitive request field (e.g. `user_name`) as WeChat wants it: RSA-OAEP(SHA-1) to the platform key."""
        cipher = self._platform_key.encrypt(
            plain.encode("utf-8"), padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
        return base64.b64encode(cipher).decode("ascii")

    # --- calls -----------------------------------------------------------------------------------------

    def call(self, method: str, path: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        """One signed request; returns (status, parsed JSON or None) of a verified 2xx answer.

        Raises WeChatPayCallFailed for a non-2xx answer and ProviderUnavailable when there is no usable answer
        (transport failure, timeout, unverifiable signature, unreadable body). `path` must be escaped already:
        the path we sign is the path we send."""
        # Serialised once: the signature covers exactly these bytes.
        payload = b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp, nonce = str(int(self._clock().timestamp())), self._nonce()
        message = f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + payload + b"\n"
        cfg = self.config
        headers = {
            "Authorization": (
                f'{SCHEMA} mchid="{cfg.mchid}",nonce_str="{nonce}",signature="{_sign(self._merchant_key, message)}",'
                f'timestamp="{timestamp}",serial_no="{cfg.merchant_serial_no}"'
            ),
            # Names the key that encrypted sensitive fields, and the key we expect answers signed with.
            "Wechatpay-Serial": cfg.platform_public_key_id,
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }
        try:
            response = self._session.request(
                method, self.base + path, data=payload if body is not None else None, headers=headers,
                timeout=cfg.timeout, allow_redirects=False,  # a redirect would change the signed path
            )
        except requests.RequestException as exc:
            log.warning("wechat %s %s failed: %s", method, path, type(exc).__name__)
            raise ProviderUnavailable("微信支付暂不可用，请稍后再试") from None
        status = response.status_code
        if not 200 <= status < 300:
            code, text = _error_of(response.content)
            log.warning("wechat %s %s -> %s %s %s", method, path, status, code, text)
            raise WeChatPayCallFailed(status, code, text)
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
        if not all(parts) or parts[3] != self.config.platform_public_key_id:
            return False
        message = f"{parts[0]}\n{parts[1]}\n".encode() + response.content + b"\n"
        return _verifies(self._platform_key, message, str(parts[2]))

    # --- notifications ---------------------------------------------------------------------------------

    def open_notification(self, headers: Mapping[str, str], body: bytes,
                          now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
        """(envelope, decrypted resource) of a verified, fresh notification; raises NotificationRejected.

        Checks the Wechatpay-* headers, the 5-minute window, the signature over the raw body (which also
        drops WeChat's deliberately wrong "probe" notifications), then decrypts the AES-256-GCM resource."""
        folded = lower_headers(headers)
        values: dict[str, str | None] = {}
        for name in ("timestamp", "nonce", "signature", "serial"):
            values[name] = folded.get(f"wechatpay-{name}")
            if not values[name]:
                raise NotificationRejected(f"missing Wechatpay-{name.capitalize()}")
        signature_type = folded.get("wechatpay-signature-type")
        if signature_type is not None and signature_type != SCHEMA:
            raise NotificationRejected("unsupported signature type")
        if values["serial"] != self.config.platform_public_key_id:
            raise NotificationRejected("unknown serial")
        timestamp = values["timestamp"] or ""
        fresh = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12 and \
            abs(now.timestamp() - int(timestamp)) <= NOTIFY_WINDOW_SECONDS
        if not fresh:
            raise NotificationRejected("stale timestamp")
        # Over the raw bytes as received: re-serialised JSON would not verify.
        message = f"{timestamp}\n{values['nonce']}\n".encode() + body + b"\n"
        if not _verifies(self._platform_key, message, values["signature"] or ""):
            raise NotificationRejected("bad signature")
        try:
            envelope = json.loads(body)
        except (ValueError, RecursionError):
            raise NotificationRejected("body is not JSON") from None
        if not isinstance(envelope, dict) or envelope.get("resource_type") != "encrypt-resource":
            raise NotificationRejected("not an encrypted resource")
        return envelope, self._decrypt(envelope.get("resource"))

    def _decrypt(self, resource: Any) -> dict[str, Any]:
        if not isinstance(resource, dict) or resource.get("algorithm") != "AEAD_AES_256_GCM":
            raise NotificationRejected("unsupported algorithm")
        try:
            plain = self._aead.decrypt(
                str(resource["nonce"]).encode(), base64.b64decode(resource["ciphertext"], validate=True),
                str(resource.get("associated_data") or "").encode(),
            )
            document = json.loads(plain)
        except InvalidTag:
            raise NotificationRejected("cannot decrypt") from None
        except (KeyError, TypeError, ValueError, binascii.Error, RecursionError):
            raise NotificationRejected("malformed resource") from None
        if not isinstance(document, dict):
            raise NotificationRejected("malformed resource")
        return document


# --- helpers -------------------------------------------------------------------------------------------

def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
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
