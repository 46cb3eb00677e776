"""Tencent Cloud API 3.0 over plain `requests`: the TC3-HMAC-SHA256 signature and the common JSON envelope,
shared by the SMS and content-moderation adapters.

Owns the wire contract every Tencent Cloud product shares (POST to `/` of the product's host, the X-TC-* headers,
`{"Response": {...}}` with `Error` on failure even under HTTP 200). Never retries: whether a call may be repeated
is the product adapter's decision. Secret keys never reach a log line, an error or a repr.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import requests

CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-tc-action"


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


class TencentCloudError(Exception):
    """A call got no usable answer. `code` is safe to log: Tencent's error code (`AuthFailure.SignatureFailure`,
    `RequestLimitExceeded`, …) or ours for what never reached an answer (`transport:Timeout`, `http:502`,
    `invalid-json`, `invalid-response`); never request data."""

    def __init__(self, code: str, request_id: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.request_id = request_id


class TencentCloudClient:
    """One product's API (`service`, `version`) at `endpoint` (the real host, or a fake of it in tests)."""

    def __init__(self, *, secret_id: str, secret_key: str, endpoint: str, service: str, version: str,
                 region: str = "", timeout: float = 5.0, session: requests.Session | None = None,
                 clock: Callable[[], int] | None = None) -> None:
        parts = urlsplit(endpoint)
        self._host = parts.netloc  # host[:port]: what requests sends, so what we must sign
        self._url = f"{parts.scheme}://{parts.netloc}/"
        self._secret_id = secret_id
        self._secret_key = secret_key
        self._service = service
        self._version = version
        self._region = region
        self._timeout = timeout
        # A plain Session does not retry; a caller-supplied one must not either (see the module docstring).
        self._session = session if session is not None else requests.Session()
        self._clock = clock or (lambda: int(time.time()))

    def __repr__(self) -> str:  # keep the secret key out of reprs and tracebacks
        return f"TencentCloudClient(service={self._service!r}, secret_id={self._secret_id!r}, url={self._url!r})"

    def call(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """One signed request; returns the `Response` object of a success, raises TencentCloudError otherwise."""
        # Serialised once: the signature covers the hash of exactly these bytes.
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = self._clock()
        headers = {
            "Authorization": tc3_authorization(self._secret_id, self._secret_key, self._host, timestamp, payload,
                                               self._service, action),
            "Content-Type": CONTENT_TYPE,
            "Host": self._host,
            "X-TC-Action": action,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": self._version,
        }
        if self._region:
            headers["X-TC-Region"] = self._region
        try:
            response = self._session.post(self._url, data=payload, headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            raise TencentCloudError(f"transport:{type(exc).__name__}") from None
        if response.status_code != 200:
            raise TencentCloudError(f"http:{response.status_code}")
        try:
            document = response.json()
        except ValueError:
            raise TencentCloudError("invalid-json") from None
        inner = document.get("Response") if isinstance(document, dict) else None
        if not isinstance(inner, dict):
            raise TencentCloudError("invalid-response")
        error = inner.get("Error")
        if isinstance(error, dict):
            raise TencentCloudError(str(error.get("Code") or "unknown-error"), str(inner.get("RequestId", "")))
        return inner
