"""Alipay in public-key-certificate mode: every call carries the SNs, answers must name Alipay's certificate."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from adapters.clock import FixedClock
from adapters.payments.alipay import AlipayGateway
from skyriff_domain.errors import ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentOrder
from tests.support.fake_alipay import AlipayKeys, FakeAlipay, make_alipay_keys
from tests.support.fake_alipay_certs import make_alipay_certs

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
ORDER = PaymentOrder(out_trade_no="P20260115000001", amount=Cny.of("30.00"), description="积分充值 300 积分",
                     expires_at=NOW + timedelta(minutes=30))


@pytest.fixture(scope="module")
def keys() -> AlipayKeys:
    return make_alipay_keys()


@pytest.fixture
def fake(keys):
    with FakeAlipay(keys, certs=make_alipay_certs(keys)) as server:
        yield server


def gateway(fake: FakeAlipay, **overrides) -> AlipayGateway:
    return AlipayGateway(fake.config(**overrides), clock=FixedClock(NOW).now)


def test_the_order_string_carries_both_sns(fake) -> None:
    params = fake.check_order_string(gateway(fake).create_order(ORDER)["order_string"])
    assert params["app_cert_sn"] == fake.certs.app_cert_sn
    assert params["alipay_root_cert_sn"] == fake.certs.root_cert_sn


def test_queries_and_notifications_verify_with_the_key_in_alipays_certificate(fake) -> None:
    fake.pay(ORDER.out_trade_no, ORDER.amount)
    client = gateway(fake)
    assert client.query(ORDER.out_trade_no).state is ChannelState.PAID
    assert client.parse_notification({}, fake.notification(ORDER.out_trade_no), NOW).state is ChannelState.PAID


def test_an_answer_signed_under_another_alipay_certificate_is_refused(fake) -> None:
    fake.pay(ORDER.out_trade_no, ORDER.amount)
    fake.certs = attrs.evolve(fake.certs, alipay_cert_sn="0" * 32)  # Alipay rotated its certificate
    with pytest.raises(ProviderUnavailable):
        gateway(fake).query(ORDER.out_trade_no)


def test_a_wrong_app_certificate_is_refused_by_the_gateway(fake) -> None:
    with pytest.raises(ProviderUnavailable):
        gateway(fake, app_cert_pem=fake.certs.alipay_cert_pem).query(ORDER.out_trade_no)
    assert fake.requests  # it went out, and Alipay said isv.invalid-app-cert-sn


def test_half_a_certificate_setup_does_not_start(fake) -> None:
    with pytest.raises(ValueError, match="certificate mode needs"):
        gateway(fake, alipay_root_cert_pem=None)
