"""One contract for every PayoutGateway: the sandbox (both channels) and the real adapters on their fakes.

Each harness knows how to make a payee who gets paid, one who fails for good, how to let the channel finish
(WeChat waits for the payee to confirm), and how to lose the answer to a transfer that did happen.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import attrs
import pytest

from adapters.clock import FixedClock
from adapters.payments.alipay_transfers import AlipayTransferGateway
from adapters.payments.sandbox_book import SandboxBook
from adapters.payments.sandbox_payouts import SandboxPayoutGateway
from adapters.sqlalchemy.sandbox_book import SqlSandboxBook
from adapters.payments.wechatpay_transfers import WeChatPayTransferGateway, WeChatTransferScene
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, PayoutGateway, TransferOrder, TransferState
from tests.support.fake_alipay import FakeAlipay, make_alipay_keys
from tests.support.fake_alipay_certs import make_alipay_certs
from tests.support.fake_alipay_funds import FundsDesk
from tests.support.fake_wechatpay import APPID, FakeWeChatPay, make_wechatpay_keys
from tests.support.fake_wechatpay_transfers import TransferDesk

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
SCENE = WeChatTransferScene("1005", (("岗位类型", "视频创作者"), ("报酬说明", "创作收益提现")))
AMOUNT = Cny(8550)


@attrs.define
class Harness:
    gateway: PayoutGateway
    channel: str
    payee_app_id: str | None
    good: str  # a payee account that gets paid
    failing: str  # a payee account that fails for good
    lost: str  # a payee account whose first answer is lost (sandbox: a marker; fakes: any good account)
    settle: Callable[[str], None]  # let the channel and the payee finish the bill
    paid: Callable[[str], int]  # fen that reached the account
    losing: Callable[[], contextlib.AbstractContextManager[PayoutGateway]]  # a gateway whose next answer is lost


def _sandbox(channel: str, book: SandboxBook | None = None) -> Iterator[Harness]:
    gateway = SandboxPayoutGateway(channel, book)
    yield Harness(gateway, channel, None, "creator@example.com", "creator[fail]@example.com",
                  "creator[timeout]@example.com", settle=lambda no: None, paid=lambda a: gateway.paid_to(a).minor,
                  losing=lambda: contextlib.nullcontext(gateway))


def _wechat() -> Iterator[Harness]:
    with FakeWeChatPay(make_wechatpay_keys(), now=lambda: NOW) as fake:
        desk = TransferDesk(fake)
        desk.frozen.add("oFrozenOpenid000000000000000")

        def settle(no: str) -> None:
            if desk.bills[no].state == "WAIT_USER_CONFIRM":
                desk.confirm(no)

        @contextlib.contextmanager
        def losing() -> Iterator[PayoutGateway]:
            fake.delay = 2
            try:
                yield WeChatPayTransferGateway(fake.config(timeout=0.5), SCENE, clock=lambda: NOW)
            finally:
                fake.delay = 0
        gateway = WeChatPayTransferGateway(fake.config(), SCENE, clock=lambda: NOW)
        openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
        yield Harness(gateway, "wechat", APPID, openid, "oFrozenOpenid000000000000000", openid, settle=settle,
                      paid=desk.paid, losing=losing)


def _alipay() -> Iterator[Harness]:
    keys = make_alipay_keys()
    with FakeAlipay(keys, certs=make_alipay_certs(keys)) as fake:
        desk = FundsDesk(fake)
        desk.payees["creator@example.com"] = "张三"

        @contextlib.contextmanager
        def losing() -> Iterator[PayoutGateway]:
            fake.delay_after = 2
            try:
                yield AlipayTransferGateway(fake.config(timeout=0.5), clock=FixedClock(NOW).now)
            finally:
                fake.delay_after = 0
        gateway = AlipayTransferGateway(fake.config(), clock=FixedClock(NOW).now)
        yield Harness(gateway, "alipay", None, "creator@example.com", "nobody@example.com", "creator@example.com",
                      settle=lambda no: None, paid=lambda a: int(desk.paid(a) * 100), losing=losing)


@pytest.fixture(params=["sandbox-wechat", "sandbox-alipay", "sandbox-alipay-sqlite",
                        pytest.param("sandbox-wechat-postgres", marks=pytest.mark.postgres), "wechat-fake",
                        "alipay-fake"])
def harness(request) -> Iterator[Harness]:
    kind = request.param
    if kind.startswith("sandbox-") and kind.count("-") == 2:  # the book in the database, as the server runs it
        _, channel, database = kind.split("-")
        engine = request.getfixturevalue("sqlite_engine" if database == "sqlite" else "pg_engine")
        yield from _sandbox(channel, SqlSandboxBook(engine))
        return
    factory = {"sandbox-wechat": lambda: _sandbox("wechat"), "sandbox-alipay": lambda: _sandbox("alipay"),
               "wechat-fake": _wechat, "alipay-fake": _alipay}[kind]
    yield from factory()


def order(no: str, account: str) -> TransferOrder:
    return TransferOrder(bill_no=no, amount=AMOUNT, payee_account=account, payee_name="张三", remark="收益提现")


def test_the_gateway_names_its_channel(harness) -> None:
    assert harness.gateway.channel == harness.channel
    assert harness.gateway.payee_app_id == harness.payee_app_id


def test_a_payout_reaches_the_payee_once(harness) -> None:
    first = harness.gateway.transfer(order("WD20261124000001", harness.good))
    assert first.state in (TransferState.SUCCESS, TransferState.PROCESSING, TransferState.WAIT_USER_CONFIRM)
    harness.settle("WD20261124000001")
    done = harness.gateway.query("WD20261124000001")
    assert done.state is TransferState.SUCCESS and done.channel_ref
    again = harness.gateway.transfer(order("WD20261124000001", harness.good))
    assert (again.state, again.channel_ref) == (TransferState.SUCCESS, done.channel_ref)
    assert harness.paid(harness.good) == AMOUNT.minor


def test_a_bill_the_channel_never_saw_is_not_found(harness) -> None:
    assert harness.gateway.query("WD20261124999999").state is TransferState.NOT_FOUND


def test_a_failing_payee_fails_for_good_with_a_reason(harness) -> None:
    result = harness.gateway.transfer(order("WD20261124000002", harness.failing))
    assert result.state is TransferState.FAILED and result.reason
    assert harness.gateway.transfer(order("WD20261124000002", harness.failing)).state is TransferState.FAILED
    assert harness.gateway.query("WD20261124000002").state in (TransferState.FAILED, TransferState.NOT_FOUND)
    assert harness.paid(harness.failing) == 0


def test_a_lost_answer_is_unknown_and_the_query_never_says_not_found(harness) -> None:
    with harness.losing() as losing, pytest.raises(OutcomeUnknown):
        losing.transfer(order("WD20261124000003", harness.lost))
    assert harness.gateway.query("WD20261124000003").state is not TransferState.NOT_FOUND
    harness.settle("WD20261124000003")
    assert harness.gateway.query("WD20261124000003").state is TransferState.SUCCESS
    assert harness.gateway.transfer(order("WD20261124000003", harness.lost)).state is TransferState.SUCCESS
    assert harness.paid(harness.lost) == AMOUNT.minor


def test_amounts_stay_exact_to_the_fen(harness) -> None:
    harness.gateway.transfer(TransferOrder("WD20261124000004", Cny(1001), harness.good, "张三", "十元零一分"))
    harness.settle("WD20261124000004")
    assert harness.gateway.query("WD20261124000004").state is TransferState.SUCCESS
    assert harness.paid(harness.good) == 1001
