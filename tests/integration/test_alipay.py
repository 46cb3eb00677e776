"""AlipayGateway end to end against a local fake Alipay gateway (tests/support/fake_alipay.py).

The fake verifies our request signatures and signs its answers with its own code, so signing bugs in the
adapter show up as refusals here rather than cancelling out.
"""
from __future__ import annotations

import json
import logging
import socket
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote_plus

import pytest

from adapters.clock import FixedClock
from adapters.payments.alipay import AlipayGateway, raw_json_member
from skyriff_domain.errors import NotificationRejected, PaymentFailed, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentOrder
from tests.support.fake_alipay import AlipayKeys, FakeAlipay, make_alipay_keys
from tests.support.http_server import SHORT_TIMEOUT, STALL, Response

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
ORDER = PaymentOrder(out_trade_no="P20260115000001", amount=Cny.of("30.00"), description="积分充值 300 积分",
                     expires_at=NOW + timedelta(minutes=30))


@pytest.fixture(scope="module")
def keys() -> AlipayKeys:
    return make_alipay_keys()  # RSA generation is the slow part: once per module


@pytest.fixture
def fake(keys):
    with FakeAlipay(keys) as server:
        yield server


@pytest.fixture
def gateway(fake) -> AlipayGateway:
    return AlipayGateway(fake.config(), clock=FixedClock(NOW).now)


def _body(params: dict[str, str]) -> dict[str, str]:
    return json.loads(params["biz_content"])


# --- create_order ----------------------------------------------------------------------------------------

def test_order_string_carries_the_signed_app_pay_params(fake, gateway) -> None:
    order_string = gateway.create_order(ORDER)["order_string"]
    params = fake.check_order_string(order_string)  # verifies with our app PUBLIC key, sign_type included
    assert order_string.endswith("&sign=" + quote_plus(params["sign"]))
    assert {k: v for k, v in params.items() if k not in ("sign", "biz_content")} == {
        "app_id": fake.app_id, "method": "alipay.trade.app.pay", "format": "JSON", "charset": "utf-8",
        "sign_type": "RSA2", "timestamp": "2026-01-15 10:00:00", "version": "1.0",
        "notify_url": "https://api.skyriff.test/v1/payments/callback/alipay",
    }
    assert _body(params) == {"out_trade_no": "P20260115000001", "total_amount": "30.00",
                             "subject": "积分充值 300 积分", "product_code": "QUICK_MSECURITY_PAY",
                             "time_expire": "2026-01-15 10:30:00"}
    assert '"subject":"积分充值 300 积分"' in params["biz_content"]  # compact, not ASCII-escaped
    assert " " not in order_string and "积" not in order_string  # every value URL-encoded
    assert fake.requests == []  # Alipay creates the trade only when the cashier opens


def test_order_subject_is_truncated_and_fen_are_exact(fake, gateway) -> None:
    order = PaymentOrder("P20260115000002", Cny(1), "长" * 300, NOW + timedelta(hours=1))
    biz = _body(fake.check_order_string(gateway.create_order(order)["order_string"]))
    assert biz["subject"] == "长" * 256 and biz["total_amount"] == "0.01"


def test_order_of_nothing_is_refused(gateway) -> None:
    with pytest.raises(PaymentFailed):
        gateway.create_order(PaymentOrder("P20260115000003", Cny(0), "x", NOW))


def test_config_and_gateway_reprs_hide_keys(fake, gateway, keys) -> None:
    for text in (repr(fake.config()), repr(gateway)):
        assert "BEGIN" not in text and keys.app_private_pem[40:80] not in text


# --- notifications ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["TRADE_SUCCESS", "TRADE_FINISHED"])
def test_paid_notification_is_paid(fake, gateway, status) -> None:
    trade = fake.pay("P20260115000001", Cny.of("30.00"))
    notice = gateway.parse_notification({}, fake.notification("P20260115000001", trade_status=status), NOW)
    assert notice.state is ChannelState.PAID
    assert notice.out_trade_no == "P20260115000001" and notice.amount == Cny.of("30.00")
    assert notice.transaction_id == trade.trade_no
    assert notice.paid_at == datetime(2026, 1, 15, 2, 5, tzinfo=timezone.utc)


def test_closed_notification_is_closed(fake, gateway) -> None:
    fake.open_cashier("P20260115000001", "30.00")
    notice = gateway.parse_notification({}, fake.notification("P20260115000001", trade_status="TRADE_CLOSED"), NOW)
    assert notice.state is ChannelState.CLOSED and notice.paid_at is None


@pytest.mark.parametrize("tamper", ["forged", "wrong_key", "wrong_app_id", "wrong_seller_id", "amount",
                                    "unsigned", "sign_type"])
def test_tampered_notification_is_rejected(fake, gateway, tamper) -> None:
    fake.pay("P20260115000001", "30.00")
    with pytest.raises(NotificationRejected):
        gateway.parse_notification({}, fake.notification("P20260115000001", tamper=tamper), NOW)


@pytest.mark.parametrize("body", [b"", b"\xff\xfe", b"a=%FF", b"garbage", b"sign=abc&sign=abc"])
def test_undecodable_notification_is_rejected(gateway, body) -> None:
    with pytest.raises(NotificationRejected):
        gateway.parse_notification({}, body, NOW)


def test_unknown_status_and_bad_amount_are_rejected_even_when_signed(fake, gateway) -> None:
    fake.pay("P20260115000001", "30.00")
    for body in (fake.notification("P20260115000001", trade_status="TRADE_WHATEVER"),
                 fake.notification("P20260115000001", amount="30.001"),
                 fake.notification("P20260115000001", amount="1e3")):
        with pytest.raises(NotificationRejected):
            gateway.parse_notification({}, body, NOW)


# --- query -----------------------------------------------------------------------------------------------

def test_query_before_the_cashier_opened_is_not_found(fake, gateway) -> None:
    assert gateway.query("P20260115000001").state is ChannelState.NOT_FOUND
    request = fake.requests[-1]
    assert request.method == "POST" and b"sign_type=RSA2" in request.body


def test_query_of_an_open_trade_is_pending(fake, gateway) -> None:
    fake.open_cashier("P20260115000001", "30.00")
    notice = gateway.query("P20260115000001")
    assert notice.state is ChannelState.PENDING and notice.amount == Cny.of("30.00")


@pytest.mark.parametrize("layout", ["compact", "loose"])
def test_query_of_a_paid_trade_is_paid(fake, gateway, layout) -> None:
    fake.layout = layout  # loose: other key order, odd spacing, a decoy member: the raw text still verifies
    trade = fake.pay("P20260115000001", "30.00")
    notice = gateway.query("P20260115000001")
    assert notice.state is ChannelState.PAID and notice.amount == Cny.of("30.00")
    assert notice.transaction_id == trade.trade_no
    assert notice.paid_at == datetime(2026, 1, 15, 2, 5, tzinfo=timezone.utc)


def test_response_signed_with_another_key_is_unavailable(fake, gateway) -> None:
    fake.pay("P20260115000001", "30.00")
    fake.response_signer = "stranger"
    with pytest.raises(ProviderUnavailable):
        gateway.query("P20260115000001")


def test_gateway_refusing_our_signature_is_unavailable(fake, keys) -> None:
    # Signing with Alipay's key instead of ours: the fake answers error_response isv.invalid-signature.
    gateway = AlipayGateway(fake.config(app_private_key_pem=keys.alipay_private_pem), clock=FixedClock(NOW).now)
    with pytest.raises(ProviderUnavailable):
        gateway.query("P20260115000001")


def test_http_500_is_unavailable(fake, gateway) -> None:
    fake.outage = Response(500, "oops", {"Content-Type": "text/plain"})
    with pytest.raises(ProviderUnavailable):
        gateway.query("P20260115000001")


def test_timeout_is_unavailable(fake, caplog) -> None:
    gateway = AlipayGateway(fake.config(timeout=SHORT_TIMEOUT), clock=FixedClock(NOW).now)
    fake.outage = Response(200, "{}", delay=STALL)
    with pytest.raises(ProviderUnavailable):
        gateway.query("P20260115000001")
    assert len(fake.requests) == 1
    assert "failed: timeout" in caplog.text  # it failed because it timed out, not for another reason


def test_connection_refused_is_unavailable(fake) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = AlipayGateway(fake.config(gateway_url=f"http://127.0.0.1:{port}/gateway.do"))
    with pytest.raises(ProviderUnavailable):
        gateway.query("P20260115000001")


def test_raw_member_extraction_is_exact() -> None:
    text = '{"a" : "x\\"}{", "r":  { "k" : [1, {"z": "}"}] , "s":"\\\\"} , "n": -1.5e3}'
    assert raw_json_member(text, "r") == '{ "k" : [1, {"z": "}"}] , "s":"\\\\"}'
    assert raw_json_member(text, "n") == "-1.5e3" and raw_json_member(text, "zz") is None
    with pytest.raises(ValueError):
        raw_json_member('{"r": 1, "r": 2}', "r")


# --- close -----------------------------------------------------------------------------------------------

def test_close_an_open_trade(fake, gateway) -> None:
    fake.open_cashier("P20260115000001", "30.00")
    gateway.close("P20260115000001")
    assert fake.trades["P20260115000001"].status == "TRADE_CLOSED"
    gateway.close("P20260115000001")  # already closed: status error, the query says closed → fine


def test_close_an_unknown_trade_is_fine(fake, gateway, caplog) -> None:
    caplog.set_level(logging.INFO, logger="skyriff.payments.alipay")
    assert gateway.close("P20260115000001") is None  # no error: the cashier never opened, nothing to close
    [request] = fake.requests  # one signed close, no query needed to decide
    assert dict(parse_qsl(request.body.decode()))["method"] == "alipay.trade.close"
    assert "P20260115000001" not in fake.trades  # closing did not make the trade exist
    assert "alipay close of P20260115000001: ACQ.TRADE_NOT_EXIST" in caplog.text


def test_close_a_paid_trade_fails(fake, gateway) -> None:
    fake.pay("P20260115000001", "30.00")
    with pytest.raises(PaymentFailed, match="订单已支付"):
        gateway.close("P20260115000001")


def test_close_during_an_outage_is_unavailable(fake, gateway) -> None:
    fake.outage = Response(502, "bad gateway")
    with pytest.raises(ProviderUnavailable):
        gateway.close("P20260115000001")


# --- logs ------------------------------------------------------------------------------------------------

def test_logs_never_carry_keys_or_signatures(fake, gateway, keys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    order_string = gateway.create_order(ORDER)["order_string"]
    fake.pay(ORDER.out_trade_no, ORDER.amount)
    body = fake.notification(ORDER.out_trade_no)
    gateway.parse_notification({}, body, NOW)
    for tamper in ("forged", "wrong_app_id"):
        with pytest.raises(NotificationRejected):
            gateway.parse_notification({}, fake.notification(ORDER.out_trade_no, tamper=tamper), NOW)
    gateway.query(ORDER.out_trade_no)
    with pytest.raises(PaymentFailed):
        gateway.close(ORDER.out_trade_no)
    assert "alipay" in caplog.text  # something was logged
    key_lines = [line for line in keys.app_private_pem.splitlines() if "-----" not in line]
    signature = fake.check_order_string(order_string)["sign"]
    for secret in [*key_lines, "PRIVATE KEY", signature[:24]]:
        assert secret not in caplog.text
