"""AlipayRefundGateway end to end against the Alipay fake (public-key mode) and its funds desk."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest

from adapters.clock import FixedClock
from adapters.payments.alipay_refunds import AlipayRefundGateway
from skyriff_domain.errors import NotificationRejected, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, RefundOrder, RefundResult, RefundState
from tests.support.fake_alipay import AlipayKeys, FakeAlipay, make_alipay_keys
from tests.support.fake_alipay_certs import make_alipay_certs
from tests.support.fake_alipay_funds import FundsDesk
from tests.support.http_server import Response

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
TRADE = "P20260115000001"
NO = "RF20260115000001"


@pytest.fixture(scope="module")
def keys() -> AlipayKeys:
    return make_alipay_keys()


@pytest.fixture(params=["public-key", "certificate"])
def fake(request, keys):
    with FakeAlipay(keys, certs=make_alipay_certs(keys) if request.param == "certificate" else None) as server:
        server.pay(TRADE, "30.00")
        yield server


@pytest.fixture
def desk(fake) -> FundsDesk:
    return FundsDesk(fake)


def gateway(fake: FakeAlipay, **overrides) -> AlipayRefundGateway:
    return AlipayRefundGateway(fake.config(**overrides), clock=FixedClock(NOW).now)


def order(no: str = NO, fen: int = 3000, trade: str = TRADE) -> RefundOrder:
    return RefundOrder(refund_no=no, out_trade_no=trade, amount=Cny(fen), total=Cny(3000), reason="积分包未使用，全额退款")


def biz_of(fake: FakeAlipay, index: int = 0) -> dict:
    params = dict(parse_qsl(fake.requests[index].body.decode()))
    return {"method": params["method"], **json.loads(params["biz_content"])}


def test_a_refund_is_answered_at_once(fake, desk) -> None:
    result = gateway(fake).refund(order())
    assert result == RefundResult(RefundState.SUCCESS, channel_ref=fake.trades[TRADE].trade_no)
    assert biz_of(fake) == {"method": "alipay.trade.refund", "out_trade_no": TRADE, "refund_amount": "30.00",
                            "out_request_no": NO, "refund_reason": "积分包未使用，全额退款"}
    assert desk.refunded(TRADE) == Decimal("30.00")


def test_asking_again_never_refunds_twice(fake, desk) -> None:
    client = gateway(fake)
    client.refund(order())
    again = client.refund(order())  # 10000 with fund_change "N": the query confirms it was done
    assert again.state is RefundState.SUCCESS and desk.refunded(TRADE) == Decimal("30.00")
    assert biz_of(fake, -1)["method"] == "alipay.trade.fastpay.refund.query"


def test_a_partial_refund_then_another_number_for_the_rest(fake, desk) -> None:
    client = gateway(fake)
    assert client.refund(order(fen=1000)).state is RefundState.SUCCESS
    assert client.refund(order(no="RF20260115000002", fen=2000)).state is RefundState.SUCCESS
    assert desk.refunded(TRADE) == Decimal("30.00")


def test_the_same_number_with_another_amount_reports_the_existing_refund(fake, desk) -> None:
    client = gateway(fake)
    client.refund(order(fen=1000))
    assert client.refund(order(fen=2000)).state is RefundState.SUCCESS  # DISCORDANT_REPEAT_REQUEST → query
    assert desk.refunded(TRADE) == Decimal("10.00")


@pytest.mark.parametrize(("setup", "reason"), [
    (lambda fake: fake.open_cashier("P20260115000009", "30.00"), "交易状态不允许退款（已关闭或已完结）（ACQ.TRADE_STATUS_ERROR）"),
    (lambda fake: None, "支付宝交易不存在（ACQ.TRADE_NOT_EXIST）"),
])
def test_refusals_are_failed_with_a_reason(fake, desk, setup, reason) -> None:
    setup(fake)
    result = gateway(fake).refund(order(trade="P20260115000009"))
    assert result == RefundResult(RefundState.FAILED, reason=reason)


def test_more_than_what_was_paid_is_failed(fake, desk) -> None:
    gateway(fake).refund(order(no="RF20260115000002", fen=2000))
    result = gateway(fake).refund(order(fen=2000))
    assert result.state is RefundState.FAILED and "ACQ.REASON_TRADE_REFUND_FEE_ERR" in result.reason


@pytest.mark.parametrize("sub_code", ["ACQ.SYSTEM_ERROR", "ACQ.SELLER_BALANCE_NOT_ENOUGH"])
def test_answers_that_say_try_again_are_unknown(fake, desk, sub_code) -> None:
    desk.next_answer = {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": "稍后再试"}
    with pytest.raises(OutcomeUnknown):
        gateway(fake).refund(order())
    assert gateway(fake).query_refund(NO, TRADE).state is RefundState.NOT_FOUND
    assert gateway(fake).refund(order()).state is RefundState.SUCCESS


def test_a_timeout_after_the_refund_is_unknown_and_the_query_finds_it(fake, desk) -> None:
    fake.delay_after = 2
    with pytest.raises(OutcomeUnknown):
        gateway(fake, timeout=0.5).refund(order())
    fake.delay_after = 0
    assert gateway(fake).query_refund(NO, TRADE).state is RefundState.SUCCESS
    assert gateway(fake).refund(order()).state is RefundState.SUCCESS and desk.refunded(TRADE) == Decimal("30.00")


@pytest.mark.parametrize("outage", [Response(500, "oops", {"Content-Type": "text/plain"}), Response(200, "{}", delay=2)])
def test_outages_are_unknown_and_queries_unavailable(fake, desk, outage) -> None:
    fake.outage = outage
    with pytest.raises(OutcomeUnknown):
        gateway(fake, timeout=0.5).refund(order())
    with pytest.raises(ProviderUnavailable):
        gateway(fake, timeout=0.5).query_refund(NO, TRADE)


def test_a_forged_answer_is_unknown(fake, desk) -> None:
    fake.response_signer = "stranger"
    with pytest.raises(OutcomeUnknown):
        gateway(fake).refund(order())


def test_query_unknown_refunds_and_trades_are_not_found(fake, desk) -> None:
    assert gateway(fake).query_refund(NO, TRADE) == RefundResult(RefundState.NOT_FOUND)
    assert gateway(fake).query_refund(NO, "P20260115999999") == RefundResult(RefundState.NOT_FOUND)


def test_alipay_sends_no_refund_notifications(fake, desk) -> None:
    with pytest.raises(NotificationRejected) as raised:
        gateway(fake).parse_refund_notification({}, b"refund_fee=30.00", NOW + timedelta(seconds=1))
    assert raised.value.code == 3004
