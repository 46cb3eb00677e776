"""TencentFaceIdVerifier end to end against a local fake of Tencent Cloud FaceID."""
from __future__ import annotations

import json
import logging
import socket
from urllib.parse import urlsplit

import pytest

from adapters.auth.sms_tencent import tc3_authorization
from adapters.identity.faceid import TencentFaceIdVerifier
from skyriff_domain.errors import ProviderUnavailable
from tests.support.fake_faceid import NOW, SECRET_ID, SECRET_KEY, FakeFaceId, tc3_signature
from tests.support.http_server import FakeHttpServer, Response

ID = "11204416541220243X"  # Tencent's documented example person, 韦小宝
NAME = "韦小宝"


def verifier(url: str, **overrides) -> TencentFaceIdVerifier:
    options = dict(secret_id=SECRET_ID, secret_key=SECRET_KEY, endpoint=url, clock=lambda: NOW, timeout=5.0)
    return TencentFaceIdVerifier(**(options | overrides))


@pytest.fixture
def fake() -> FakeFaceId:
    return FakeFaceId({ID: NAME})


def test_the_fakes_signer_matches_tencents_published_example() -> None:
    """cloud.tencent.com/document/api/213/30654 (CVM DescribeInstances, SecretKey of 32 asterisks)."""
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    headers = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com",
               "x-tc-action": "DescribeInstances"}
    assert tc3_signature("*" * 32, 1551113065, "cvm", list(headers), headers, payload) == (
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f")


def test_a_matching_name_is_one_signed_call(fake) -> None:
    with FakeHttpServer(fake) as server:
        assert verifier(server.url).matches(NAME, ID) is True
    assert fake.auth_errors == []
    [request] = server.requests
    assert json.loads(request.body) == {"IdCard": ID, "Name": NAME}
    headers = request.headers
    assert (headers["x-tc-action"], headers["x-tc-version"], headers["x-tc-timestamp"]) == (
        "IdCardVerification", "2018-03-01", str(NOW))
    assert "x-tc-region" not in headers  # "本接口不需要传递此参数"
    assert headers["authorization"] == tc3_authorization(
        SECRET_ID, SECRET_KEY, urlsplit(server.url).netloc, NOW, request.body, service="faceid",
        action="IdCardVerification")


@pytest.mark.parametrize(("name", "id_number"), [
    ("韦大宝", ID),  # -1: not this number's name
    (NAME, "110101199003070000"),  # -5: a number the registry does not know
    (NAME, "1120441654122024"),  # -2: a malformed number
])
def test_no_match_answers_are_false(fake, name, id_number) -> None:
    with FakeHttpServer(fake) as server:
        assert verifier(server.url).matches(name, id_number) is False


@pytest.mark.parametrize("result", ["-3", "-1"])
def test_illegal_names_and_mismatches_are_false(fake, result) -> None:
    fake.answer = result
    with FakeHttpServer(fake) as server:
        assert verifier(server.url).matches(NAME, ID) is False


@pytest.mark.parametrize("result", ["-4", "-6", "-7", "1", ""])
def test_answers_without_a_verdict_are_provider_unavailable(fake, result) -> None:
    fake.answer = result
    with FakeHttpServer(fake) as server, pytest.raises(ProviderUnavailable):
        verifier(server.url).matches(NAME, ID)


def test_a_wrong_secret_is_provider_unavailable(fake) -> None:
    with FakeHttpServer(fake) as server, pytest.raises(ProviderUnavailable):
        verifier(server.url, secret_key="not-the-secret").matches(NAME, ID)
    assert fake.auth_errors == ["AuthFailure.SignatureFailure"]


def test_a_skewed_clock_is_provider_unavailable(fake) -> None:
    with FakeHttpServer(fake) as server, pytest.raises(ProviderUnavailable):
        verifier(server.url, clock=lambda: NOW + 301).matches(NAME, ID)
    assert fake.auth_errors == ["AuthFailure.SignatureExpire"]


@pytest.mark.parametrize("code", ["RequestLimitExceeded", "FailedOperation.UnKnown", "ResourceUnavailable.NotReady"])
def test_request_errors_are_provider_unavailable(fake, code) -> None:
    fake.fail_with = code
    with FakeHttpServer(fake) as server, pytest.raises(ProviderUnavailable):
        verifier(server.url).matches(NAME, ID)


@pytest.mark.parametrize("answer", [Response(502, "bad gateway"), Response(200, "not json"),
                                    Response(200, json.dumps({"Result": "0"}))])
def test_garbled_answers_are_provider_unavailable(answer) -> None:
    with FakeHttpServer(lambda request: answer) as server, pytest.raises(ProviderUnavailable):
        verifier(server.url).matches(NAME, ID)


def test_timeouts_and_refused_connections_are_provider_unavailable() -> None:
    with FakeHttpServer(lambda request: Response(200, "{}", delay=2)) as server, pytest.raises(ProviderUnavailable):
        verifier(server.url, timeout=0.5).matches(NAME, ID)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ProviderUnavailable):
        verifier(f"http://127.0.0.1:{port}", timeout=1.0).matches(NAME, ID)


def test_never_logs_the_name_the_number_or_the_secret(fake, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeHttpServer(fake) as server:
        client = verifier(server.url)
        client.matches(NAME, ID)
        client.matches("韦大宝", ID)
        fake.fail_with = "AuthFailure.SignatureFailure"
        with pytest.raises(ProviderUnavailable):
            client.matches(NAME, ID)
    assert "faceid" in caplog.text
    visible = caplog.text + repr(client)
    for secret in (NAME, "韦大宝", ID, "1120441654", SECRET_KEY):
        assert secret not in visible
