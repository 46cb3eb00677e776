"""Tencent Cloud FaceID `IdCardVerification` (二要素核验, API 2018-03-01) as an `IdentityVerifier`, over `requests`.

What this relies on (https://cloud.tencent.com/document/api/1007/33188, read via the docs search): POST to
`faceid.tencentcloudapi.com` with the common headers (X-TC-Action IdCardVerification, X-TC-Version 2018-03-01,
X-TC-Timestamp; "Region: 本接口不需要传递此参数"), signed TC3-HMAC-SHA256 (service `faceid`), body
`{"IdCard", "Name"}`. Answer `{"Response": {"Result", "Description", "RequestId"}}`; Result "0" 姓名和身份证号
一致, "-1" 不一致, "-2" 非法身份证号, "-3" 非法姓名, "-4" 证件库服务异常, "-5" 证件库中无此身份证记录,
"-6" 权威比对系统升级中, "-7" 认证次数超过当日限制. "-1", "-2", "-3" and "-5" say this name does not belong to this
number (False); "-4", "-6", "-7", anything else, request errors (`Response.Error.Code`) and transport failures
mean no answer (ProviderUnavailable). Neither the name nor the number ever reaches a log line or an error; the
call is billed per check and never retried here.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests

from adapters.auth.sms_tencent import tc3_authorization
from skyriff_domain.errors import ProviderUnavailable
from skyriff_domain.ports.payouts import IdentityVerifier

log = logging.getLogger("skyriff.identity.faceid")

SERVICE = "faceid"
ACTION = "IdCardVerification"
API_VERSION = "2018-03-01"
CONTENT_TYPE = "application/json; charset=utf-8"
MATCH = "0"
NO_MATCH = frozenset({"-1", "-2", "-3", "-5"})


class TencentFaceIdVerifier(IdentityVerifier):
    """Checks a name against a resident ID number with Tencent Cloud FaceID (or a fake of it at `endpoint`)."""

    def __init__(self, *, secret_id: str, secret_key: str, endpoint: str = "https://faceid.tencentcloudapi.com",
                 region: str = "", timeout: float = 5.0, session: requests.Session | None = None,
                 clock: Callable[[], int] | None = None) -> None:
        parts = urlsplit(endpoint)
        self._host = parts.netloc  # host[:port]: what requests sends, so what we must sign
        self._url = f"{parts.scheme}://{parts.netloc}/"
        self._secret_id = secret_id
        self._secret_key = secret_key
        self._region = region
        self._timeout = timeout
        self._session = session if session is not None else requests.Session()
        self._clock = clock or (lambda: int(time.time()))

    def __repr__(self) -> str:  # the secret key stays out of reprs and tracebacks
        return f"TencentFaceIdVerifier(secret_id={self._secret_id!r}, url={self._url!r})"

    def matches(self, real_name: str, id_number: str) -> bool:
        inner = self._call({"IdCard": id_number, "Name": real_name})
        result, request_id = str(inner.get("Result")), inner.get("RequestId")
        log.info("faceid IdCardVerification result %s (request %s)", result, request_id)
        if result == MATCH:
            return True
        if result in NO_MATCH:
            return False
        raise ProviderUnavailable("实名核验服务暂不可用，请稍后再试")

    def _call(self, body: dict[str, str]) -> dict[str, Any]:
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = self._clock()
        headers = {
            "Authorization": tc3_authorization(self._secret_id, self._secret_key, self._host, timestamp, payload,
                                               service=SERVICE, action=ACTION),
            "Content-Type": CONTENT_TYPE, "Host": self._host, "X-TC-Action": ACTION,
            "X-TC-Timestamp": str(timestamp), "X-TC-Version": API_VERSION,
        }
        if self._region:
            headers["X-TC-Region"] = self._region
        try:
            response = self._session.post(self._url, data=payload, headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            log.warning("faceid call failed: %s", type(exc).__name__)
            raise ProviderUnavailable("实名核验服务暂不可用，请稍后再试") from None
        try:
            document = response.json() if response.status_code == 200 else None
        except ValueError:
            document = None
        inner = document.get("Response") if isinstance(document, dict) else None
        if not isinstance(inner, dict):
            log.warning("faceid answered HTTP %s without a Response", response.status_code)
            raise ProviderUnavailable("实名核验服务暂不可用，请稍后再试")
        error = inner.get("Error")
        if isinstance(error, dict):
            log.warning("faceid refused the call: %s (request %s)", error.get("Code"), inner.get("RequestId"))
            raise ProviderUnavailable("实名核验服务暂不可用，请稍后再试")
        return inner
