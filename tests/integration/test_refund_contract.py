"""One contract for every RefundGateway: the sandbox and the real adapters on their fakes."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import attrs
import pytest

from adapters.clock import FixedClock
from adapters.payments.alipay_refunds import AlipayRefundGateway
from adapters.payments.sandbox_book import SandboxBook
from adapters.payments.sandbox_refunds import SandboxRefundGateway
from adapters.sqlalchemy.sandbox_book import SqlSandboxBook
from adapters.payments.wechatpay_refunds import WeChatPayRefundGateway
from skyriff_domain.errors import NotificationRejected
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, RefundGateway, RefundOrder, RefundState
from tests.support.fake_alipay import FakeAlipay, make_alipay_keys
from tests.support.fake_alipay_funds import FundsDesk
from tests.support.fake_wechatpay import FakeWeChatPay, make_wechatpay_keys
from tests.support.fake_wechatpay_refunds import RefundDesk

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
TRADE = "SR20261124000001"
TOTAL = Cny(3000)


@attrs.define
class Harness:
    gateway: RefundGateway
    channel: str
    settle: Callable[[str], None]  # let the channel finish the refund
    refunded: Callable[[], int]  # fen given back for TRADE
    losing: Callable[[], contextlib.AbstractContextManager[RefundGateway]] | None  # None: answers are never lost
    notifies: bool


def _sandbox(book: SandboxBook | None = None) -> Iterator[Harness]:
    gateway = SandboxRefundGateway(book=book)
    yield Harness(gateway, "sandbox", settle=lambda no: None, refunded=lambda: gateway.refunded(TRADE).minor,
                  losing=None, notifies=False)


def _wechat() -> Iterator[Harness]:
    with FakeWeChatPay(make_wechatpay_keys(), now=lambda: NOW) as fake:
        fake.add_order(TRADE, TOTAL.minor, trade_state="SUCCESS")
        desk = RefundDesk(fake)
        notify = "https://api.skyriff.test/v1/payments/refund_callback/wechat"

        def settle(no: str) -> None:
            if desk.refunds[no].status == "PROCESSING":
                desk.settle(no)

        @contextlib.contextmanager
        def losing() -> Iterator[RefundGateway]:
            fake.delay = 2
            try:
                yield WeChatPayRefundGateway(fake.config(timeout=0.5), notify, clock=lambda: NOW)
            finally:
                fake.delay = 0
        yield Harness(WeChatPayRefundGateway(fake.config(), notify, clock=lambda: NOW), "wechat", settle=settle,
                      refunded=lambda: desk.refunded(TRADE), losing=losing, notifies=True)


def _alipay() -> Iterator[Harness]:
    with FakeAlipay(make_alipay_keys()) as fake:
        fake.pay(TRADE, TOTAL)
        desk = FundsDesk(fake)

        @contextlib.contextmanager
        def losing() -> Iterator[RefundGateway]:
            fake.delay_after = 2
            try:
                yield AlipayRefundGateway(fake.config(timeout=0.5), clock=FixedClock(NOW).now)
            finally:
                fake.delay_after = 0
        yield Harness(AlipayRefundGateway(fake.config(), clock=FixedClock(NOW).now), "alipay",
                      settle=lambda no: None, refunded=lambda: int(desk.refunded(TRADE) * 100), losing=losing,
                      notifies=False)


HARNESSES = {"sandbox": _sandbox, "wechat-fake": _wechat, "alipay-fake": _alipay}


@pytest.fixture(params=[*HARNESSES, "sandbox-sqlite", pytest.param("sandbox-postgres", marks=pytest.mark.postgres)])
def harness(request) -> Iterator[Harness]:
    if request.param in ("sandbox-sqlite", "sandbox-postgres"):  # the book in the database, as the server runs it
        engine = request.getfixturevalue("sqlite_engine" if request.param == "sandbox-sqlite" else "pg_engine")
        yield from _sandbox(SqlSandboxBook(engine))
        return
    yield from HARNESSES[request.param]()


@pytest.fixture(params=["wechat-fake", "alipay-fake"])
def remote(request) -> Iterator[Harness]:
    """The channels whose answers can get lost on the way."""
    yield from HARNESSES[request.param]()


@pytest.fixture(params=["sandbox", "alipay-fake"])
def silent(request) -> Iterator[Harness]:
    """The channels that send no refund notifications."""
    yield from HARNESSES[request.param]()


def order(no: str) -> RefundOrder:
    return RefundOrder(refund_no=no, out_trade_no=TRADE, amount=TOTAL, total=TOTAL, reason="未使用，全额退款")


def test_the_gateway_names_its_channel(harness) -> None:
    assert harness.gateway.channel == harness.channel


def test_a_refund_is_given_back_once(harness) -> None:
    first = harness.gateway.refund(order("RF1"))
    assert first.state in (RefundState.SUCCESS, RefundState.PROCESSING)
    harness.settle("RF1")
    assert harness.gateway.query_refund("RF1", TRADE).state is RefundState.SUCCESS
    assert harness.gateway.refund(order("RF1")).state is RefundState.SUCCESS
    assert harness.refunded() == TOTAL.minor


def test_a_refund_the_channel_never_saw_is_not_found(harness) -> None:
    assert harness.gateway.query_refund("RF9", TRADE).state is RefundState.NOT_FOUND


def test_a_lost_answer_is_unknown_and_the_query_never_says_not_found(remote) -> None:
    assert remote.losing is not None
    with remote.losing() as losing, pytest.raises(OutcomeUnknown):
        losing.refund(order("RF2"))
    assert remote.gateway.query_refund("RF2", TRADE).state is not RefundState.NOT_FOUND
    remote.settle("RF2")
    assert remote.gateway.refund(order("RF2")).state is RefundState.SUCCESS
    assert remote.refunded() == TOTAL.minor


def test_channels_without_refund_notifications_refuse_them(silent) -> None:
    assert not silent.notifies
    with pytest.raises(NotificationRejected):
        silent.gateway.parse_refund_notification({}, b"{}", NOW)
