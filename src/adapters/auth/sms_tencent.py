"""Tencent Cloud SMS `SendSms` (API 2021-01-11), through the shared TC3-signed client (adapters.tencent_cloud).

Owns the wire contract (body, headers, signature) and the mapping of Tencent's error codes to domain
errors. Never retries: SendSms is not idempotent, so a retried request can text the user twice.
The full phone number, the secret key and the code never reach a log line or an error message.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import requests

from skyriff_domain.errors import InvalidRequest, ProviderUnavailable, TooManyRequests
from skyriff_domain.model.user import mask_phone
from skyriff_domain.ports.auth import SmsSender

from ..tencent_cloud import TencentCloudClient, TencentCloudError, tc3_authorization

__all__ = ["TencentSmsSender", "tc3_authorization"]

log = logging.getLogger("skyriff.sms")

API_VERSION = "2021-01-11"

# Per-number throttles → seconds until the user may ask again; other LimitExceeded.* codes get 60.
_RETRY_AFTER: dict[str, int] = {
    "LimitExceeded.PhoneNumberThirtySecondLimit": 30,
    "LimitExceeded.PhoneNumberOneHourLimit": 3600,
    "LimitExceeded.PhoneNumberDailyLimit": 86400,
}
_DEFAULT_RETRY_AFTER = 60


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
        self._url = endpoint
        self._secret_id = secret_id
        self._sdk_app_id = sdk_app_id
        self._sign_name = sign_name
        self._template_id = template_id
        self._client = TencentCloudClient(secret_id=secret_id, secret_key=secret_key, endpoint=endpoint,
                                          service="sms", version=API_VERSION, region=region, timeout=timeout,
                                          session=session, clock=clock)

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
        try:
            # A timeout may still have delivered the SMS; retrying could deliver it twice, so we fail.
            return _check(self._client.call("SendSms", body))
        except TencentCloudError as error:
            raise _SendFailed(error.code) from None


def _check(inner: dict[str, Any]) -> str:
    """The RequestId of a send whose every number succeeded; raises _SendFailed with Tencent's code otherwise."""
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
