"""WeChat Pay and Alipay end to end: the app's real channel adapters against the local fake gateways,
notifications posted to our callbacks, answers in each channel's format, fulfilment exactly once."""
from __future__ import annotations


import pytest
from dependency_injector import providers

from adapters.payments.alipay import AlipayGateway
from adapters.payments.wechatpay import WeChatPayGateway
from tests.support.fake_alipay import FakeAlipay, make_alipay_keys
from tests.support.fake_wechatpay import TAMPERS, FakeWeChatPay, make_wechatpay_keys
from tests.support.http import make_client


@pytest.fixture(scope="module")
def wechat_keys():
    return make_wechatpay_keys()


@pytest.fixture(scope="module")
def alipay_keys():
    return make_alipay_keys()


@pytest.fixture
def channels(sqlite_engine, wechat_keys, alipay_keys):
    client = make_client(sqlite_engine)
    container = client.app.extensions["skyriff"]
    container.catalog().seed()
    clock = container.clock()
    with FakeWeChatPay(wechat_keys, now=clock.now) as wechat, FakeAlipay(alipay_keys) as alipay:
        gateways = {
            "wechat": WeChatPayGateway(wechat.config(notify_url="http://api.test/v1/payments/callback/wechat"),
                                       clock=clock.now),
            "alipay": AlipayGateway(alipay.config(notify_url="http://api.test/v1/payments/callback/alipay"),
                                    clock=clock.now),
        }
        container.payment_gateways.override(providers.Object(gateways))
        container.payments.reset()
        client.login()
        yield client, wechat, alipay


def create(client, channel, pack="30元充值包"):
    _, products = client.get("/products?type=credits_pack")
    product = next(p for p in products["data"]["items"] if p["name"] == pack)
    status, body = client.post("/payments/create", {"product_id": product["product_id"], "pay_channel": channel})
    assert status == 200, body
    payment = body["data"]
    with client.app.extensions["skyriff"].uow()() as uow:
        payment["out_trade_no"] = uow.payments.get(payment["payment_id"]).out_trade_no
    return payment


def credits(client):
    return client.get("/me/wallets")[1]["data"]["credits"]["balance"]


def post_wechat(client, headers, body, path="/v1/payments/callback/wechat"):
    return client.raw.post(path, data=body, headers=headers)


def test_wechat_pay_params_and_notification(channels):
    client, wechat, _ = channels
    payment = create(client, "wechat")
    params = payment["pay_params"]
    assert params["package"] == "Sign=WXPay" and params["prepay_id"] and params["sign"]
    assert wechat.orders[payment["out_trade_no"]].total == 3000  # fen cross the border
    headers, body = wechat.notification(payment["out_trade_no"])
    response = post_wechat(client, headers, body)
    assert response.status_code == 204
    assert credits(client) == 600
    for path in ("/v1/payments/callback/wechat", "/v1/payments/callback"):  # retries and the spec's path
        assert post_wechat(client, headers, body, path).status_code == 204
    assert credits(client) == 600


@pytest.mark.parametrize("tamper", [t for t in TAMPERS])
def test_wechat_forged_notifications_change_nothing(channels, tamper):
    client, wechat, _ = channels
    payment = create(client, "wechat")
    headers, body = wechat.notification(payment["out_trade_no"], tamper=tamper)
    response = post_wechat(client, headers, body)
    assert response.status_code == 400 and response.json == {"code": "FAIL", "message": "3004"}
    assert credits(client) == 0


def test_wechat_wrong_amount_and_unknown_order(channels):
    client, wechat, _ = channels
    payment = create(client, "wechat")
    assert post_wechat(client, *wechat.notification(payment["out_trade_no"], amount=1)).status_code == 400
    assert post_wechat(client, *wechat.notification("SRNOTOURS0000001", amount=3000)).status_code == 400
    assert credits(client) == 0


def test_alipay_order_string_and_notifications(channels):
    client, _, alipay = channels
    payment = create(client, "alipay")
    params = alipay.check_order_string(payment["pay_params"]["order_string"])
    assert '"total_amount":"30.00"' in params["biz_content"]
    alipay.open_cashier(payment["out_trade_no"], "30.00")
    alipay.pay(payment["out_trade_no"])
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    success = alipay.notification(payment["out_trade_no"])
    response = client.raw.post("/v1/payments/callback/alipay", data=success, headers=form)
    assert (response.status_code, response.get_data(as_text=True)) == (200, "success")
    finished = alipay.notification(payment["out_trade_no"], trade_status="TRADE_FINISHED")
    response = client.raw.post("/v1/payments/callback", data=finished, headers=form)  # recognised as Alipay
    assert response.get_data(as_text=True) == "success"
    assert credits(client) == 600  # TRADE_SUCCESS then TRADE_FINISHED: fulfilled once


@pytest.mark.parametrize("tamper", ["forged", "wrong_key", "wrong_app_id", "amount"])
def test_alipay_forged_notifications_change_nothing(channels, tamper):
    client, _, alipay = channels
    payment = create(client, "alipay")
    alipay.open_cashier(payment["out_trade_no"], "30.00")
    body = alipay.notification(payment["out_trade_no"], tamper=tamper)
    response = client.raw.post("/v1/payments/callback/alipay", data=body,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (response.status_code, response.get_data(as_text=True)) == (400, "fail")
    assert credits(client) == 0


def test_reconciliation_recovers_a_missed_notification_and_closes_the_unpaid(channels):
    client, wechat, alipay = channels
    container = client.app.extensions["skyriff"]
    paid = create(client, "wechat")
    wechat.pay(paid["out_trade_no"])  # paid, but the notification never arrived
    unpaid = create(client, "alipay", "6元充值包")  # the cashier was never even opened
    container.clock().advance(minutes=20)
    report = container.payments().reconcile()
    assert (report.paid, report.closed, report.errors) == (1, 1, 0)
    client.login()
    assert credits(client) == 600
    assert client.get(f"/payments/{unpaid['payment_id']}")[1]["data"]["status"] == "closed"
    assert container.payments().reconcile().paid == 0


def test_a_wechat_refund_settles_by_its_notification_and_a_forged_one_changes_nothing(channels):
    """Refund a WeChat payment (PROCESSING at first), then WeChat's REFUND.SUCCESS notification to our
    refund callback settles it; a tampered one is refused in WeChat's format and changes nothing."""
    from adapters.payments.wechatpay_refunds import WeChatPayRefundGateway
    from skyriff_domain.model.refund import RefundStatus
    from tests.support.fake_wechatpay_refunds import RefundDesk

    client, wechat, _ = channels
    container = client.app.extensions["skyriff"]
    desk = RefundDesk(wechat)
    container.refund_gateways.override(providers.Object({"wechat": WeChatPayRefundGateway(
        wechat.config(), "https://api.test/v1/payments/refund_callback/wechat", clock=container.clock().now)}))
    container.refunds.reset()
    payment = create(client, "wechat")
    assert post_wechat(client, *wechat.notification(payment["out_trade_no"])).status_code == 204
    refund = container.refunds().refund(payment["payment_id"], "用户申请", operator="finance-1")
    assert refund.status is RefundStatus.PROCESSING and credits(client) == 0  # taken back at once
    desk.settle(refund.refund_no)
    path = "/v1/payments/refund_callback/wechat"
    forged = client.raw.post(path, data=desk.notification(refund.refund_no, tamper="body")[1],
                             headers=desk.notification(refund.refund_no)[0])
    assert forged.status_code == 400 and forged.json == {"code": "FAIL", "message": "3004"}
    with container.uow()() as uow:
        assert uow.refunds.find(refund.refund_no).status is RefundStatus.PROCESSING
    headers, body = desk.notification(refund.refund_no)
    assert client.raw.post(path, data=body, headers=headers).status_code == 204
    assert client.raw.post(path, data=body, headers=headers).status_code == 204  # WeChat retries: same answer
    with container.uow()() as uow:
        assert uow.refunds.find(refund.refund_no).status is RefundStatus.SUCCEEDED
    assert container.ledger_audit().verify() == []
