"""Input that used to reach SQL or a parser unchecked and answer 500: out-of-range ids in tokens, bodies,
queries, cursors and notifications, and JSON nested too deep. Each must be a 4xx in the envelope."""
from __future__ import annotations

import json

import jwt
import pytest

from adapters.payments.sandbox import sign
from entrypoints.http import routes
from entrypoints.http.pagination import encode_cursor
from tests.support.fakes import SANDBOX_SECRET
from tests.support.http import make_client

JWT_SECRET = "http-test-secret-that-is-long-enough!!"  # the server's own, as tests/support/http.py sets it
HUGE = [2**63, 10**25, -(2**63) - 1]
DEEP = b"[" * 5000 + b"]" * 5000


def token(client, sub) -> str:
    now = int(client.app.extensions["skyriff"].clock().now().timestamp())
    return jwt.encode({"sub": sub, "iss": "skyriff", "iat": now, "exp": now + 3600}, JWT_SECRET, algorithm="HS256")


@pytest.mark.parametrize("sub", [str(10**25), str(2**63), "0", "-1", "abc", "1.5", "\u00b2", "\uff11\uff12", "12 "])
def test_a_validly_signed_token_with_a_bad_subject_is_1001(any_db_client, sub):
    client = any_db_client
    status, body = client.get("/me", token=token(client, sub))
    assert (status, body["code"]) == (401, 1001)
    status, body = client.get("/feed?tab=discover", token=token(client, sub))  # optional auth: an anonymous read
    assert (status, body["code"]) == (200, 0)


def test_the_largest_id_in_a_token_is_only_an_unknown_user(any_db_client):
    status, body = any_db_client.get("/me", token=token(any_db_client, str(2**63 - 1)))
    assert (status, body["code"]) == (401, 1003)


@pytest.mark.parametrize("payment_id", [2**63, 10**25, 0, -1, True, "1"])
def test_sandbox_notification_with_a_bad_payment_id_is_3004(any_db_client, payment_id):
    body = json.dumps({"channel": "sandbox", "payment_id": payment_id, "amount_cny": "30.00",
                       "status": "paid"}).encode()
    response = any_db_client.raw.post("/v1/payments/callback/sandbox", data=body, content_type="application/json",
                                      headers={"X-Sandbox-Signature": sign(SANDBOX_SECRET, body)})
    assert response.status_code == 400 and response.json["code"] == 3004


def test_json_nested_too_deep_is_2000(client):
    for path in ("/auth/sms/send", "/me/profile"):
        response = client.raw.post(f"/v1{path}", data=DEEP, content_type="application/json")
        assert response.status_code in (400, 405) and response.json["code"] == 2000
    client.login()
    response = client.raw.patch("/v1/me/profile", data=b'{"bio":' + DEEP + b"}", content_type="application/json",
                                headers={"Authorization": f"Bearer {client.token}"})
    assert response.status_code == 400 and response.json["code"] == 2000
    response = client.raw.post("/v1/payments/callback/sandbox", data=DEEP, content_type="application/json",
                               headers={"X-Sandbox-Signature": sign(SANDBOX_SECRET, DEEP)})
    assert response.status_code == 400 and response.json["code"] == 3004


# --- every integer a client can send ----------------------------------------------------------------------

TASK = {"prompt": "猫", "duration_sec": 10, "ratio": "9:16", "model": "sora2"}
# (method, rule, field) → (path, the rest of a valid body or query)
INTEGER_INPUTS = {
    ("PATCH", "/me/profile", "avatar_asset_id"): ("/me/profile", {}),
    ("POST", "/tasks/create", "duration_sec"): ("/tasks/create", TASK),
    ("POST", "/tasks/create", "project_id"): ("/tasks/create", TASK),
    ("POST", "/tasks/create", "reference_image_asset_id"): ("/tasks/create", TASK),
    ("GET", "/assets/videos", "project_id"): ("/assets/videos", {}),
    ("POST", "/works/publish", "video_id"): ("/works/publish", {"video_id": 1, "title": "作品"}),
    ("POST", "/works/publish", "prompt_price_credits"): ("/works/publish", {"video_id": 1, "title": "作品"}),
    ("POST", "/works/publish", "remix_fee_credits"): ("/works/publish", {"video_id": 1, "title": "作品"}),
    ("POST", "/works/<int:work_id>/tip_and_favorite", "amount_credits"): ("/works/1/tip_and_favorite", {}),
    ("POST", "/works/<int:work_id>/remix", "duration_sec"): (
        "/works/1/remix", {"duration_sec": 10, "ratio": "9:16", "model": "sora2"}),
    ("POST", "/works/<int:work_id>/remix", "project_id"): (
        "/works/1/remix", {"duration_sec": 10, "ratio": "9:16", "model": "sora2"}),
    ("POST", "/payments/create", "product_id"): ("/payments/create", {"pay_channel": "sandbox"}),
    ("POST", "/subscriptions/buy", "product_id"): ("/subscriptions/buy", {"pay_channel": "sandbox"}),
    ("POST", "/withdrawals/create", "amount_cny"): (
        "/withdrawals/create", {"method": "alipay", "account_info": {"account": "13800138000", "name": "张三"}}),
}
LIMITS = {(op.method, op.rule): op.query for api in routes.ALL for op in api.operations
          if op.query is not None and "limit" in op.query.model_fields}


def numeric_fields():
    """Every integer or number field of every request body and query in the API."""
    found = set()
    for api in routes.ALL:
        for op in api.operations:
            for model in (op.body, op.query):
                for name, prop in (model.model_json_schema()["properties"] if model else {}).items():
                    kinds = {prop.get("type")} | {p.get("type") for p in prop.get("anyOf", [])}
                    if kinds & {"integer", "number"} and name != "limit":
                        found.add((op.method, op.rule, name))
    return found


def test_the_audit_covers_every_integer_input():
    """A new integer field must be added to INTEGER_INPUTS (and so get its bound checked) before it ships."""
    assert numeric_fields() == set(INTEGER_INPUTS)


@pytest.mark.parametrize("key", list(INTEGER_INPUTS), ids=lambda k: f"{k[0]} {k[1]} {k[2]}")
@pytest.mark.parametrize("value", HUGE, ids=["2**63", "10**25", "-2**63-1"])
def test_out_of_range_integers_are_refused_not_500(any_db_client, key, value):
    client = any_db_client
    client.login()
    method, _, field = key
    path, rest = INTEGER_INPUTS[key]
    if method == "GET":
        status, body = client.get(f"{path}?{field}={value}")
    else:
        status, body = client.call(method, path, json={**rest, field: value})
    assert 400 <= status < 500 and body["code"] < 5000, body


@pytest.mark.parametrize("key", list(LIMITS), ids=lambda k: f"{k[0]} {k[1]}")
def test_page_limits_and_cursors_are_bounded(any_db_client, key):
    client = any_db_client
    client.login()
    path = key[1].replace("<int:user_id>", "1")
    extra = "&tab=discover" if path == "/feed" else "&type=credits" if path == "/wallet/ledgers" else ""
    queries = [f"limit={2**63}", "limit=-1"]
    if "cursor" in LIMITS[key].model_fields:
        queries += [f"cursor={encode_cursor(2**63)}", f"cursor={encode_cursor(2**63, 2**63)}",
                    f"cursor={encode_cursor(1e308 * 10)}"]
    for query in queries:
        status, body = client.get(f"{path}?{query}{extra}")
        assert 400 <= status < 500 and body["code"] == 2000, (query, body)


def test_other_scripts_digits_in_signed_link_and_webhook_timestamps_are_refused(sqlite_engine):
    client = make_client(sqlite_engine, video_webhook_secret="whsec_" + "c2VjcmV0LWtleS1mb3Itd2ViaG9va3M=")
    for expires in ("\u00b2", "1" * 5000):
        response = client.raw.get(f"/v1/files/private/x.mp4?expires={expires}&signature=ab")
        assert response.status_code == 403 and response.json["code"] == 2002
    for timestamp in ("\u00b2", "9" * 400):
        response = client.raw.post("/v1/providers/fake/webhooks", data=b"{}", content_type="application/json",
                                   headers={"webhook-id": "e1", "webhook-timestamp": timestamp,
                                            "webhook-signature": "v1,x"})
        assert response.status_code == 400 and response.json["code"] == 2000
