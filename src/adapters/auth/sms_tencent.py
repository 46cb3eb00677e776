"""Tencent Cloud SMS `SendSms` (API 2021-01-11) over plain `requests`, signed with TC3-HMAC-SHA256.

Owns the wire contract (body, headers, signature) and the mapping of Tencent's error codes to domain
errors. Never retries: SendSms is not idempotent, so a retried request can text the user twice.
The full phone number, the secret key and the code never reach a log line or an error message.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import requests

from skyriff_domain.errors import InvalidRequest, ProviderUnavailable, TooManyRequests
from skyriff_domain.model.user import mask_phone
from skyriff_domain.ports.auth import SmsSender

log = logging.getLogger("skyriff.sms")

API_VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-tc-action"

# Per-number throttles → seconds until the user may ask again; other LimitExceeded.* codes get 60.
_RETRY_AFTER: dict[str, int] = {
    "LimitExceeded.PhoneNumberThirtySecondLimit": 30,
    "LimitExceeded.PhoneNumberOneHourLimit": 3600,
    "LimitExceeded.PhoneNumberDailyLimit": 86400,
}
_DEFAULT_RETRY_AFTER = 60


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_authorization(
    secret_id: str, secret_key: str, host: str, timestamp: int, payload: bytes,
    service: str = "sms", action: str = "SendSms",
) -> str:
    """The `Authorization` header for a JSON POST to `/` of `host`, signing content-type, host and x-tc-action."""
    canonical_headers = f"content-type:{CONTENT_TYPE}\nhost:{host}\nx-tc-action:{action.lower()}\n"
    canonical_request = f"POST\n/\n\n{canonical_headers}\n{SIGNED_HEADERS}\n{_sha256_hex(payload)}"
    date = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256_hex(canonical_request.encode('utf-8'))}"
    signing_key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode("utf-8"), date), service), "tc3_request")
    signature = hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders={SIGNED_HEADERS}, Signature={signature}"
    )


class _SendFailed(Exception):
    """Tencent (or the network) refused the send; `code` is safe to log (an error code, never data)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TencentSmsSender(SmsSender):
    """`SmsSender` against Tencent Cloud SMS (or a fake of it at `endpoint`)."""

    def __init__(
        self,
        *,
        secret_id: str,
        secret_key: str,
        sdk_app_id: str,
        sign_name: str,
        template_id: str,
        region: str = "ap-guangzhou",
        endpoint: str = "https://sms.tencentcloudapi.com",
        timeout: float = 5.0,
        session: requests.Session | None = None,
        clock: Callable[[], int] | None = None,
    ) -> None:
        parts = urlsplit(endpoint)
        self._host = parts.netloc  # host[:port]: what requests sends, so what we must sign
        self._url = f"{parts.scheme}://{parts.netloc}/"
        self._secret_id = secret_id
        self._secret_key = secret_key
        self._sdk_app_id = sdk_app_id
        self._sign_name = sign_name
        self._template_id = template_id
        self._region = region
        self._timeout = timeout
        # A plain Session does not retry; a caller-supplied one must not either (see module docstring).
        self._session = session if session is not None else requests.Session()
        self._clock = clock or (lambda: int(time.time()))

    def __repr__(self) -> str:  # keep the secret key out of reprs and tracebacks
        return f"TencentSmsSender(secret_id={self._secret_id!r}, sdk_app_id={self._sdk_app_id!r}, url={self._url!r})"

    def send_code(self, phone: str, code: str, ttl_minutes: int) -> None:
        """Text `code` (template params: code, ttl_minutes) to a mainland number; exactly one HTTP request."""
        try:
            request_id = self._send(phone, code, ttl_minutes)
        except _SendFailed as failure:
            log.warning("tencent sms to %s failed: %s", mask_phone(phone), failure.code)
            raise _domain_error(failure.code) from None
        log.info("tencent sms sent to %s (request %s)", mask_phone(phone), request_id)

    def _send(self, phone: str, code: str, ttl_minutes: int) -> str:
        body = {
            "PhoneNumberSet": [phone if phone.startswith("+") else f"+86{phone}"],
            "SmsSdkAppId": self._sdk_app_id,
            "SignName": self._sign_name,
            "TemplateId": self._template_id,
            "TemplateParamSet": [code, str(ttl_minutes)],
        }
        # Serialised once: the signature covers the hash of exactly these bytes.
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = self._clock()
        headers = {
            "Authorization": tc3_authorization(self._secret_id, self._secret_key, self._host, timestamp, payload),
            "Content-Type": CONTENT_TYPE,
            "Host": self._host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": API_VERSION,
            "X-TC-Region": self._region,
        }
        try:
            response = self._session.post(self._url, data=payload, headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            # A timeout may still have delivered the SMS; retrying could deliver it twice, so we fail.
            raise _SendFailed(f"transport:{type(exc).__name__}") from None
        if response.status_code != 200:
            raise _SendFailed(f"http:{response.status_code}")
        return _check(_parse(response))


def _parse(response: requests.Response) -> dict[str, Any]:
    try:
        document = response.json()
    except ValueError:
        raise _SendFailed("invalid-json") from None
    inner = document.get("Response") if isinstance(document, dict) else None
    if not isinstance(inner, dict):
        raise _SendFailed("invalid-response")
    return inner


def _check(inner: dict[str, Any]) -> str:
    """The RequestId of a successful send; raises _SendFailed with Tencent's code otherwise."""
    error = inner.get("Error")
    if isinstance(error, dict):
        raise _SendFailed(str(error.get("Code") or "unknown-error"))
    statuses = inner.get("SendStatusSet")
    if not isinstance(statuses, list) or not statuses:
        raise _SendFailed("empty-status-set")
    for status in statuses:
        status_code = status.get("Code") if isinstance(status, dict) else None
        if status_code != "Ok":
            raise _SendFailed(str(status_code or "unknown-status"))
    return str(inner.get("RequestId", ""))


def _domain_error(code: str) -> Exception:
    if code.startswith("LimitExceeded."):
        return TooManyRequests(retry_after=_RETRY_AFTER.get(code, _DEFAULT_RETRY_AFTER))
    if code == "InvalidParameterValue.IncorrectPhoneNumber":
        return InvalidRequest("phone", "手机号无效")
    return ProviderUnavailable("短信发送失败")
