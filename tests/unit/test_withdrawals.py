from decimal import Decimal

import pytest

from skyriff_domain.errors import InsufficientCoins, InvalidRequest, InvalidWithdrawalAmount, NotAllowed
from skyriff_domain.model.withdrawal import WithdrawalStatus, validate_account
from skyriff_domain.money import Cny, Coins
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.usecases import buy_pack, payouts, verify, wallets, withdrawals

ALIPAY = {"account": "user@example.com", "name": "张三"}


def earner(fakes, make_user, coins="200.00", verified=True):
    uid = make_user()
    buy_pack(fakes, uid, coins, coins=coins)
    fakes.clock.advance(days=7)  # matured, not yet released by any batch
    if verified:
        verify(fakes, uid)
    return uid


def test_apply_moves_available_to_held(fakes, make_user):
    uid = earner(fakes, make_user)
    w = withdrawals(fakes).apply(uid, Decimal("150.00"), "alipay", ALIPAY)
    assert (w.status, str(w.amount)) == (WithdrawalStatus.APPLIED, "150.00")
    view = wallets(fakes).overview(uid)
    assert (view.coins_available, view.coins_held) == (Coins.of("50.00"), Coins.of("150.00"))
    assert LedgerAudit(fakes.uow).verify() == []


@pytest.mark.parametrize("amount", [Decimal("99.99"), Decimal("100.001"), Decimal("0"), Decimal("-150"), "abc",
                                    Decimal("50000.01")])
def test_amount_rules_are_2006(fakes, make_user, amount):
    with pytest.raises(InvalidWithdrawalAmount) as err:
        withdrawals(fakes).apply(earner(fakes, make_user), amount, "alipay", ALIPAY)
    assert err.value.code == 2006


def test_more_than_available_is_2005_with_available_and_required(fakes, make_user):
    uid = earner(fakes, make_user, "85.50")
    with pytest.raises(InsufficientCoins) as err:
        withdrawals(fakes).apply(uid, Decimal("150.00"), "alipay", ALIPAY)
    assert err.value.data == {"available": Decimal("85.50"), "required": Decimal("150.00")}
    assert withdrawals(fakes).page(uid, None, 10) == ([], False)


def test_pending_coins_cannot_be_withdrawn(fakes, make_user):
    uid = make_user()
    buy_pack(fakes, uid, "200.00", coins="200.00")
    with pytest.raises(InsufficientCoins):
        withdrawals(fakes).apply(uid, Decimal("100.00"), "alipay", ALIPAY)


def test_reject_returns_the_coins_and_approval_pays_through_the_channel(fakes, make_user):
    uid = earner(fakes, make_user)
    first = withdrawals(fakes).apply(uid, Decimal("100.00"), "alipay", ALIPAY)
    second = withdrawals(fakes).apply(uid, Decimal("100.00"), "alipay", ALIPAY)
    assert [w.id for w in withdrawals(fakes).queue()] == [first.id, second.id]
    rejected = payouts(fakes).reject(first.id, "账户信息有误")
    assert rejected.status is WithdrawalStatus.REJECTED and rejected.processed_at is not None
    paid = payouts(fakes).approve(second.id)
    assert paid.status is WithdrawalStatus.PAID and paid.processed_at is not None
    [order] = fakes.payouts["alipay"].sent
    assert (order.bill_no, order.amount, order.payee_account, order.payee_name) == (
        f"SRW{second.id:012d}", Cny.of("100.00"), "user@example.com", "张三")
    view = wallets(fakes).overview(uid)
    assert (view.coins_available, view.coins_held) == (Coins.of("100.00"), Coins(0))
    with pytest.raises(NotAllowed):
        payouts(fakes).approve(first.id)
    assert LedgerAudit(fakes.uow).verify() == []


def test_a_bank_card_is_paid_by_hand_with_the_banks_reference(fakes, make_user):
    uid = earner(fakes, make_user)
    w = withdrawals(fakes).apply(uid, Decimal("100"), "bank_card",
                                 {"card_no": "4111111111111111", "bank_name": "招商银行", "name": "张三"})
    with pytest.raises(NotAllowed):
        payouts(fakes).mark_paid(w.id, "BANK-001")  # approve first
    assert payouts(fakes).approve(w.id).status is WithdrawalStatus.APPROVED  # nothing sent: no channel
    with pytest.raises(InvalidRequest):
        payouts(fakes).mark_paid(w.id, "  ")
    paid = payouts(fakes).mark_paid(w.id, "BANK-001")
    assert (paid.status, paid.reference) == (WithdrawalStatus.PAID, "BANK-001")
    assert LedgerAudit(fakes.uow).verify() == []


@pytest.mark.parametrize("method, info, field", [
    ("alipay", {"account": "not-an-account", "name": "张三"}, "account_info.account"),
    ("alipay", {"account": "13800138000", "name": ""}, "account_info.name"),
    ("bank_card", {"card_no": "6222021234567890123", "bank_name": "工商银行", "name": "张三"}, "account_info.card_no"),
    ("bank_card", {"card_no": "4111111111111111", "name": "张三"}, "account_info.bank_name"),
    ("wechat", {"account": "1", "name": "张三"}, "account_info.account"),
    ("alipay", ["x"], "account_info"),
    ("alipay", {"account": "138\uff10\uff10\uff11\uff13\uff18\uff10\uff10\uff10", "name": "张三"},
     "account_info.account"),  # full-width digits
    ("bank_card", {"card_no": "\uff14111111111111111", "bank_name": "工商银行", "name": "张三"},
     "account_info.card_no"),
])
def test_account_info_is_validated_per_method(method, info, field):
    with pytest.raises(InvalidRequest) as err:
        validate_account(method, info)
    assert err.value.field == field


def test_valid_bank_card():
    assert validate_account("bank_card", {"card_no": "4111 1111 1111 1111", "bank_name": "招商银行", "name": "李四"})[
        "card_no"] == "4111111111111111"


def test_unknown_method(fakes, make_user):
    with pytest.raises(InvalidRequest) as err:
        withdrawals(fakes).apply(make_user(), Decimal("100"), "paypal", ALIPAY)
    assert err.value.field == "method"
