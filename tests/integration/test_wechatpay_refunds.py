"""WeChatPayRefundGateway end to end against the WeChat Pay fake and its refund desk."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest

from adapters.payments.wechatpay_refunds import WeChatPayRefundGateway
from skyriff_domain.errors import NotificationRejected, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, RefundNotice, RefundOrder, RefundResult, RefundState
from tests.support.fake_wechatpay import TAMPERS, FakeWeChatPay, WeChatPayKeys, error, make_wechatpay_keys
from tests.support.fake_wechatpay_refunds import RefundDesk
from tests.support.http_server import Response

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
TRADE = "SR20261124000001"
NO = "RF20261124000001"
NOTIFY = "https://api.skyriff.test/v1/payments/refund_callback/wechat"


@pytest.fixture(scope="module")
def keys() -> WeChatPayKeys:
    return make_wechatpay_keys()


@pytest.fixture
def fake(keys: WeChatPayKeys):
    with FakeWeChatPay(keys, now=lambda: NOW) as server:
        server.add_order(TRADE, 3000, trade_state="SUCCESS")
        yield server


@pytest.fixture
def desk(fake: FakeWeChatPay) -> RefundDesk:
    return RefundDesk(fake)


def gateway(fake: FakeWeChatPay, **overrides) -> WeChatPayRefundGateway:
    return WeChatPayRefundGateway(fake.config(**overrides), NOTIFY, clock=lambda: NOW)


def order(no: str = NO, fen: int = 3000, total: int = 3000, trade: str = TRADE) -> RefundOrder:
    return RefundOrder(refund_no=no, out_trade_no=trade, amount=Cny(fen), total=Cny(total), reason="积分包未使用，全额退款")


def test_a_refund_is_asked_once_with_a_signed_body(fake, desk) -> None:
    result = gateway(fake).refund(order())

    assert result == RefundResult(RefundState.PROCESSING, channel_ref=desk.refunds[NO].refund_id)
    assert fake.auth_errors == []
    [request] = fake.requests
    assert (request.method, request.path) == ("POST", "/v3/refund/domestic/refunds")
    assert json.loads(request.body) == {
        "out_trade_no": TRADE, "out_refund_no": NO, "reason": "积分包未使用，全额退款", "notify_url": NOTIFY,
        "amount": {"refund": 3000, "total": 3000, "currency": "CNY"},
    }


def test_an_instant_refund_is_success(fake, desk) -> None:
    desk.instant = True
    assert gateway(fake).refund(order()).state is RefundState.SUCCESS


def test_asking_again_never_refunds_twice(fake, desk) -> None:
    client = gateway(fake)
    first = client.refund(order())
    desk.settle(NO)
    again = client.refund(order())
    assert again.channel_ref == first.channel_ref and again.state is RefundState.SUCCESS
    assert desk.refunded(TRADE) == 3000 and len(desk.refunds) == 1


def test_the_same_number_with_other_content_reports_the_existing_refund(fake, desk) -> None:
    client = gateway(fake)
    client.refund(order(fen=1000))
    assert client.refund(order(fen=2000)).state is RefundState.PROCESSING
    assert desk.refunded(TRADE) == 1000


@pytest.mark.parametrize(("status", "state"), [
    ("SUCCESS", RefundState.SUCCESS), ("CLOSED", RefundState.FAILED), ("ABNORMAL", RefundState.FAILED),
])
def test_query_maps_statuses(fake, desk, status, state) -> None:
    gateway(fake).refund(order())
    desk.settle(NO, status)
    result = gateway(fake).query_refund(NO, TRADE)
    assert result.state is state
    assert (result.reason is None) == (status == "SUCCESS")
    assert fake.requests[-1].path == f"/v3/refund/domestic/refunds/{NO}"


def test_query_an_unknown_refund_is_not_found(fake, desk) -> None:
    assert gateway(fake).query_refund("RF20261124999999", TRADE) == RefundResult(RefundState.NOT_FOUND)


@pytest.mark.parametrize("answer", [
    error(500, "SYSTEM_ERROR", "系统繁忙"), Response(404, "<html>nginx</html>", {"Content-Type": "text/html"}),
])
def test_query_failures_are_provider_unavailable(fake, desk, answer) -> None:
    fake.override = lambda request: answer
    with pytest.raises(ProviderUnavailable):
        gateway(fake).query_refund(NO, TRADE)


def test_query_about_another_order_is_provider_unavailable(fake, desk) -> None:
    gateway(fake).refund(order())
    with pytest.raises(ProviderUnavailable):
        gateway(fake).query_refund(NO, "SR20261124000002")


# --- refusals and unknown fates ----------------------------------------------------------------------------

def test_a_refund_larger_than_the_payment_is_failed_after_a_query(fake, desk) -> None:
    client = gateway(fake)
    client.refund(order(no="RF20261124000002", fen=2000))
    result = client.refund(order(fen=2000))
    assert result.state is RefundState.FAILED and "INVALID_REQUEST" in result.reason
    assert [r.method for r in fake.requests][-2:] == ["POST", "GET"]


@pytest.mark.parametrize("answer", [
    error(500, "SYSTEM_ERROR", "系统繁忙"), error(429, "FREQUENCY_LIMITED", "频率超限"),
    error(403, "NOT_ENOUGH", "余额不足"), error(404, "RESOURCE_NOT_EXISTS", "订单不存在"),
    Response(502, "<html>Bad Gateway</html>", {"Content-Type": "text/html"}), Response(200, "not json"),
], ids=["500", "429", "not-enough", "order-not-exists", "502-html", "200-not-json"])
def test_answers_without_a_fate_are_unknown_outcomes(fake, desk, answer) -> None:
    fake.override = lambda request: answer
    with pytest.raises(OutcomeUnknown):
        gateway(fake).refund(order())
    assert len(fake.requests) == 1


def test_a_timeout_is_unknown_and_the_query_finds_the_refund(fake, desk) -> None:
    fake.delay = 2
    with pytest.raises(OutcomeUnknown):
        gateway(fake, timeout=0.5).refund(order())
    fake.delay = 0
    assert gateway(fake).query_refund(NO, TRADE).state is RefundState.PROCESSING
    assert len(desk.refunds) == 1


def test_a_forged_answer_is_unknown(fake, desk) -> None:
    fake.sign_with = "other"
    with pytest.raises(OutcomeUnknown):
        gateway(fake).refund(order())


def test_a_nonsensical_order_is_a_programming_error(fake, desk) -> None:
    with pytest.raises(ValueError):
        gateway(fake).refund(order(fen=3001))
    assert fake.requests == []


# --- notifications -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "state"), [
    ("SUCCESS", RefundState.SUCCESS), ("ABNORMAL", RefundState.FAILED), ("CLOSED", RefundState.FAILED),
])
def test_refund_notifications_are_verified_and_decoded(fake, desk, status, state) -> None:
    gateway(fake).refund(order())
    headers, body = desk.notification(NO, status=status)
    notice = gateway(fake).parse_refund_notification(headers, body, NOW + timedelta(seconds=3))
    assert notice == RefundNotice(refund_no=NO, state=state, amount=Cny(3000), channel_ref=desk.refunds[NO].refund_id)


@pytest.mark.parametrize("tamper", [t for t in TAMPERS if t != "wrong_appid"])  # refunds carry no appid
def test_tampered_refund_notifications_are_rejected_3004(fake, desk, tamper) -> None:
    gateway(fake).refund(order())
    headers, body = desk.notification(NO, status="SUCCESS", tamper=tamper)
    with pytest.raises(NotificationRejected) as raised:
        gateway(fake).parse_refund_notification(headers, body, NOW)
    assert raised.value.code == 3004


@pytest.mark.parametrize(("skew", "accepted"), [(299, True), (-299, True), (301, False), (-301, False)])
def test_the_five_minute_window_applies(fake, desk, skew, accepted) -> None:
    gateway(fake).refund(order())
    headers, body = desk.notification(NO, status="SUCCESS")
    client = gateway(fake)
    if accepted:
        assert client.parse_refund_notification(headers, body, NOW + timedelta(seconds=skew)).refund_no == NO
    else:
        with pytest.raises(NotificationRejected, match="stale"):
            client.parse_refund_notification(headers, body, NOW + timedelta(seconds=skew))


def test_a_payment_notification_is_not_a_refund_notification(fake, desk) -> None:
    headers, body = fake.notification(TRADE)
    with pytest.raises(NotificationRejected, match="not a refund event"):
        gateway(fake).parse_refund_notification(headers, body, NOW)


def test_an_event_that_disagrees_with_its_status_is_rejected(fake, desk) -> None:
    gateway(fake).refund(order())
    headers, body = desk.notification(NO, status="SUCCESS", refund_status="CLOSED")
    with pytest.raises(NotificationRejected, match="disagree"):
        gateway(fake).parse_refund_notification(headers, body, NOW)


def test_rejections_are_logged_without_secrets(fake, desk, keys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    gateway(fake).refund(order())
    headers, body = desk.notification(NO, status="SUCCESS", tamper="wrong_key")
    with pytest.raises(NotificationRejected):
        gateway(fake).parse_refund_notification(headers, body, NOW)
    assert "wechat refund notification rejected: bad signature" in caplog.text
    for secret in (headers["Wechatpay-Signature"], keys.merchant_private_pem.splitlines()[1], body.decode()):
        assert secret not in caplog.text
