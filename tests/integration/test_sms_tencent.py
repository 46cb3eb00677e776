"""TencentSmsSender end to end against a local fake of Tencent Cloud SMS.

The fake checks the TC3-HMAC-SHA256 signature with its own implementation of the documented algorithm
(`reference_signature`, written apart from the adapter's, so a bug in one cannot cancel out in the other);
both are pinned to Tencent's published worked examples.
"""
from __future__ import annotations

import hmac
import json
import logging
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from adapters.auth.sms_tencent import TencentSmsSender, tc3_authorization
from skyriff_domain.errors import InvalidRequest, ProviderUnavailable, TooManyRequests
from tests.support.fake_tencent_cloud import reference_signature
from tests.support.http_server import PATIENT_TIMEOUT, SHORT_TIMEOUT, STALL, FakeHttpServer, Request, Response

SECRET_ID = "AKIDskyriffTEST0000000000000000000"
SECRET_KEY = "skyriff-test-secret-key-0123456789ab"
APP_ID = "1400006666"
SIGN_NAME = "天乐科技"
TEMPLATE_ID = "1110"
NOW = 1764000000  # 2025-11-24 16:00 UTC, already 11-25 in Beijing: a local-time date would break the scope
PHONE = "13800138000"
CODE = "402917"


# The fake's own signer (Tencent's documented algorithm, no code shared with the adapter) lives in
# tests/support/fake_tencent_cloud.py, shared with the moderation adapters' fakes.

# Tencent's worked example (cloud.tencent.com/document/api/213/30654): CVM DescribeInstances; the doc's
# SecretKey is literally 32 asterisks.
DOC_PAYLOAD = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
DOC_HEADERS = {
    "content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com",
    "x-tc-action": "DescribeInstances",
}


def test_tc3_authorization_matches_tencents_published_example() -> None:
    authorization = tc3_authorization(
        "AKID" + "*" * 32, "*" * 32, "cvm.tencentcloudapi.com", 1551113065, DOC_PAYLOAD,
        service="cvm", action="DescribeInstances",
    )
    assert authorization == (
        "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host;x-tc-action, "
        "Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    )


def test_the_fakes_signer_matches_tencents_published_examples() -> None:
    signed = ["content-type", "host", "x-tc-action"]
    assert reference_signature("*" * 32, 1551113065, "cvm", signed, DOC_HEADERS, DOC_PAYLOAD) == (
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f")
    # The older edition of the same example signs only content-type;host, with an EXAMPLE key.
    assert reference_signature(
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", 1551113065, "cvm", ["content-type", "host"], DOC_HEADERS, DOC_PAYLOAD,
    ) == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


# --- the fake server ---------------------------------------------------------------------------------------

def _json(document: dict[str, Any], status: int = 200) -> Response:
    return Response(status, json.dumps({"Response": document}))


def error(code: str) -> Response:
    return _json({"Error": {"Code": code, "Message": f"fake {code}"}, "RequestId": "req-error"})


def per_number(code: str) -> Callable[[dict[str, Any]], Response]:
    """An answer that puts `code` on every number of the request (Tencent's per-number results)."""
    def answer(body: dict[str, Any]) -> Response:
        return _json({"SendStatusSet": [
            {"SerialNo": "2028:1", "PhoneNumber": number, "Fee": 1, "SessionContext": "", "Code": code,
             "Message": "send success" if code == "Ok" else "fake failure", "IsoCode": "CN"}
            for number in body["PhoneNumberSet"]
        ], "RequestId": "req-ok"})
    return answer


class FakeTencentSms:
    """Authenticates like Tencent (secret id, timestamp skew, TC3 signature), then gives `answer`."""

    def __init__(self, answer: Callable[[dict[str, Any]], Response] = per_number("Ok"), now: int = NOW) -> None:
        self.answer = answer
        self.now = now
        self.auth_errors: list[str] = []

    def __call__(self, request: Request) -> Response:
        failure = self._authenticate(request)
        if failure:
            self.auth_errors.append(failure)
            return error(failure)
        return self.answer(json.loads(request.body))

    def _authenticate(self, request: Request) -> str | None:
        algorithm, _, rest = request.headers.get("authorization", "").partition(" ")
        fields = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
        if algorithm != "TC3-HMAC-SHA256" or not {"Credential", "SignedHeaders", "Signature"} <= fields.keys():
            return "AuthFailure.InvalidAuthorization"
        timestamp = int(request.headers["x-tc-timestamp"])
        if abs(self.now - timestamp) > 300:
            return "AuthFailure.SignatureExpire"
        secret_id, day, service, terminator = fields["Credential"].split("/")
        if secret_id != SECRET_ID:
            return "AuthFailure.SecretIdNotFound"
        signed = fields["SignedHeaders"].split(";")
        if (day, service, terminator) != (time.strftime("%Y-%m-%d", time.gmtime(timestamp)), "sms", "tc3_request") \
                or not {"content-type", "host"} <= set(signed):
            return "AuthFailure.SignatureFailure"
        expected = reference_signature(SECRET_KEY, timestamp, "sms", signed, request.headers, request.body)
        if not hmac.compare_digest(expected, fields["Signature"]):
            return "AuthFailure.SignatureFailure"
        return None


def sender(url: str, **overrides: Any) -> TencentSmsSender:
    options: dict[str, Any] = dict(
        secret_id=SECRET_ID, secret_key=SECRET_KEY, sdk_app_id=APP_ID, sign_name=SIGN_NAME,
        template_id=TEMPLATE_ID, endpoint=url, clock=lambda: NOW, timeout=PATIENT_TIMEOUT,
    )
    return TencentSmsSender(**(options | overrides))


# --- behaviour ---------------------------------------------------------------------------------------------

def test_sends_one_signed_request_with_the_code_and_ttl() -> None:
    fake = FakeTencentSms()
    with FakeHttpServer(fake) as server:
        sender(server.url).send_code(PHONE, CODE, 5)

    assert fake.auth_errors == []
    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/")
    assert json.loads(request.body) == {
        "PhoneNumberSet": ["+8613800138000"], "SmsSdkAppId": APP_ID, "SignName": SIGN_NAME,
        "TemplateId": TEMPLATE_ID, "TemplateParamSet": [CODE, "5"],
    }
    headers = request.headers
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["host"] == urlsplit(server.url).netloc  # host:port, the one that was signed
    assert headers["x-tc-action"] == "SendSms"
    assert headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert headers["x-tc-timestamp"] == str(NOW)
    assert headers["authorization"].startswith(
        f"TC3-HMAC-SHA256 Credential={SECRET_ID}/2025-11-24/sms/tc3_request, "
        "SignedHeaders=content-type;host;x-tc-action, Signature=")
    assert headers["authorization"] == tc3_authorization(SECRET_ID, SECRET_KEY, headers["host"], NOW, request.body)


def test_region_is_configurable() -> None:
    with FakeHttpServer(FakeTencentSms()) as server:
        sender(server.url, region="ap-beijing").send_code(PHONE, CODE, 5)
    assert server.requests[0].headers["x-tc-region"] == "ap-beijing"


def test_wrong_secret_is_a_provider_failure() -> None:
    fake = FakeTencentSms()
    with FakeHttpServer(fake) as server, pytest.raises(ProviderUnavailable) as raised:
        sender(server.url, secret_key="not-the-secret").send_code(PHONE, CODE, 5)
    assert fake.auth_errors == ["AuthFailure.SignatureFailure"]
    assert raised.value.message == "短信发送失败"


@pytest.mark.parametrize(("skew", "expired"), [(301, True), (-301, True), (299, False)])
def test_timestamp_skew_beyond_five_minutes_is_rejected(skew: int, expired: bool) -> None:
    fake = FakeTencentSms()
    with FakeHttpServer(fake) as server:
        client = sender(server.url, clock=lambda: NOW - skew)
        if expired:
            with pytest.raises(ProviderUnavailable):
                client.send_code(PHONE, CODE, 5)
        else:
            client.send_code(PHONE, CODE, 5)
    assert fake.auth_errors == (["AuthFailure.SignatureExpire"] if expired else [])


@pytest.mark.parametrize("shape", ["per-number", "request-level"])
@pytest.mark.parametrize(("code", "retry_after"), [
    ("LimitExceeded.PhoneNumberThirtySecondLimit", 30),
    ("LimitExceeded.PhoneNumberOneHourLimit", 3600),
    ("LimitExceeded.PhoneNumberDailyLimit", 86400),
    ("LimitExceeded.DeliveryFrequencyLimit", 60),
])
def test_throttling_becomes_too_many_requests(shape: str, code: str, retry_after: int) -> None:
    answer = per_number(code) if shape == "per-number" else (lambda body: error(code))
    with FakeHttpServer(FakeTencentSms(answer)) as server, pytest.raises(TooManyRequests) as raised:
        sender(server.url).send_code(PHONE, CODE, 5)
    assert raised.value.retry_after == retry_after
    assert raised.value.data == {"retry_after": retry_after}
    assert len(server.requests) == 1


def test_incorrect_number_is_an_invalid_phone() -> None:
    with FakeHttpServer(FakeTencentSms(per_number("InvalidParameterValue.IncorrectPhoneNumber"))) as server, \
            pytest.raises(InvalidRequest) as raised:
        sender(server.url).send_code("12345678901", CODE, 5)
    assert raised.value.field == "phone"
    assert raised.value.data == {"field": "phone", "reason": "手机号无效"}


@pytest.mark.parametrize("answer", [
    per_number("FailedOperation.InsufficientBalanceInSmsPackage"),
    lambda body: error("FailedOperation.InsufficientBalanceInSmsPackage"),
    lambda body: error("InternalError.Timeout"),
    per_number("OK"),  # success is exactly "Ok"; Aliyun's spelling is not Tencent's
    lambda body: _json({"RequestId": "req-no-code", "SendStatusSet": [{"PhoneNumber": "+8613800138000"}]}),
    lambda body: _json({"RequestId": "req-empty", "SendStatusSet": []}),
    lambda body: Response(200, json.dumps({"NotResponse": {}})),
], ids=["balance-per-number", "balance-request-level", "internal-error", "upper-case-ok", "status-without-code",
        "empty-status-set", "no-response-key"])
def test_other_provider_errors_are_provider_unavailable(answer: Callable[[dict[str, Any]], Response]) -> None:
    with FakeHttpServer(FakeTencentSms(answer)) as server, pytest.raises(ProviderUnavailable):
        sender(server.url).send_code(PHONE, CODE, 5)
    assert len(server.requests) == 1


@pytest.mark.parametrize("response", [
    _json({"SendStatusSet": [{"Code": "Ok"}], "RequestId": "r"}, status=500),  # a success body is not enough
    Response(502, "<html>Bad Gateway</html>", {"Content-Type": "text/html"}),
    Response(200, "<html>maintenance</html>", {"Content-Type": "text/html"}),
], ids=["http-500", "http-502-html", "http-200-not-json"])
def test_broken_http_answers_are_provider_unavailable(response: Response) -> None:
    with FakeHttpServer(lambda request: response) as server, pytest.raises(ProviderUnavailable):
        sender(server.url).send_code(PHONE, CODE, 5)
    assert len(server.requests) == 1


def test_a_stalled_provider_times_out_without_a_retry(caplog: pytest.LogCaptureFixture) -> None:
    stalled = FakeTencentSms(lambda body: Response(200, json.dumps({"Response": {}}), delay=STALL))
    with FakeHttpServer(stalled) as server:
        with pytest.raises(ProviderUnavailable) as raised:
            sender(server.url, timeout=SHORT_TIMEOUT).send_code(PHONE, CODE, 5)
        # A retry after a timeout could text the user twice: exactly one request may reach the provider.
        assert len(server.requests) == 1
    assert raised.value.message == "短信发送失败"
    assert "transport:ReadTimeout" in caplog.text  # it failed because it timed out, not for another reason


def test_an_unreachable_provider_is_provider_unavailable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ProviderUnavailable):
        sender(f"http://127.0.0.1:{port}").send_code(PHONE, CODE, 5)


def test_logs_and_errors_never_show_the_phone_the_secret_or_the_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's request lines included
    raised: list[Exception] = []
    with FakeHttpServer(FakeTencentSms(per_number("LimitExceeded.PhoneNumberDailyLimit"))) as server:
        client = sender(server.url)
        for attempt, error in (
            (lambda: client.send_code(PHONE, CODE, 5), TooManyRequests),
            (lambda: sender(server.url, secret_key="wrong").send_code(PHONE, CODE, 5), ProviderUnavailable),
        ):
            with pytest.raises(error) as failure:
                attempt()
            raised.append(failure.value)
    with FakeHttpServer(FakeTencentSms()) as server:
        sender(server.url).send_code(PHONE, CODE, 5)

    assert "138****8000" in caplog.text
    assert "LimitExceeded.PhoneNumberDailyLimit" in caplog.text
    assert "AuthFailure.SignatureFailure" in caplog.text
    visible = caplog.text + "".join(f"{e!s} {e!r} {getattr(e, 'data', '')}" for e in raised) + repr(client)
    for secret in (PHONE, SECRET_KEY, CODE):
        assert secret not in visible
