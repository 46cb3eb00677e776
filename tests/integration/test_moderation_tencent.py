"""TencentModerator end to end against local fakes of 文本内容安全 (tms) and 图片内容安全 (ims) that check the
TC3-HMAC-SHA256 signature (tests/support/fake_tencent_cloud.py)."""
from __future__ import annotations

import base64
import io
import json
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

from adapters.moderation.tencent import IMAGE_BASE64_MAX, TencentModerator
from adapters.tencent_cloud import tc3_authorization
from skyriff_domain.model.moderation import Decision, Verdict
from skyriff_domain.policy import ModerationPolicy
from skyriff_domain.ports import ModerationUnavailable
from skyriff_domain.services.screening import Screen
from tests.support.fake_tencent_cloud import FakeTencentCloud, envelope, error
from tests.support.http_server import FakeHttpServer, Response

SECRET_ID = "AKIDskyriffMODERATION000000000000"
SECRET_KEY = "skyriff-moderation-secret-0123456789"
NOW = 1764000000


def suggest(suggestion: str, label: str = "Normal", sub_label: str = "", request_id: str = "req-1"):
    """Tencent's answer shape for both TextModeration and ImageModeration."""
    def answer(action: str, body: dict[str, Any]) -> Response:
        return envelope({"BizType": body.get("BizType", ""), "Suggestion": suggestion, "Label": label,
                         "SubLabel": sub_label, "Score": 90, "Keywords": [], "DataId": body.get("DataId", ""),
                         "RequestId": request_id})
    return answer


def fake(service: str, answer=suggest("Pass")) -> FakeTencentCloud:
    return FakeTencentCloud(service, SECRET_ID, SECRET_KEY, NOW, answer)


def moderator(tms: str = "http://127.0.0.1:9", ims: str = "http://127.0.0.1:9", **overrides: Any) -> TencentModerator:
    options: dict[str, Any] = dict(secret_id=SECRET_ID, secret_key=SECRET_KEY, tms_endpoint=tms, ims_endpoint=ims,
                                   clock=lambda: NOW, timeout=5.0)
    return TencentModerator(**(options | overrides))


def png(size=(64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(out, "PNG")
    return out.getvalue()


def test_text_is_one_signed_textmoderation_request_with_base64_content():
    tms = fake("tms")
    with FakeHttpServer(tms) as server:
        decision = moderator(tms=server.url, text_biz_type="skyriff_text").text("prompt", "一只可爱的橘猫")
    assert tms.auth_errors == [] and decision.verdict is Verdict.PASS
    [request] = server.requests
    body = json.loads(request.body)
    assert base64.b64decode(body["Content"]).decode("utf-8") == "一只可爱的橘猫"
    assert (body["BizType"], body["DataId"]) == ("skyriff_text", "prompt")
    headers = request.headers
    assert (headers["x-tc-action"], headers["x-tc-version"], headers["x-tc-region"]) == (
        "TextModeration", "2020-12-29", "ap-guangzhou")
    assert headers["host"] == urlsplit(server.url).netloc
    assert headers["authorization"] == tc3_authorization(SECRET_ID, SECRET_KEY, headers["host"], NOW, request.body,
                                                         "tms", "TextModeration")
    assert "/tms/tc3_request" in headers["authorization"]


def test_an_image_is_one_signed_imagemoderation_request_with_base64_file_content():
    ims, data = fake("ims"), png()
    with FakeHttpServer(ims) as server:
        moderator(ims=server.url, image_biz_type="skyriff_image").image(data)
    assert ims.auth_errors == []
    [request] = server.requests
    body = json.loads(request.body)
    assert (base64.b64decode(body["FileContent"]), body["BizType"]) == (data, "skyriff_image")
    assert request.headers["x-tc-action"] == "ImageModeration" and "FileUrl" not in body
    assert "/ims/tc3_request" in request.headers["authorization"]


def test_without_a_biz_type_the_accounts_default_policy_applies():
    tms = fake("tms")
    with FakeHttpServer(tms) as server:
        moderator(tms=server.url).text("title", "标题")
    assert "BizType" not in json.loads(server.requests[0].body)


@pytest.mark.parametrize("suggestion, label, sub_label, decision", [
    ("Pass", "Normal", "", Decision(Verdict.PASS, (), "req-1", "tencent")),
    ("Review", "Ad", "", Decision(Verdict.REVIEW, ("Ad",), "req-1", "tencent")),
    ("Block", "Porn", "SexBehavior", Decision(Verdict.BLOCK, ("Porn", "SexBehavior"), "req-1", "tencent")),
])
@pytest.mark.parametrize("kind", ["text", "image"])
def test_the_suggestion_maps_one_to_one(kind, suggestion, label, sub_label, decision):
    service = fake("tms" if kind == "text" else "ims", suggest(suggestion, label, sub_label))
    with FakeHttpServer(service) as server:
        m = moderator(tms=server.url, ims=server.url)
        got = m.text("bio", "简介") if kind == "text" else m.image(png())
    assert got == decision


def test_an_image_too_large_to_send_is_shrunk_first():
    ims = fake("ims")
    big = Image.effect_noise((3000, 3000), 100).convert("RGB")
    out = io.BytesIO()
    big.save(out, "PNG")
    data = out.getvalue()
    assert len(base64.b64encode(data)) > IMAGE_BASE64_MAX
    with FakeHttpServer(ims) as server:
        moderator(ims=server.url).image(data)
    sent = base64.b64decode(json.loads(server.requests[0].body)["FileContent"])
    with Image.open(io.BytesIO(sent)) as img:
        assert (img.format, max(img.size)) == ("JPEG", 2048)


@pytest.mark.parametrize("answer", [
    lambda action, body: error("AuthFailure.SignatureFailure"),
    lambda action, body: error("RequestLimitExceeded"),
    lambda action, body: error("UnauthorizedOperation.Unauthorized"),
    lambda action, body: error("InternalError.ErrTextTimeOut"),
    lambda action, body: envelope({"RequestId": "r", "Suggestion": "Maybe"}),
    lambda action, body: envelope({"RequestId": "r"}),
    lambda action, body: Response(502, "<html>Bad Gateway</html>", {"Content-Type": "text/html"}),
    lambda action, body: Response(200, "not json", {"Content-Type": "text/plain"}),
], ids=["auth", "rate-limit", "no-quota", "internal", "odd-suggestion", "no-suggestion", "http-502", "not-json"])
def test_every_failure_is_moderation_unavailable(answer):
    with FakeHttpServer(fake("tms", answer)) as server, pytest.raises(ModerationUnavailable):
        moderator(tms=server.url).text("prompt", "一只猫")
    assert len(server.requests) == 1  # never retried here: the on-error policy decides


def test_a_wrong_secret_is_refused_by_the_signature_check():
    tms = fake("tms")
    with FakeHttpServer(tms) as server, pytest.raises(ModerationUnavailable, match="AuthFailure.SignatureFailure"):
        moderator(tms=server.url, secret_key="not-the-secret").text("prompt", "一只猫")
    assert tms.auth_errors == ["AuthFailure.SignatureFailure"]


def test_a_stale_clock_is_refused_by_the_signature_check():
    tms = fake("tms")
    with FakeHttpServer(tms) as server, pytest.raises(ModerationUnavailable, match="SignatureExpire"):
        moderator(tms=server.url, clock=lambda: NOW - 600).text("prompt", "一只猫")


def test_a_stalled_or_unreachable_provider_is_unavailable():
    stalled = fake("tms", lambda action, body: Response(200, "{}", delay=2))
    with FakeHttpServer(stalled) as server, pytest.raises(ModerationUnavailable, match="transport"):
        moderator(tms=server.url, timeout=0.3).text("prompt", "一只猫")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ModerationUnavailable):
        moderator(tms=f"http://127.0.0.1:{port}", timeout=1.0).text("prompt", "一只猫")


@pytest.mark.parametrize("on_error", [Verdict.REVIEW, Verdict.BLOCK])
def test_through_the_screen_an_outage_gets_the_on_error_verdict(on_error):
    with FakeHttpServer(fake("tms", lambda action, body: error("RequestLimitExceeded"))) as server:
        decision = Screen(moderator(tms=server.url), ModerationPolicy(on_error=on_error)).text("prompt", "一只猫")
    assert (decision.verdict, decision.labels, decision.provider) == (on_error, ("moderation_unavailable",), "tencent")


def test_logs_errors_and_reprs_never_show_the_text_or_the_secret(caplog):
    caplog.set_level(logging.DEBUG)
    raised = []
    with FakeHttpServer(fake("tms", lambda action, body: error("RequestLimitExceeded", "req-42"))) as server:
        m = moderator(tms=server.url)
        with pytest.raises(ModerationUnavailable) as failure:
            m.text("prompt", "秘密的提示词")
        raised.append(failure.value)
        Screen(m, ModerationPolicy()).text("prompt", "秘密的提示词")
    assert "RequestLimitExceeded" in str(raised[0]) and "req-42" in str(raised[0])
    visible = caplog.text + "".join(f"{e!s} {e!r}" for e in raised) + repr(m)
    for secret in ("秘密的提示词", SECRET_KEY, base64.b64encode("秘密的提示词".encode()).decode()):
        assert secret not in visible
