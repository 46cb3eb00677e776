"""Withdrawals pay out through their channel exactly once: the checks before a hold, the transfer sent on
approval, a final failure returning the coins, an unknown result queried and never sent blindly again."""
from datetime import date
from decimal import Decimal

import attrs
import pytest

from skyriff_domain.errors import (
    InsufficientCoins,
    InvalidRequest,
    InvalidWithdrawalAmount,
    MinorLimit,
    NotAllowed,
    VerificationRequired,
)
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.model.withdrawal import Transfer, WithdrawalStatus
from skyriff_domain.money import Cny, Coins
from skyriff_domain.ports import OutcomeUnknown
from skyriff_domain.ports.payouts import TransferResult, TransferState
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.money_out import id_number
from tests.support.usecases import buy_pack, payouts, verify, wallets, withdrawals

ALIPAY = {"account": "user@example.com", "name": "张三"}


@pytest.fixture
def earner(fakes, make_user):
    uid = make_user()
    buy_pack(fakes, uid, "500.00", coins="500.00")
    fakes.clock.advance(days=7)
    verify(fakes, uid)
    return uid


def apply(fakes, uid, amount="150.00", method="alipay", info=None):
    return withdrawals(fakes).apply(uid, Decimal(amount), method, info or ALIPAY)


def coins(fakes, uid):
    view = wallets(fakes).overview(uid)
    return view.coins_available, view.coins_held


def test_the_checks_come_in_the_order_the_spec_needs(fakes, make_user):
    uid = make_user()
    buy_pack(fakes, uid, "200.00", coins="200.00")
    fakes.clock.advance(days=7)
    with pytest.raises(InvalidWithdrawalAmount):  # 2006 first
        apply(fakes, uid, "99.00")
    with pytest.raises(InsufficientCoins) as short:  # then 2005, with the amounts
        apply(fakes, uid, "300.00")
    assert short.value.data == {"available": Decimal("200.00"), "required": Decimal("300.00")}
    with pytest.raises(VerificationRequired) as unverified:  # then 2011
        apply(fakes, uid)
    assert unverified.value.code == 2011
    verify(fakes, uid, "张三")
    with pytest.raises(InvalidRequest) as name:  # then the payee's name (2000)
        apply(fakes, uid, info={"account": "user@example.com", "name": "李四"})
    assert name.value.field == "account_info.name"
    with pytest.raises(InvalidRequest) as wechat:  # WeChat needs an account linked by WeChat login
        apply(fakes, uid, method="wechat", info={"account": "wxid_abc123", "name": "张三"})
    assert wechat.value.field == "method"
    assert coins(fakes, uid) == (Coins.of("200.00"), Coins(0))  # nothing was held on the way


def test_minors_cannot_withdraw_after_the_verification_check(fakes, make_user):
    uid = make_user()
    buy_pack(fakes, uid, "200.00", coins="200.00")
    fakes.clock.advance(days=7)
    verify(fakes, uid, "小明", id_number(date(2011, 1, 1)))
    with pytest.raises(MinorLimit) as err:
        apply(fakes, uid)
    assert (err.value.code, err.value.message) == (2012, "未成年人不能提现")


def test_wechat_pays_the_openid_of_the_users_wechat_login(fakes, earner):
    with fakes.uow() as uow:
        uow.users.add_identity(earner, Identity(IdentityKind.WECHAT_OPENID, "wx_app:o-openid-1"), fakes.clock.now())
        uow.commit()
    w = apply(fakes, earner, method="wechat", info={"account": "wxid_abc123", "name": "张三"})
    payouts(fakes).approve(w.id)
    assert fakes.payouts["wechat"].sent[0].payee_account == "o-openid-1"


def test_a_final_failure_rejects_and_returns_the_coins_once(fakes, earner):
    fakes.payouts["alipay"].answers.append(TransferResult(TransferState.FAILED, reason="收款账户不存在"))
    w = payouts(fakes).approve(apply(fakes, earner).id)
    assert (w.status, w.note) == (WithdrawalStatus.REJECTED, "打款失败：收款账户不存在")
    assert coins(fakes, earner) == (Coins.of("500.00"), Coins(0))
    assert payouts(fakes).sync().failed == 0  # nothing left in flight: no second release
    assert LedgerAudit(fakes.uow).verify() == []


def test_an_unknown_outcome_is_queried_never_sent_again(fakes, earner):
    fakes.payouts["alipay"].answers.append(OutcomeUnknown("timeout"))
    w = payouts(fakes).approve(apply(fakes, earner).id)
    assert (w.status, w.transfer) == (WithdrawalStatus.APPROVED, Transfer.SENDING)
    fakes.clock.advance(minutes=5)
    fakes.payouts["alipay"].queries.append(TransferResult(TransferState.PROCESSING))
    assert payouts(fakes).sync().in_flight == 1
    report = payouts(fakes).sync()  # the channel says it succeeded
    assert report.paid == 1 and len(fakes.payouts["alipay"].sent) == 1
    assert coins(fakes, earner) == (Coins.of("350.00"), Coins(0))
    assert LedgerAudit(fakes.uow).verify() == []


def test_a_transfer_the_channel_never_created_is_sent_by_the_sync(fakes, earner):
    fakes.payouts["alipay"].answers.append(OutcomeUnknown("connection reset"))
    w = payouts(fakes).approve(apply(fakes, earner).id)
    fakes.clock.advance(minutes=5)
    fakes.payouts["alipay"].queries.append(TransferResult(TransferState.NOT_FOUND))
    assert payouts(fakes).sync().paid == 1
    assert [o.bill_no for o in fakes.payouts["alipay"].sent] == [w.bill_no, w.bill_no]  # the same bill both times


def test_a_payout_waiting_for_the_payee_shows_its_confirm_package(fakes, earner):
    fakes.payouts["alipay"].answers.append(TransferResult(TransferState.WAIT_USER_CONFIRM, package_info="pkg=abc"))
    w = payouts(fakes).approve(apply(fakes, earner).id)
    assert (w.transfer, w.package_info) == (Transfer.WAIT_USER_CONFIRM, "pkg=abc")
    with pytest.raises(NotAllowed):  # in flight: its channel decides, not an operator
        payouts(fakes).reject(w.id, "再想想")


def test_over_the_daily_cap_a_payout_waits_for_an_operator(fakes, earner):
    fakes.policy = attrs.evolve(fakes.policy, payout=attrs.evolve(fakes.policy.payout, daily_per_user=Cny.of("200")))
    first = payouts(fakes).approve(apply(fakes, earner).id)
    held = payouts(fakes).approve(apply(fakes, earner).id)
    assert (first.status, held.status, held.transfer) == (WithdrawalStatus.PAID, WithdrawalStatus.APPROVED,
                                                          Transfer.HELD)
    assert len(fakes.payouts["alipay"].sent) == 1
    assert payouts(fakes).approve(held.id, over_cap=True).status is WithdrawalStatus.PAID
    fakes.clock.advance(days=1)  # a new business day: room again
    assert payouts(fakes).approve(apply(fakes, earner, "100.00").id).status is WithdrawalStatus.PAID


def test_a_late_repeated_answer_changes_nothing(fakes, earner):
    w = payouts(fakes).approve(apply(fakes, earner).id)
    assert w.status is WithdrawalStatus.PAID
    again = payouts(fakes)._record(w.id, TransferResult(TransferState.FAILED, reason="late"))
    assert again.status is WithdrawalStatus.PAID
    assert coins(fakes, earner) == (Coins.of("350.00"), Coins(0))
