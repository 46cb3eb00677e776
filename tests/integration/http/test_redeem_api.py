"""POST /v1/redeem: a code operators generated becomes free credits or a product's delivery; every code that
cannot be redeemed answers 400 / 2013 alike; bad input is 2000; attempts are throttled (429 / 1006)."""
from __future__ import annotations

import pytest

from skyriff_domain.model.moderation import Operator


@pytest.fixture
def shop(any_db_client):
    any_db_client.app.extensions["skyriff"].catalog().seed()
    return any_db_client


def generate(client, count=2, **grant):
    return client.app.extensions["skyriff"].redemption_batches().generate("活动", count, Operator("alice"),
                                                                          **(grant or {"credits": 100}))


def test_a_credits_code_is_redeemed_once(shop):
    shop.login()
    made = generate(shop)
    status, body = shop.post("/redeem", {"code": made.codes[0].lower()})
    assert (status, body["code"], body["message"]) == (200, 0, "兑换成功")
    assert body["data"] == {"credits_redeemed": 100, "new_balance": 100, "product": None, "subscription": None,
                            "referral_code": None}
    _, ledger = shop.get("/wallet/ledgers?type=credits")
    [item] = ledger["data"]["items"]
    assert (item["type"], item["amount"], item["balance_after"]) == ("redeem", 100, 100)
    assert item["description"].startswith("兑换码 ")
    status, body = shop.post("/redeem", {"code": made.codes[0]})
    assert (status, body) == (400, {"code": 2013, "message": "兑换码无效或已使用", "data": None})


def test_unknown_and_malformed_codes_answer_like_a_used_one(client):
    client.login()
    for code in ("AAAA-BBBB-CCCC-DDDD", "hello", "0000-OOOO-1111-IIII"):
        status, body = client.post("/redeem", {"code": code})
        assert (status, body["code"], body["message"]) == (400, 2013, "兑换码无效或已使用"), code


def test_a_monthly_card_code_answers_with_the_cards_fields(shop):
    shop.login()
    made = generate(shop, product_sku="monthly_card")
    status, body = shop.post("/redeem", {"code": made.codes[0]})
    assert status == 200, body
    assert body["data"] == {"credits_redeemed": 0, "new_balance": 0,
                            "product": {"sku": "monthly_card", "type": "subscription_monthly", "name": "月卡"},
                            "subscription": {"days_added": 30, "daily_credits": 30, "end_at": "2026-02-14T02:00:00Z"},
                            "referral_code": None}
    _, card = shop.get("/subscriptions/me")
    assert card["data"]["active_subscription"]["days_remaining"] == 30
    assert shop.post("/subscriptions/claim_daily")[1]["data"] == {"credits_claimed": 30, "new_balance": 30}


def test_a_promoter_activation_code_answers_with_the_referral_code(shop):
    shop.login()
    status, body = shop.post("/redeem", {"code": generate(shop, product_sku="promoter_activation").codes[0]})
    assert status == 200 and body["data"]["credits_redeemed"] == 600 and body["data"]["new_balance"] == 600
    assert body["data"]["product"]["type"] == "promoter_activation"
    assert body["data"]["referral_code"] == shop.get("/promoter/me")[1]["data"]["referral_code"]


@pytest.mark.parametrize("body, field", [
    ({}, "code"), ({"code": ""}, "code"), ({"code": "A" * 65}, "code"), ({"code": 1234}, "code"),
    ({"code": "ＡＢＣＤ-EFGH-JKLM-NPQR"}, "code"), ({"code": "ABCD\nEFGH"}, "code"), ({"code": None}, "code"),
    ({"code": "ABCD-EFGH-JKLM-NPQR", "extra": 1}, "extra"),
])
def test_bad_input_is_2000_naming_the_field(client, body, field):
    client.login()
    status, answer = client.post("/redeem", body)
    assert (status, answer["code"], answer["data"]["field"]) == (400, 2000, field)


def test_a_login_is_required(client):
    status, body = client.post("/redeem", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert (status, body["code"]) == (401, 1001)


def test_guessing_is_throttled_with_retry_after(client):
    client.login()
    made = generate(client)
    for _ in range(5):
        assert client.post("/redeem", {"code": "AAAA-BBBB-CCCC-DDDD"})[1]["code"] == 2013
    response = client.raw.post("/v1/redeem", json={"code": made.codes[0]},
                               headers={"Authorization": f"Bearer {client.token}"})
    assert response.status_code == 429 and response.json["code"] == 1006
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_a_retry_with_the_same_idempotency_key_replays_the_success(client):
    client.login()
    made = generate(client)
    headers = {"Idempotency-Key": "redeem-1"}
    first = client.post("/redeem", {"code": made.codes[0]}, headers=headers)
    again = client.post("/redeem", {"code": made.codes[0]}, headers=headers)
    assert first == again and first[0] == 200 and first[1]["data"]["new_balance"] == 100
