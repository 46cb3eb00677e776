"""九、十、十二、十三 over HTTP on the sandbox channel: the issue's walk-through, step by step."""
from __future__ import annotations

import json

import pytest

from adapters.payments.sandbox import sign
from tests.support.fakes import SANDBOX_SECRET
from tests.support.usecases import buy_pack_on


@pytest.fixture
def shop(any_db_client):
    any_db_client.app.extensions["skyriff"].catalog().seed()
    return any_db_client


def product_id(client, sku_name):
    _, body = client.get("/products")
    return next(p["product_id"] for p in body["data"]["items"] if p["name"] == sku_name)


def notify(client, payment_id, amount, path="/payments/callback/sandbox"):
    body = json.dumps({"channel": "sandbox", "payment_id": payment_id, "amount_cny": amount, "status": "paid"})
    response = client.raw.post(f"/v1{path}", data=body,
                               headers={"X-Sandbox-Signature": sign(SANDBOX_SECRET, body.encode()),
                                        "Content-Type": "application/json"})
    return response


def balance(client):
    return client.get("/me/wallets")[1]["data"]


def buy(client, sku_name, amount):
    status, body = client.post("/payments/create", {"product_id": product_id(client, sku_name), "pay_channel": "sandbox"})
    assert status == 200, body
    assert notify(client, body["data"]["payment_id"], amount).status_code == 200
    return body["data"]["payment_id"]


def test_products_are_public_and_filterable(shop):
    status, body = shop.get("/products")
    assert status == 200 and len(body["data"]["items"]) == 5
    _, packs = shop.get("/products?type=credits_pack")
    assert [(p["name"], p["credits_amount"]) for p in packs["data"]["items"]] == [
        ("6元充值包", 120), ("30元充值包", 600), ("68元充值包", 1400), ("128元充值包", 2800)]
    raw = shop.raw.get("/v1/products?type=credits_pack").get_data(as_text=True)
    assert '"price_cny":30.00' in raw
    assert shop.get("/products?type=gold")[1]["data"]["field"] == "type"


def test_the_shop_lists_only_the_specs_product_types(shop):
    """Clients parse `type` as credits_pack | subscription_monthly | coins_pack; nothing else is listed."""
    items = shop.get("/products")[1]["data"]["items"]
    assert {p["type"] for p in items} == {"credits_pack", "subscription_monthly"}
    assert "推广员激活" not in {p["name"] for p in items}
    status, body = shop.get("/products?type=promoter_activation")
    assert (status, body["code"], body["data"]["field"]) == (400, 2000, "type")


def test_the_promoter_activation_is_priced_in_the_promoters_info(shop):
    shop.login()
    me = shop.get("/promoter/me")[1]["data"]
    assert me["activation_price_cny"] == 30.0 and me["is_promoter"] is False
    raw = shop.raw.get("/v1/promoter/me", headers={"Authorization": f"Bearer {shop.token}"}).get_data(as_text=True)
    assert '"activation_price_cny":30.00' in raw
    shop.app.extensions["skyriff"].catalog().set_active("promoter_activation", False)
    assert shop.get("/promoter/me")[1]["data"]["activation_price_cny"] is None


def test_buying_credits_with_the_sandbox(shop):
    shop.login()
    status, body = shop.post("/payments/create", {"product_id": product_id(shop, "30元充值包"), "pay_channel": "sandbox"})
    assert (status, body["message"]) == (200, "支付单创建成功")
    payment = body["data"]
    assert payment["amount_cny"] == 30.0 and payment["expire_at"].endswith("Z")
    assert payment["pay_params"]["notify_url"] == "http://api.test/v1/payments/callback/sandbox"
    assert shop.get(f"/payments/{payment['payment_id']}")[1]["data"]["status"] == "pending"

    response = notify(shop, payment["payment_id"], "30.00")
    assert response.status_code == 200 and response.json["code"] == 0
    assert balance(shop)["credits"]["balance"] == 600
    items = shop.get("/wallet/ledgers")[1]["data"]["items"]
    assert [(i["type"], i["amount"], i["balance_after"]) for i in items] == [("recharge", 600, 600)]
    assert shop.get(f"/payments/{payment['payment_id']}")[1]["data"]["status"] == "paid"

    assert notify(shop, payment["payment_id"], "30.00").status_code == 200  # again: nothing changes
    assert notify(shop, payment["payment_id"], "30.00", path="/payments/callback").status_code == 200
    assert balance(shop)["credits"]["balance"] == 600


def test_forged_and_mismatched_notifications_are_3004(shop):
    shop.login()
    _, body = shop.post("/payments/create", {"product_id": product_id(shop, "6元充值包"), "pay_channel": "sandbox"})
    pid = body["data"]["payment_id"]
    response = notify(shop, pid, "60.00")
    assert (response.status_code, response.json["code"]) == (400, 3004)
    forged = shop.raw.post("/v1/payments/callback/sandbox", json={"channel": "sandbox", "payment_id": pid,
                                                                   "amount_cny": "6.00", "status": "paid"},
                           headers={"X-Sandbox-Signature": "00" * 32})
    assert forged.status_code == 400
    unknown = shop.raw.post("/v1/payments/callback", data=b"hello")
    assert (unknown.status_code, unknown.json["code"]) == (400, 3004)
    assert balance(shop)["credits"]["balance"] == 0


def test_channels_that_are_not_configured_are_refused(shop):
    shop.login()
    status, body = shop.post("/payments/create", {"product_id": product_id(shop, "6元充值包"), "pay_channel": "wechat"})
    assert (status, body["code"], body["data"]["field"]) == (400, 2000, "pay_channel")
    assert shop.raw.post("/v1/payments/callback/wechat", data=b"{}").status_code == 400


def test_monthly_card(shop):
    shop.login()
    assert shop.get("/subscriptions/me")[1]["data"] == {"active_subscription": None}
    assert shop.post("/subscriptions/claim_daily")[1]["code"] == 2008
    status, body = shop.post("/subscriptions/buy", {"product_id": product_id(shop, "月卡"), "pay_channel": "sandbox"})
    assert status == 200 and body["data"]["subscription_id"] and body["data"]["amount_cny"] == 29.0
    notify(shop, body["data"]["payment_id"], "29.00")
    card = shop.get("/subscriptions/me")[1]["data"]["active_subscription"]
    assert (card["days_remaining"], card["today_claimed"]) == (30, False)
    status, body = shop.post("/subscriptions/claim_daily")
    assert (status, body["message"], body["data"]) == (200, "领取成功", {"credits_claimed": 30, "new_balance": 30})
    status, body = shop.post("/subscriptions/claim_daily")
    assert (status, body["code"]) == (409, 2003)
    assert body["data"]["next_claim_at"] == "2026-01-15T16:00:00Z"
    assert shop.post("/subscriptions/buy", {"product_id": product_id(shop, "30元充值包"),
                                            "pay_channel": "sandbox"})[1]["data"]["field"] == "product_id"


def test_promoter_referral_and_commission(shop):
    shop.login("13900000000", "654321")
    promoter_token = shop.token
    _, body = shop.post("/promoter/activate", {"pay_channel": "sandbox"})
    assert body["data"]["amount_cny"] == 30.0
    notify(shop, body["data"]["payment_id"], "30.00")
    me = shop.get("/promoter/me")[1]["data"]
    assert me["is_promoter"] is True and me["promo_credits"] == 600 and me["referral_code"].startswith("SKY")
    assert balance(shop)["credits"]["balance"] == 600
    assert shop.post("/promoter/activate", {"pay_channel": "sandbox"})[1]["code"] == 2008

    shop.login()  # a new user binds the code
    status, body = shop.post("/referrals/bind", {"code": me["referral_code"]})
    assert (status, body["data"]) == (200, {"bonus_credits": 50, "new_balance": 50})
    assert shop.post("/referrals/bind", {"code": me["referral_code"]})[1]["code"] == 2004
    buy(shop, "68元充值包", "68.00")

    shop.token = promoter_token
    me = shop.get("/promoter/me")[1]["data"]
    assert me["stats"] == {"total_invites": 1, "total_commission_coins": 6.8}
    coins = balance(shop)["coins"]
    assert coins["pending"] == 6.8 and coins["pending_details"][0]["source"] == "推广佣金"
    assert shop.post("/referrals/bind", {"code": "SKYNOTREAL"})[1]["code"] == 2004


def test_withdrawals(shop):
    me = shop.login()
    container = shop.app.extensions["skyriff"]
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "85.50", coins="85.50")
    container.clock().advance(days=7)
    shop.login()
    alipay = {"account": "user@example.com", "name": "张三"}
    status, body = shop.post("/withdrawals/create", {"amount_cny": 150.00, "method": "alipay", "account_info": alipay})
    assert (status, body["code"], body["data"]) == (409, 2005, {"available": 85.5, "required": 150.0})
    status, body = shop.post("/withdrawals/create", {"amount_cny": 99.99, "method": "alipay", "account_info": alipay})
    assert (status, body["code"]) == (400, 2006)
    assert shop.post("/withdrawals/create", {"amount_cny": 100.001, "method": "alipay",
                                             "account_info": alipay})[1]["code"] == 2006
    assert shop.post("/withdrawals/create", {"amount_cny": "100", "method": "alipay",
                                             "account_info": alipay})[1]["data"]["field"] == "amount_cny"
    assert shop.post("/withdrawals/create", {"amount_cny": 100, "method": "alipay",
                                             "account_info": {"name": "张三"}})[1]["data"]["field"] == "account_info.account"

    buy_pack_on(container.uow(), container.payments(), me["user_id"], "100.00", coins="100.00")
    container.clock().advance(days=7)
    shop.login()
    status, body = shop.post("/withdrawals/create", {"amount_cny": 150, "method": "alipay", "account_info": alipay})
    assert (status, body["code"]) == (403, 2011)  # verify first
    assert shop.get("/me/verification")[1]["data"] == {"verified": False}
    status, body = shop.post("/me/verification", {"real_name": "张三", "id_number": "11010519491231002X"})
    assert (status, body["message"]) == (200, "实名认证成功")
    assert body["data"] | {"age": 0} == {"verified": True, "real_name_masked": "张*",
                                         "id_number_masked": "1101**********002X", "age": 0, "is_minor": False}
    assert shop.get("/me/verification")[1]["data"] == body["data"]
    assert shop.post("/me/verification", {"real_name": "张三", "id_number": "11010519491231002X"})[1]["code"] == 2008
    status, body = shop.post("/withdrawals/create", {"amount_cny": 150, "method": "alipay",
                                                     "account_info": {**alipay, "name": "李四"}})
    assert (status, body["data"]["field"]) == (400, "account_info.name")
    status, body = shop.post("/withdrawals/create", {"amount_cny": 150, "method": "alipay", "account_info": alipay},
                             headers={"Idempotency-Key": "w1"})
    assert (status, body["message"]) == (200, "提现申请已提交")
    assert body["data"]["status"] == "applied" and body["data"]["amount_cny"] == 150.0
    again = shop.post("/withdrawals/create", {"amount_cny": 150, "method": "alipay", "account_info": alipay},
                      headers={"Idempotency-Key": "w1"})
    assert again == (status, body)
    coins = balance(shop)["coins"]
    assert (coins["available"], coins["held"]) == (35.5, 150.0)
    container.payouts().approve(body["data"]["withdrawal_id"])  # the sandbox transfer pays at once
    items = shop.get("/withdrawals/me")[1]["data"]["items"]
    assert [(i["status"], i["amount_cny"], i["method"], i["confirm_params"]) for i in items] == [
        ("paid", 150.0, "alipay", None)]
    assert items[0]["processed_at"].endswith("Z")
    assert container.ledger_audit().verify() == []


def test_the_database_never_holds_an_id_number_or_a_verified_name_in_clear(shop):
    """With the real AES-GCM cipher: after verifying and withdrawing, no column of any table holds the ID
    number, and the verification row holds no name either (the payee name the user typed is the withdrawal's)."""
    from sqlalchemy import select

    from adapters.sqlalchemy.models import Base

    me = shop.login()
    container = shop.app.extensions["skyriff"]
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "100.00", coins="100.00")
    container.clock().advance(days=7)
    shop.login()
    assert shop.post("/me/verification", {"real_name": "王小二", "id_number": "11010519491231002X"})[0] == 200
    status, body = shop.post("/withdrawals/create", {"amount_cny": 100, "method": "alipay",
                                                     "account_info": {"account": "w@example.com", "name": "王小二"}})
    assert status == 200, body
    container.payouts().approve(body["data"]["withdrawal_id"])
    with container.engine().connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            text = repr(rows)
            assert "11010519491231002X" not in text and "491231002" not in text, table.name
            if table.name == "identity_verifications":
                assert len(rows) == 1 and "王小二" not in text
