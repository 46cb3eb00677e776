from datetime import timedelta

import pytest

from skyriff_domain.errors import InsufficientCoins, InsufficientCredits, InvalidRequest
from skyriff_domain.model.ledger import Account, LedgerType
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.ports import DuplicateEntry
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.usecases import buy_pack, wallets


def test_new_wallet_is_empty(fakes, make_user):
    view = wallets(fakes).overview(make_user())
    assert (view.credits, view.coins_available, view.coins_pending) == (Credits(0), Coins(0), Coins(0))


def test_grant_then_spend_keeps_ledger_and_balance_equal(fakes, make_user):
    uid, w = make_user(), wallets(fakes)
    w.grant_credits(uid, Credits(600), LedgerType.RECHARGE, "充值30元")
    w.spend_credits(uid, Credits(10), LedgerType.GEN_SPEND, "生成10秒视频")
    entries, more = w.ledger_page(uid, "credits", None, 20)
    assert [(e.type, e.amount.minor, e.balance_after.minor) for e in entries] == [
        (LedgerType.GEN_SPEND, -10, 590), (LedgerType.RECHARGE, 600, 600)]
    assert not more
    assert LedgerAudit(fakes.uow).verify() == []


def test_overspending_changes_nothing(fakes, make_user):
    uid, w = make_user(), wallets(fakes)
    w.grant_credits(uid, Credits(5), LedgerType.ADMIN_ADJUST, "调整")
    with pytest.raises(InsufficientCredits):
        w.spend_credits(uid, Credits(10), LedgerType.GEN_SPEND, "生成")
    assert w.overview(uid).credits == Credits(5)
    assert len(w.ledger_page(uid, "credits", None, 20)[0]) == 1


def test_a_unique_key_makes_a_second_move_impossible(fakes, make_user):
    uid, w = make_user(), wallets(fakes)
    w.grant_credits(uid, Credits(10), LedgerType.GEN_REFUND, "退款", unique_key="gen_refund:task:1")
    with pytest.raises(DuplicateEntry):
        w.grant_credits(uid, Credits(10), LedgerType.GEN_REFUND, "退款", unique_key="gen_refund:task:1")
    assert w.overview(uid).credits == Credits(10)


def test_pending_coins_show_as_available_once_matured_without_a_batch(fakes, make_user):
    uid, w = make_user(), wallets(fakes)
    buy_pack(fakes, uid, "18.00", coins="18.00")  # bought coins wait like earnings
    view = w.overview(uid)
    assert (view.coins_available, view.coins_pending) == (Coins(0), Coins(1800))
    assert view.pending_lots[0].unlock_at == fakes.clock.now() + timedelta(days=7)
    assert view.pending_lots[0].source_label == "购买金币"
    fakes.clock.advance(days=7)
    view = w.overview(uid)
    assert (view.coins_available, view.coins_pending, view.pending_lots) == (Coins(1800), Coins(0), [])


def test_release_batch_records_the_move_once(fakes, make_user):
    a, b, w = make_user(), make_user(), wallets(fakes)
    buy_pack(fakes, a, "18.00", coins="18.00")
    buy_pack(fakes, b, "4.50", coins="4.50")
    fakes.clock.advance(days=3)
    buy_pack(fakes, a, "1.80", coins="1.80")
    fakes.clock.advance(days=4)
    assert w.release_matured_coins(batch_size=1) == Coins(2250)
    assert w.release_matured_coins() == Coins(0)  # re-running is harmless
    with fakes.uow() as uow:
        wa = uow.wallets.get(a)
    assert (wa.coins_available, wa.coins_pending) == (Coins(1800), Coins(180))
    releases = [e for e in w.ledger_page(a, "coins", None, 20)[0] if e.type is LedgerType.RELEASE]
    assert {(e.account, e.amount.minor) for e in releases} == {(Account.COINS_PENDING, -1800),
                                                               (Account.COINS_AVAILABLE, 1800)}
    assert LedgerAudit(fakes.uow).verify() == []


def test_ledger_pages_newest_first_with_has_more(fakes, make_user):
    uid, w = make_user(), wallets(fakes)
    for i in range(5):
        w.grant_credits(uid, Credits(i + 1), LedgerType.TASK_REWARD, f"奖励{i}")
    first, more = w.ledger_page(uid, "credits", None, 2)
    assert more and [e.amount.minor for e in first] == [5, 4]
    second, more = w.ledger_page(uid, "credits", first[-1].id, 2)
    assert more and [e.amount.minor for e in second] == [3, 2]
    third, more = w.ledger_page(uid, "credits", second[-1].id, 2)
    assert not more and [e.amount.minor for e in third] == [1]


def test_coins_and_credits_ledgers_are_separate(fakes, make_user):
    uid, w = make_user(), wallets(fakes)
    w.grant_credits(uid, Credits(5), LedgerType.TASK_REWARD, "奖励")
    w.adjust(uid, "补偿", coins=Coins(90))
    assert [e.type for e in w.ledger_page(uid, "coins", None, 20)[0]] == [LedgerType.ADMIN_ADJUST]
    assert [e.type for e in w.ledger_page(uid, "credits", None, 20)[0]] == [LedgerType.TASK_REWARD]


def test_audit_reports_a_balance_that_disagrees_with_the_ledger(fakes, make_user):
    uid, w = make_user(), wallets(fakes)
    w.grant_credits(uid, Credits(10), LedgerType.RECHARGE, "充值")
    with fakes.uow() as uow:  # tamper behind the ledger's back
        wallet = uow.wallets.get(uid)
        wallet.credits = Credits(11)
        uow.wallets.save(wallet)
        uow.commit()
    [problem] = LedgerAudit(fakes.uow).verify()
    assert (problem.user_id, problem.account, problem.balance, problem.ledger_sum) == (uid, Account.CREDITS, 11, 10)


def test_operators_adjust_with_a_reason_and_never_below_zero(fakes, make_user, catalog):
    uid, w = make_user(), wallets(fakes)
    buy_pack(fakes, uid, "30.00", credits=600)
    wallet = w.adjust(uid, "活动补偿", credits=Credits(100), coins=Coins.of("12.34"))
    assert (wallet.credits, wallet.credits_cost, wallet.coins_available) == (Credits(700), Cny.of("30.00"),
                                                                              Coins.of("12.34"))
    wallet = w.adjust(uid, "误发收回", credits=Credits(-350))  # half the credits take half their cost
    assert (wallet.credits, wallet.credits_cost) == (Credits(350), Cny.of("15.00"))
    with pytest.raises(InsufficientCoins):
        w.adjust(uid, "收回", coins=Coins.of("-12.35"))
    with pytest.raises(InvalidRequest):
        w.adjust(uid, " ", credits=Credits(1))
    entries = w.ledger_page(uid, "credits", None, 1)[0]
    assert entries[0].type is LedgerType.ADMIN_ADJUST and entries[0].description == "运营调整：误发收回"
    assert LedgerAudit(fakes.uow).verify() == []
