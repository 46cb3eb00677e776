"""The signed Alipay open-gateway client every Alipay adapter shares (payments, transfers, refunds).

Owns the wire rules of external-contracts.md §4: RSA2 request signing (sorted raw `k=v`, sign_type included,
empties dropped), form POSTs carrying every parameter (nothing business-related in URLs or proxy logs), and the
check of each answer's `sign` over the exact raw text of its `<method>_response` member. In public-key-
certificate mode (three certificate settings) every request also carries `app_cert_sn` and
`alipay_root_cert_sn`, Alipay's key is the one in alipayCertPublicKey_RSA2.crt, and an answer's
`alipay_cert_sn` must name that certificate (alipay_certs.py). Alipay requires this mode for fund transfers
(资金支出类接口, e.g. alipay.fund.trans.uni.transfer: "单笔转账能力仅支持公钥证书模式"); one app uses one
mode for all its calls. Never retries. Keys and signatures never reach a log line or an error.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import alipay_certs

BEIJING = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@attrs.frozen
class AlipayConfig:
    """One Alipay app; keys are PEM (or the bare base64 the Alipay console shows) and stay out of repr.

    Certificate mode: set all three `*_cert_pem` (then `alipay_public_key_pem` may be empty)."""

    app_id: str
    app_private_key_pem: str = attrs.field(repr=False)
    alipay_public_key_pem: str = attrs.field(repr=False)
    notify_url: str
    gateway_url: str = "https://openapi.alipay.com/gateway.do"
    seller_id: str | None = None  # the merchant's 2088… PID; checked in notifications when set
    timeout: float = 5.0
    app_cert_pem: str | None = attrs.field(default=None, repr=False)  # appCertPublicKey_<app_id>.crt
    alipay_cert_pem: str | None = attrs.field(default=None, repr=False)  # alipayCertPublicKey_RSA2.crt
    alipay_root_cert_pem: str | None = attrs.field(default=None, repr=False)  # alipayRootCert.crt

    @property
    def cert_mode(self) -> bool:
        return bool(self.app_cert_pem or self.alipay_cert_pem or self.alipay_root_cert_pem)


class AlipayCallFailed(Exception):
    """A gateway call gave no usable answer; `reason` is safe to log (codes only, never data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlipayClient:
    """Signed calls to one Alipay app's gateway (or a fake of it at `config.gateway_url`)."""

    def __init__(self, config: AlipayConfig, session: requests.Session | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self._private_key = _load_private_key(config.app_private_key_pem)
        self._cert_sns: dict[str, str] = {}
        if config.cert_mode:
            if not (config.app_cert_pem and config.alipay_cert_pem and config.alipay_root_cert_pem):
                raise ValueError("certificate mode needs app_cert_pem, alipay_cert_pem and alipay_root_cert_pem")
            self._alipay_key = alipay_certs.public_key_of(config.alipay_cert_pem, "alipay_cert_pem")
            self._cert_sns = {"app_cert_sn": alipay_certs.app_cert_sn(config.app_cert_pem),
                              "alipay_root_cert_sn": alipay_certs.root_cert_sn(config.alipay_root_cert_pem)}
            self._alipay_cert_sn = alipay_certs.cert_sn(
                alipay_certs.load_certificate(config.alipay_cert_pem, "alipay_cert_pem"))
        else:
            self._alipay_key = _load_public_key(config.alipay_public_key_pem)
        # Queries are safe to repeat, but a plain Session does not retry anyway (creates must not).
        self._session = session if session is not None else requests.Session()
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    def __repr__(self) -> str:
        return f"AlipayClient(app_id={self.config.app_id!r}, gateway_url={self.config.gateway_url!r})"

    def verify(self, text: str, signature: str) -> bool:
        """Does `signature` (base64 RSA2) by Alipay's key cover `text`?"""
        return _verify(self._alipay_key, text, signature)

    def signed(self, method: str, biz: dict[str, Any], **extra: str) -> dict[str, str]:
        """Common params + biz_content + `sign` (4.2: sorted raw `k=v`, sign_type included, empties dropped)."""
        params = {
            "app_id": self.config.app_id, "method": method, "format": "JSON", "charset": "utf-8",
            "sign_type": "RSA2", "timestamp": beijing(self._clock()), "version": "1.0",
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")), **self._cert_sns, **extra,
        }
        params = {k: v for k, v in params.items() if v}
        params["sign"] = _sign(self._private_key, signing_text(params))
        return params

    def call(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        """POST a signed request; the verified `<method>_response` object (any code), or AlipayCallFailed."""
        params = self.signed(method, biz)
        headers = {"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"}
        try:
            response = self._session.post(self.config.gateway_url, data=params, headers=headers,
                                          timeout=self.config.timeout)
        except requests.Timeout:
            raise AlipayCallFailed("timeout") from None
        except requests.RequestException as exc:
            raise AlipayCallFailed(f"network error ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise AlipayCallFailed(f"HTTP {response.status_code}")
        try:
            text = response.content.decode("utf-8")
            document = json.loads(text)
        except ValueError:
            raise AlipayCallFailed("response is not UTF-8 JSON") from None
        if not isinstance(document, dict):
            raise AlipayCallFailed("response is not a JSON object")
        error = document.get("error_response")
        if isinstance(error, dict):  # gateway-level refusal, possibly unsigned
            raise AlipayCallFailed(f"error_response {error.get('code')}/{error.get('sub_code')}")
        name = method.replace(".", "_") + "_response"
        try:
            raw = raw_json_member(text, name)
        except ValueError:
            raise AlipayCallFailed("malformed response") from None
        signature = document.get("sign")
        if raw is None or not isinstance(signature, str):
            raise AlipayCallFailed(f"no signed {name}")
        if self._cert_sns and document.get("alipay_cert_sn", self._alipay_cert_sn) != self._alipay_cert_sn:
            raise AlipayCallFailed("answer signed with another Alipay certificate (download the new one)")
        if not _verify(self._alipay_key, raw, signature):
            raise AlipayCallFailed("bad response signature")
        inner = json.loads(raw)  # the verified text itself, not the outer parse (duplicates can't diverge)
        if not isinstance(inner, dict):
            raise AlipayCallFailed(f"{name} is not an object")
        return inner


# --- helpers -------------------------------------------------------------------------------------------

def beijing(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: Alipay times are Beijing wall-clock, the source must be aware")
    return moment.astimezone(BEIJING).strftime(TIME_FORMAT)


def signing_text(params: Mapping[str, str]) -> str:
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
