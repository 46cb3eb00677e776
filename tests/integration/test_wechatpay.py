"""WeChatPayGateway end to end against a local fake of WeChat Pay v3 (tests/support/fake_wechatpay.py).

The fake verifies our request signatures and signs its answers with its own code, written from the contract;
keys are generated once per process because RSA key generation is slow.
"""
from __future__ import annotations

import base64
import json
import logging
import socket
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from adapters.payments.wechatpay import WeChatPayConfig, WeChatPayGateway
from skyriff_domain.errors import NotificationRejected, PaymentFailed, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentNotice, PaymentOrder
from tests.support.fake_wechatpay import (
    APIV3_KEY, APPID, MCHID, TAMPERS, FakeWeChatPay, WeChatPayKeys, error, make_wechatpay_keys,
)
from tests.support.http_server import SHORT_TIMEOUT, STALL, Response

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)  # 18:00 in Beijing
NO = "SR20261124000001"
NONCE = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
NOTIFY_URL = "https://api.skyriff.test/api/v1/payments/wechat/notify"


@pytest.fixture(scope="module")
def keys() -> WeChatPayKeys:
    return make_wechatpay_keys()


@pytest.fixture
def fake(keys: WeChatPayKeys):
    with FakeWeChatPay(keys, now=lambda: NOW) as server:
        yield server


def gateway(fake: FakeWeChatPay, **overrides) -> WeChatPayGateway:
    return WeChatPayGateway(fake.config(**overrides), clock=lambda: NOW, nonce=lambda: NONCE)


def order(no: str = NO, fen: int = 1990, **changes) -> PaymentOrder:
    fields = dict(out_trade_no=no, amount=Cny(fen), description="SkyRiff 积分充值 1990 积分",
                  expires_at=NOW + timedelta(minutes=30), client_ip="203.0.113.7")
    return PaymentOrder(**(fields | changes))


# --- create_order ------------------------------------------------------------------------------------------

def test_create_order_sends_a_signed_prepay_and_returns_signed_pay_params(fake, keys) -> None:
    params = gateway(fake).create_order(order())

    assert fake.auth_errors == []
    [request] = fake.requests
    assert (request.method, request.path) == ("POST", "/v3/pay/transactions/app")
    assert request.headers["authorization"].startswith(
        f'WECHATPAY2-SHA256-RSA2048 mchid="{MCHID}",nonce_str="{NONCE}",signature="')
    assert request.headers["wechatpay-serial"].startswith("PUB_KEY_ID_")
    assert request.headers["accept"] == request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "appid": APPID, "mchid": MCHID, "description": "SkyRiff 积分充值 1990 积分", "out_trade_no": NO,
        "time_expire": "2026-11-24T18:30:00+08:00", "notify_url": NOTIFY_URL,
        "amount": {"total": 1990, "currency": "CNY"}, "scene_info": {"payer_client_ip": "203.0.113.7"},
    }
    assert params.keys() == {"app_id", "partner_id", "prepay_id", "package", "noncestr", "timestamp", "sign"}
    assert all(isinstance(v, str) for v in params.values())
    assert (params["app_id"], params["partner_id"], params["package"]) == (APPID, MCHID, "Sign=WXPay")
    assert params["prepay_id"].startswith("wx") and params["timestamp"] == str(int(NOW.timestamp()))
    message = f"{APPID}\n{params['timestamp']}\n{params['noncestr']}\n{params['prepay_id']}\n".encode()
    keys.merchant.public_key().verify(base64.b64decode(params["sign"]), message, padding.PKCS1v15(), hashes.SHA256())
    assert fake.orders[NO].total == 1990


def test_long_descriptions_are_cut_to_127_characters(fake) -> None:
    gateway(fake).create_order(order(description="音" * 200))
    assert json.loads(fake.requests[0].body)["description"] == "音" * 127


def test_a_signature_the_fake_rejects_is_payment_failed(fake, keys) -> None:
    with pytest.raises(PaymentFailed) as raised:
        gateway(fake, merchant_private_key_pem=keys.other_private_pem).create_order(order())
    assert fake.auth_errors == ["signature does not verify"]
    assert "SIGN_ERROR" in raised.value.message


@pytest.mark.parametrize("code", ["PARAM_ERROR", "OUT_TRADE_NO_USED", "ORDER_CLOSED"])
def test_refusals_are_payment_failed(fake, code) -> None:
    fake.override = lambda request: error(400, code, "refused")
    with pytest.raises(PaymentFailed) as raised:
        gateway(fake).create_order(order())
    assert code in raised.value.message
    assert len(fake.requests) == 1


def test_a_reused_out_trade_no_with_other_params_is_refused(fake) -> None:
    gateway(fake).create_order(order())
    with pytest.raises(PaymentFailed, match="OUT_TRADE_NO_USED"):
        gateway(fake).create_order(order(fen=2990))


@pytest.mark.parametrize("answer", [
    error(500, "SYSTEM_ERROR", "系统繁忙"), error(429, "FREQUENCY_LIMITED", "频率超限"),
    Response(502, "<html>Bad Gateway</html>", {"Content-Type": "text/html"}),
    Response(400, "<html>Bad Request</html>", {"Content-Type": "text/html"}),  # not WeChat's error shape
    Response(200, json.dumps({"no_prepay_id": 1})), Response(200, "not json"),
], ids=["500", "429", "502-html", "400-html", "200-no-prepay-id", "200-not-json"])
def test_unknown_fates_are_provider_unavailable(fake, answer) -> None:
    fake.override = lambda request: answer
    with pytest.raises(ProviderUnavailable):
        gateway(fake).create_order(order())
    assert len(fake.requests) == 1


@pytest.mark.parametrize("sign_with", ["other", "none"])
def test_an_unverifiable_answer_is_provider_unavailable(fake, sign_with) -> None:
    fake.sign_with = sign_with
    with pytest.raises(ProviderUnavailable):
        gateway(fake).create_order(order())


def test_an_answer_signed_for_another_key_id_is_provider_unavailable(fake) -> None:
    fake.answer_serial = "PUB_KEY_ID_SOMEONE_ELSE"
    with pytest.raises(ProviderUnavailable):
        gateway(fake).create_order(order())


def test_a_stalled_create_times_out_without_a_retry(fake, caplog) -> None:
    fake.delay = STALL
    with pytest.raises(ProviderUnavailable):
        gateway(fake, timeout=SHORT_TIMEOUT).create_order(order())
    assert len(fake.requests) == 1  # never re-sent: the first may have created the order
    assert "failed: ReadTimeout" in caplog.text  # it failed because it timed out, not for another reason


def test_an_unreachable_host_is_provider_unavailable(fake) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ProviderUnavailable):
        gateway(fake, base_url=f"http://127.0.0.1:{port}").create_order(order())


# --- notifications -----------------------------------------------------------------------------------------

def test_a_good_notification_is_paid(fake) -> None:
    fake.add_order(NO, 1990)
    headers, body = fake.notification(NO)

    notice = gateway(fake).parse_notification(headers, body, NOW + timedelta(seconds=3))

    paid = fake.orders[NO]
    assert notice == PaymentNotice(state=ChannelState.PAID, out_trade_no=NO, amount=Cny(1990),
                                   transaction_id=paid.transaction_id, paid_at=NOW)
    assert notice.paid_at.utcoffset() == timedelta(hours=8)


def test_lower_case_and_django_style_headers_work_too(fake) -> None:
    headers, body = fake.notification(NO, amount=500)
    client = gateway(fake)
    lower = {k.lower(): v for k, v in headers.items()}
    django = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    assert client.parse_notification(lower, body, NOW).amount == Cny(500)
    assert client.parse_notification(django, body, NOW).state is ChannelState.PAID


@pytest.mark.parametrize("tamper", TAMPERS)
def test_tampered_notifications_are_rejected(fake, tamper) -> None:
    headers, body = fake.notification(NO, amount=1990, tamper=tamper)
    with pytest.raises(NotificationRejected):
        gateway(fake).parse_notification(headers, body, NOW)


@pytest.mark.parametrize("missing", ["Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce",
                                     "Wechatpay-Serial"])
def test_a_missing_header_is_rejected(fake, missing) -> None:
    headers, body = fake.notification(NO, amount=1990)
    del headers[missing]
    with pytest.raises(NotificationRejected, match="missing"):
        gateway(fake).parse_notification(headers, body, NOW)


@pytest.mark.parametrize("timestamp", ["9" * 400, "9" * 5000, "\u00b2"])
def test_an_absurd_timestamp_is_stale_not_a_crash(fake, timestamp) -> None:
    """Unsigned headers are read before the signature is checked: anyone can send these."""
    headers, body = fake.notification(NO, amount=1990)
    headers["Wechatpay-Timestamp"] = timestamp
    with pytest.raises(NotificationRejected, match="stale"):
        gateway(fake).parse_notification(headers, body, NOW)


@pytest.mark.parametrize(("skew", "accepted"), [(299, True), (-299, True), (301, False), (-301, False)])
def test_notifications_older_or_newer_than_five_minutes_are_rejected(fake, skew, accepted) -> None:
    headers, body = fake.notification(NO, amount=1990)
    client = gateway(fake)
    if accepted:
        assert client.parse_notification(headers, body, NOW + timedelta(seconds=skew)).state is ChannelState.PAID
    else:
        with pytest.raises(NotificationRejected, match="stale"):
            client.parse_notification(headers, body, NOW + timedelta(seconds=skew))


def test_a_notification_without_signature_type_is_still_verified(fake) -> None:
    headers, body = fake.notification(NO, amount=1990)
    del headers["Wechatpay-Signature-Type"]
    assert gateway(fake).parse_notification(headers, body, NOW).state is ChannelState.PAID


@pytest.mark.parametrize(("trade_state", "event_type", "state"), [
    ("CLOSED", "TRANSACTION.CLOSED", ChannelState.CLOSED),
    ("NOTPAY", "TRANSACTION.NOTPAY", ChannelState.PENDING),
    ("SUCCESS", "SOMETHING.ELSE", ChannelState.PENDING),  # only TRANSACTION.SUCCESS proves payment
])
def test_other_events_map_by_trade_state(fake, trade_state, event_type, state) -> None:
    fake.add_order(NO, 1990)
    headers, body = fake.notification(NO, trade_state=trade_state, event_type=event_type)
    assert gateway(fake).parse_notification(headers, body, NOW).state is state


# --- query and close ---------------------------------------------------------------------------------------

def test_query_a_paid_order(fake) -> None:
    fake.add_order(NO, 1990, trade_state="SUCCESS")
    notice = gateway(fake).query(NO)
    assert fake.auth_errors == []
    assert fake.requests[0].method == "GET" and fake.requests[0].query == {"mchid": [MCHID]}
    assert notice == PaymentNotice(state=ChannelState.PAID, out_trade_no=NO, amount=Cny(1990),
                                   transaction_id=fake.orders[NO].transaction_id, paid_at=NOW)


@pytest.mark.parametrize(("trade_state", "state"), [
    ("NOTPAY", ChannelState.PENDING), ("USERPAYING", ChannelState.PENDING), ("CLOSED", ChannelState.CLOSED),
    ("REVOKED", ChannelState.CLOSED), ("PAYERROR", ChannelState.CLOSED), ("REFUND", ChannelState.PAID),
])
def test_query_maps_trade_states(fake, trade_state, state) -> None:
    fake.add_order(NO, 1990, trade_state=trade_state)
    notice = gateway(fake).query(NO)
    assert (notice.state, notice.amount) == (state, Cny(1990))


def test_query_an_unknown_order_is_not_found(fake) -> None:
    assert gateway(fake).query("SR_UNKNOWN_0001") == PaymentNotice(ChannelState.NOT_FOUND, "SR_UNKNOWN_0001")


def test_query_escapes_the_out_trade_no_it_signs(fake) -> None:
    fake.add_order("SR|2026*01", 100)
    assert gateway(fake).query("SR|2026*01").state is ChannelState.PENDING
    assert fake.auth_errors == []


@pytest.mark.parametrize("answer", [
    error(500, "SYSTEM_ERROR", "系统繁忙"), Response(404, "<html>nginx</html>", {"Content-Type": "text/html"}),
])
def test_query_failures_are_provider_unavailable(fake, answer) -> None:
    fake.override = lambda request: answer
    with pytest.raises(ProviderUnavailable):
        gateway(fake).query(NO)


def test_query_with_a_forged_answer_is_provider_unavailable(fake) -> None:
    fake.add_order(NO, 1990, trade_state="SUCCESS")
    fake.sign_with = "other"
    with pytest.raises(ProviderUnavailable):
        gateway(fake).query(NO)


def test_close_an_unpaid_order(fake) -> None:
    fake.add_order(NO, 1990)
    assert gateway(fake).close(NO) is None
    assert fake.orders[NO].trade_state == "CLOSED"
    assert json.loads(fake.requests[0].body) == {"mchid": MCHID} and fake.auth_errors == []


def test_closing_twice_or_an_unknown_order_is_fine(fake) -> None:
    fake.add_order(NO, 1990)
    client = gateway(fake)
    client.close(NO)
    client.close(NO)
    client.close("SR_UNKNOWN_0001")
    assert len(fake.requests) == 3


def test_closing_a_paid_order_is_payment_failed(fake) -> None:
    fake.add_order(NO, 1990, trade_state="SUCCESS")
    with pytest.raises(PaymentFailed, match="订单已支付"):
        gateway(fake).close(NO)


def test_close_with_an_unsigned_204_is_provider_unavailable(fake) -> None:
    fake.add_order(NO, 1990)
    fake.sign_with = "none"
    with pytest.raises(ProviderUnavailable):
        gateway(fake).close(NO)


# --- secrets -----------------------------------------------------------------------------------------------

def test_config_rejects_a_short_apiv3_key(fake) -> None:
    with pytest.raises(ValueError) as raised:
        fake.config(apiv3_key="short")
    assert "short" not in str(raised.value)


def test_logs_and_reprs_never_show_keys(fake, keys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = gateway(fake)
    client.create_order(order())
    for tamper in (None, "probe", "wrong_apiv3"):
        headers, body = fake.notification(NO, tamper=tamper)
        try:
            client.parse_notification(headers, body, NOW)
        except NotificationRejected:
            pass
    fake.override = lambda request: error(400, "PARAM_ERROR", "bad")
    with pytest.raises(PaymentFailed):
        client.create_order(order("SR20261124000002"))

    visible = caplog.text + repr(client) + repr(fake.config()) + str(fake.config())
    private_body = keys.merchant_private_pem.splitlines()[1]
    assert "wechat notification rejected: bad signature" in caplog.text
    for secret in (private_body, APIV3_KEY, headers["Wechatpay-Signature"], body.decode()):
        assert secret not in visible
    assert "PUBLIC KEY" not in repr(fake.config())
    assert isinstance(fake.config(), WeChatPayConfig)
