"""Real data for the console's tests, made through the API and the use cases as users would make it: a paying
user, a creator with a withdrawal waiting, a published work that someone reported."""
from __future__ import annotations

import json

from adapters.payments.sandbox import sign
from tests.support.fakes import SANDBOX_SECRET
from tests.support.http import Client
from tests.support.usecases import buy_pack_on

PHONES = {"payer": ("13800138000", "123456"), "creator": ("13900000000", "654321"),
          "fan": ("13700000000", "111111"), "other": ("13600000000", "222222")}
TEST_PHONES = dict(PHONES.values())
ID_NUMBER = "11010519491231002X"


def services(client: Client):
    return client.app.extensions["skyriff"]


def login(client: Client, who: str) -> int:
    return client.login(*PHONES[who])["user_id"]


def pay(client: Client, who: str, sku: str = "credits_30") -> int:
    """`who` buys a catalogue product over the sandbox channel; returns the payment id."""
    login(client, who)
    products = client.get("/products")[1]["data"]["items"]
    product = next(p for p in products if p["name"] == {"credits_30": "30元充值包", "credits_6": "6元充值包"}[sku])
    status, body = client.post("/payments/create", {"product_id": product["product_id"], "pay_channel": "sandbox"})
    assert status == 200, body
    payment_id = body["data"]["payment_id"]
    notice = json.dumps({"channel": "sandbox", "payment_id": payment_id, "amount_cny": f"{product['price_cny']:.2f}",
                         "status": "paid"})
    response = client.raw.post("/v1/payments/callback/sandbox", data=notice, headers={
        "X-Sandbox-Signature": sign(SANDBOX_SECRET, notice.encode()), "Content-Type": "application/json"})
    assert response.status_code == 200
    return payment_id


def pending_payment(client: Client, who: str) -> int:
    """An order created and paid at the (sandbox) channel whose notification never arrived."""
    login(client, who)
    products = client.get("/products")[1]["data"]["items"]
    product = next(p for p in products if p["name"] == "6元充值包")
    status, body = client.post("/payments/create", {"product_id": product["product_id"], "pay_channel": "sandbox"})
    assert status == 200, body
    return body["data"]["payment_id"]


def withdrawal(client: Client, who: str = "creator", amount: str = "150.00") -> int:
    """`who` buys coins, waits out the 7 days, verifies their identity and applies to withdraw to Alipay."""
    user_id = login(client, who)
    container = services(client)
    buy_pack_on(container.uow(), container.payments(), user_id, "200.00", coins="200.00")
    container.clock().advance(days=7, seconds=1)
    login(client, who)
    status, body = client.post("/me/verification", {"real_name": "张三", "id_number": ID_NUMBER})
    assert status == 200, body
    status, body = client.post("/withdrawals/create", {"amount_cny": float(amount), "method": "alipay",
                                                       "account_info": {"account": "zhang@example.com", "name": "张三"}})
    assert status == 200, body
    return body["data"]["withdrawal_id"]


def run_worker(client: Client, passes: int = 6) -> None:
    container = services(client)
    for _ in range(passes):
        container.clock().advance(seconds=2)
        container.task_runner().run_once()


def published_work(client: Client, who: str = "creator", title: str = "草地上的橘猫") -> int:
    """`who` generates a video (the fake provider, real ffmpeg) and publishes it; returns the work id."""
    user_id = login(client, who)
    container = services(client)
    buy_pack_on(container.uow(), container.payments(), user_id, "10.00", credits=200)
    status, body = client.post("/tasks/create", {"prompt": "一只可爱的橘猫在草地上奔跑", "duration_sec": 10,
                                                 "ratio": "9:16", "model": "sora2"})
    assert status == 200, body
    run_worker(client)
    task = client.get(f"/tasks/{body['data']['task_id']}")[1]["data"]
    assert task["status"] == "SUCCESS", task
    status, body = client.post("/works/publish", {"video_id": task["video_id"], "title": title})
    assert status == 200, body
    return body["data"]["work_id"]


def report(client: Client, work_id: int, who: str = "fan", reason: str = "porn") -> None:
    login(client, who)
    status, body = client.post(f"/works/{work_id}/report", {"reason": reason, "detail": "封面不适"})
    assert status == 200, body


def feed_ids(client: Client) -> list[int]:
    return [i["work_id"] for i in client.get("/feed?tab=discover", token="")[1]["data"]["items"]]
