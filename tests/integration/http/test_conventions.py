"""HTTP conventions: every answer is the envelope (404, 405, bad JSON, crashes), and idempotency keys."""
from __future__ import annotations

import pytest
from pydantic import Field

from entrypoints.http.api import Api, Auth, Reply
from entrypoints.http.schemas.common import Body
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from tests.support.concurrency import errors_of, run_together
from tests.support.http import make_client

test_api = Api("test_only", tag="test")
calls = {"boom": 0}  # how often /test/boom ran; reset before every test (see `fresh_boom_counter`)


@pytest.fixture(autouse=True)
def fresh_boom_counter():
    """/test/boom fails on its first call *in each test*, whatever ran before (tests run in random order)."""
    calls["boom"] = 0
    yield
    calls["boom"] = 0


class SpendBody(Body):
    amount: int = Field(ge=1)


@test_api.route("POST", "/test/spend", summary="spend (test only)", body=SpendBody, auth=Auth.REQUIRED,
                idempotent=True)
def spend(call):
    entry = call.services.wallets().spend_credits(call.user_id, Credits(call.body.amount), LedgerType.GEN_SPEND,
                                                   "测试扣费")
    return Reply({"balance_after": entry.balance_after.minor}, message="扣费成功")


@test_api.route("POST", "/test/boom", summary="fails once (test only)", auth=Auth.REQUIRED, idempotent=True)
def boom(call):
    calls["boom"] += 1
    if calls["boom"] == 1:
        raise RuntimeError("secret internal detail")
    return {"ok": True}


def funded(engine, credits=100):
    client = make_client(engine, extra_apis=(test_api,))
    me = client.login()
    client.app.extensions["skyriff"].wallets().grant_credits(me["user_id"], Credits(credits), LedgerType.RECHARGE, "充值")
    return client, me


def balance(client):
    return client.get("/me/wallets")[1]["data"]["credits"]["balance"]


def test_unknown_path_and_wrong_method_are_enveloped(client):
    response = client.raw.get("/v1/no/such/thing")
    assert response.status_code == 404 and response.json == {"code": 2007, "message": "接口不存在", "data": None}
    response = client.raw.put("/v1/me")
    assert response.status_code == 405 and response.json["code"] == 2000 and "GET" in response.headers["Allow"]


def test_bad_json_and_non_object_bodies(client):
    for raw in (b"{not json", b"[1,2]", b'"phone"', b"\xff\xfe"):
        response = client.raw.post("/v1/auth/sms/send", data=raw, content_type="application/json")
        assert response.status_code == 400 and response.json["code"] == 2000, raw


def test_json_bodies_need_a_json_content_type(client):
    body = b'{"phone":"13700000001"}'
    for content_type in (None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                         "application/jsonx", "text/json+xml"):
        response = client.raw.post("/v1/auth/sms/send", data=body, content_type=content_type)
        assert response.status_code == 400, content_type
        assert response.json["code"] == 2000 and response.json["data"]["field"] == "Content-Type"
    for n, content_type in enumerate(("application/json", "application/json; charset=utf-8",
                                      "application/merge-patch+json")):
        response = client.raw.post("/v1/auth/sms/send", data=b'{"phone":"1370000001%d"}' % n,
                                   content_type=content_type)
        assert response.status_code == 200, content_type
    response = client.raw.post("/v1/auth/sms/send")  # no body at all reads as {}
    assert response.status_code == 400 and response.json["data"]["field"] == "phone"


def test_a_text_plain_body_creates_no_paid_task(sqlite_engine):
    """A web page can post text/plain across origins without a preflight: it must not spend credits."""
    client, _ = funded(sqlite_engine)
    body = b'{"prompt":"cat","duration_sec":10,"ratio":"9:16","model":"sora2"}'
    response = client.raw.post("/v1/tasks/create", data=body, content_type="text/plain",
                               headers={"Authorization": f"Bearer {client.token}"})
    assert response.status_code == 400 and response.json["code"] == 2000
    assert balance(client) == 100 and client.get("/tasks")[1]["data"]["items"] == []


def test_unknown_body_fields_are_refused_by_name(client):
    client.login()
    response = client.raw.patch("/v1/me/profile", data='{"nick_name":"小天","bio":"做视频的","agee":3}'.encode(),
                                content_type="application/json", headers={"Authorization": f"Bearer {client.token}"})
    body = response.json
    assert (response.status_code, body["code"], body["data"]["field"]) == (400, 2000, "nick_name")
    assert "nick_name" in body["message"] and "agee" in body["message"]
    assert client.get("/me")[1]["data"]["bio"] == ""  # nothing was half-applied
    status, body = client.post("/tasks/create", {"prompt": "猫", "duration_sec": 10, "ratio": "9:16",
                                                 "model": "sora2", "durationSec": 15})
    assert (status, body["data"]["field"]) == (400, "durationSec")


def test_unexpected_errors_are_5001_without_a_traceback(sqlite_engine, caplog):
    client, _ = funded(sqlite_engine)
    response = client.raw.post("/v1/test/boom", headers={"Authorization": f"Bearer {client.token}"})
    text = response.get_data(as_text=True)
    assert response.status_code == 500 and response.json["code"] == 5001
    assert "secret internal detail" not in text and "Traceback" not in text


def test_a_retry_with_the_same_key_replays_without_charging_twice(sqlite_engine):
    client, _ = funded(sqlite_engine)
    headers = {"Idempotency-Key": "tap-1"}
    first = client.raw.post("/v1/test/spend", json={"amount": 30},
                            headers={**headers, "Authorization": f"Bearer {client.token}"})
    again = client.raw.post("/v1/test/spend", json={"amount": 30},
                            headers={**headers, "Authorization": f"Bearer {client.token}"})
    assert first.json == again.json == {"code": 0, "message": "扣费成功", "data": {"balance_after": 70}}
    assert again.headers["Idempotent-Replayed"] == "true"
    assert balance(client) == 70


def test_same_key_with_another_body_is_refused(sqlite_engine):
    client, _ = funded(sqlite_engine)
    client.post("/test/spend", {"amount": 30}, headers={"Idempotency-Key": "k"})
    status, body = client.post("/test/spend", {"amount": 31}, headers={"Idempotency-Key": "k"})
    assert (status, body["code"], body["data"]["field"]) == (400, 2000, "Idempotency-Key")
    assert balance(client) == 70


def test_business_errors_are_replayed_too(sqlite_engine):
    client, _ = funded(sqlite_engine, credits=10)
    first = client.post("/test/spend", {"amount": 30}, headers={"Idempotency-Key": "k"})
    assert first[1]["code"] == 2001 and first[1]["data"] == {"current_balance": 10, "required": 30}
    assert client.post("/test/spend", {"amount": 30}, headers={"Idempotency-Key": "k"}) == first


def test_keys_belong_to_their_user(sqlite_engine):
    client, _ = funded(sqlite_engine)
    client.post("/test/spend", {"amount": 30}, headers={"Idempotency-Key": "k"})
    other = make_client(sqlite_engine, extra_apis=(test_api,))
    other.login("13900000000", "654321")
    assert other.post("/test/spend", {"amount": 30}, headers={"Idempotency-Key": "k"})[1]["code"] == 2001


def test_a_server_error_frees_the_key_for_a_retry(sqlite_engine):
    client, _ = funded(sqlite_engine)
    assert client.post("/test/boom", headers={"Idempotency-Key": "b"})[0] == 500
    assert client.post("/test/boom", headers={"Idempotency-Key": "b"}) == (200, {"code": 0, "message": "success",
                                                                                 "data": {"ok": True}})


def test_concurrent_double_taps_charge_once(sql_engine):
    client, me = funded(sql_engine)
    taps = run_together([lambda: client.post("/test/spend", {"amount": 30}, headers={"Idempotency-Key": "double"})
                         for _ in range(8)])

    first = (200, {"code": 0, "message": "扣费成功", "data": {"balance_after": 70}})
    answers = [tap.value for tap in taps]  # run_together keeps a raised exception; there must be none
    assert all(tap.ok for tap in taps), errors_of(taps)
    assert first in answers  # one tap ran the charge...
    for status, body in answers:  # ...every other one replayed its answer or was told it is still running
        assert (status, body) == first or (status, body["code"]) == (409, 2008), (status, body)
    assert balance(client) == 70
    spends, _ = client.app.extensions["skyriff"].wallets().ledger_page(me["user_id"], "credits", None, 50)
    assert [e.type for e in spends].count(LedgerType.GEN_SPEND) == 1


def test_malformed_key_is_2000(sqlite_engine):
    client, _ = funded(sqlite_engine)
    status, body = client.post("/test/spend", {"amount": 1}, headers={"Idempotency-Key": "x" * 300})
    assert (status, body["data"]["field"]) == (400, "Idempotency-Key")


def test_money_moving_requests_are_rate_limited_per_user(sqlite_engine):
    client, _ = funded(sqlite_engine, credits=1000)
    for _ in range(30):
        assert client.post("/test/spend", {"amount": 1})[0] == 200
    response = client.raw.post("/v1/test/spend", json={"amount": 1}, headers={"Authorization": f"Bearer {client.token}"})
    assert response.status_code == 429 and response.json["code"] == 1006
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    other = make_client(sqlite_engine, extra_apis=(test_api,))
    other.login("13900000000", "654321")
    assert other.post("/test/spend", {"amount": 1})[1]["code"] == 2001  # another user's budget is untouched
