"""Repositories behave the same on the in-memory fakes, SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from skyriff_domain.errors import ConcurrentUpdate, InsufficientCredits
from skyriff_domain.model.catalog import ImageAsset, ProductType
from skyriff_domain.model.coin_lot import LotStatus
from skyriff_domain.model.ledger import Account, LedgerRef, LedgerType
from skyriff_domain.model.user import Identity, IdentityKind, User
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.ports import DuplicateEntry, IdentityTaken
from skyriff_domain.services import wallet_ops
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.registration import NewUser, register

NOW = datetime(2026, 1, 15, 2, 0, 0, 123000, tzinfo=timezone.utc)
PHONE = Identity(IdentityKind.PHONE, "13800138000")


def make_user(backend, phone="13800138000", nickname="tester") -> int:
    with backend.uow() as uow:
        user = register(uow, NewUser(nickname, phone), [Identity(IdentityKind.PHONE, phone)], NOW)
        uow.commit()
    return user.id


def test_user_round_trip_keeps_every_field_and_utc_time(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        user = uow.users.get(uid)
        assert (user.nickname, user.phone, user.created_at, user.is_banned) == ("tester", "13800138000", NOW, False)
        user.bio, user.is_promoter = "简介", True
        uow.users.save(user)
        uow.commit()
    with backend.uow() as uow:
        again = uow.users.get(uid)
        assert (again.bio, again.is_promoter) == ("简介", True)
        assert uow.users.find_by_identity(PHONE).id == uid
        assert uow.users.get_many([uid, 999]).keys() == {uid}


def test_an_identity_belongs_to_one_user(backend):
    make_user(backend)
    with backend.uow() as uow:
        other = uow.users.add(User(nickname="x", created_at=NOW))
        with pytest.raises(IdentityTaken):
            uow.users.add_identity(other.id, PHONE, NOW)


def test_nothing_is_written_without_commit(backend):
    with backend.uow() as uow:
        register(uow, NewUser("x", "13900000000"), [Identity(IdentityKind.PHONE, "13900000000")], NOW)
    with backend.uow() as uow:
        assert uow.users.find_by_identity(Identity(IdentityKind.PHONE, "13900000000")) is None


def test_follow_rows_and_counters_move_together(backend):
    a, b = make_user(backend, "13800000001"), make_user(backend, "13800000002")
    with backend.uow() as uow:
        assert uow.follows.follow(a, b, NOW) is True
        assert uow.follows.follow(a, b, NOW) is False
        uow.commit()
    with backend.uow() as uow:
        assert uow.follows.is_following(a, b) and not uow.follows.is_following(b, a)
        assert uow.users.stats(b).followers_count == 1 and uow.users.stats(a).following_count == 1
        assert uow.follows.unfollow(a, b) is True and uow.follows.unfollow(a, b) is False
        uow.commit()
    with backend.uow() as uow:
        assert uow.users.stats(b).followers_count == 0 and uow.users.stats(a).following_count == 0


def test_wallet_changes_and_ledger_are_one_transaction(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        wallet_ops.grant_credits(uow, uid, Credits(100), LedgerType.RECHARGE, "充值", NOW)
        uow.commit()
    with backend.uow() as uow:
        wallet_ops.spend_credits(uow, uid, Credits(30), LedgerType.GEN_SPEND, "生成", NOW)
        # no commit: both the balance and the entry vanish
    with backend.uow() as uow:
        assert uow.wallets.get(uid).credits == Credits(100)
        entries = uow.ledger.page(uid, (Account.CREDITS,), None, 10)
        assert [(e.amount, e.balance_after) for e in entries] == [(Credits(100), Credits(100))]
        assert entries[0].created_at == NOW


def test_insufficient_credits_changes_nothing(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        with pytest.raises(InsufficientCredits):
            wallet_ops.spend_credits(uow, uid, Credits(1), LedgerType.GEN_SPEND, "生成", NOW)


def test_a_stale_wallet_save_is_refused(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        first, second = uow.wallets.get(uid), uow.wallets.get(uid)
        first.credits = Credits(5)
        uow.wallets.save(first)
        second.credits = Credits(7)
        with pytest.raises(ConcurrentUpdate):
            uow.wallets.save(second)


def test_ledger_unique_key_refuses_a_second_entry(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        wallet_ops.grant_credits(uow, uid, Credits(10), LedgerType.GEN_REFUND, "退款", NOW,
                                 LedgerRef("task", 7), unique_key="gen_refund:7")
        uow.commit()
    with backend.uow() as uow:
        assert uow.ledger.has_key("gen_refund:7")
        with pytest.raises(DuplicateEntry):
            wallet_ops.grant_credits(uow, uid, Credits(10), LedgerType.GEN_REFUND, "退款", NOW,
                                     LedgerRef("task", 7), unique_key="gen_refund:7")
    with backend.uow() as uow:
        [entry] = uow.ledger.page(uid, (Account.CREDITS,), None, 10)
        assert entry.ref == LedgerRef("task", 7) and uow.wallets.get(uid).credits == Credits(10)


def test_coin_lots_mature_and_release(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        from skyriff_domain.policy import RevenueSharePolicy
        wallet_ops.add_pending_coins(uow, uid, Coins(1800), LedgerType.COINS_PACK, "购买金币", NOW,
                                     RevenueSharePolicy(), LedgerRef("work", 3))
        uow.commit()
    later = NOW + timedelta(days=7)
    with backend.uow() as uow:
        assert uow.coin_lots.users_with_matured(NOW, 10) == []
        assert uow.coin_lots.users_with_matured(later, 10) == [uid]
        assert uow.coin_lots.get_by_ref("work", 3).amount == Coins(1800)
        assert wallet_ops.release_matured(uow, uid, later) == Coins(1800)
        uow.commit()
    with backend.uow() as uow:
        wallet = uow.wallets.get(uid)
        assert (wallet.coins_available, wallet.coins_pending) == (Coins(1800), Coins(0))
        assert uow.coin_lots.pending_for_user(uid) == []
        assert uow.coin_lots.get_by_ref("work", 3).status is LotStatus.RELEASED
    assert LedgerAudit(backend.uow).verify() == []


def test_ledger_totals_and_pages(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        for n in (5, 6, 7):
            wallet_ops.grant_credits(uow, uid, Credits(n), LedgerType.TASK_REWARD, "奖励", NOW)
        uow.commit()
    with backend.uow() as uow:
        assert uow.ledger.totals() == {(uid, Account.CREDITS): (18, 18, 0)}
        page = uow.ledger.page(uid, (Account.CREDITS,), None, 2)
        assert [e.amount.minor for e in page] == [7, 6]
        assert [e.amount.minor for e in uow.ledger.page(uid, (Account.CREDITS,), page[-1].id, 2)] == [5]


@pytest.mark.ledger_tampered  # a recharge without a payment: the audit would rightly object
def test_credits_cost_travels_with_the_wallet_and_its_entries(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        wallet_ops.grant_credits(uow, uid, Credits(600), LedgerType.RECHARGE, "充值", NOW, cost=Cny.of("30.00"))
        wallet_ops.spend_credits(uow, uid, Credits(20), LedgerType.TIP_SPEND, "打赏", NOW)
        wallet_ops.grant_credits(uow, uid, Credits(2), LedgerType.TASK_REWARD, "奖励", NOW)
        uow.commit()
    with backend.uow() as uow:
        assert uow.wallets.get(uid).credits_cost == Cny.of("29.00")
        assert [e.cost for e in uow.ledger.page(uid, (Account.CREDITS,), None, 10)] == [
            Cny(0), Cny.of("-1.00"), Cny.of("30.00")]
        assert uow.ledger.totals()[(uid, Account.CREDITS)] == (582, 582, 2900)
        sums = uow.ledger.sums_by_type()
        assert (sums[(Account.CREDITS, LedgerType.RECHARGE)], sums[(Account.CREDITS, LedgerType.TIP_SPEND)]) == (
            (600, 3000), (-20, -100))
        newest = uow.ledger.page(uid, (Account.CREDITS,), None, 1)[0].id
        assert uow.ledger.sums_by_type(newest - 1) == {(Account.CREDITS, LedgerType.TASK_REWARD): (2, 0)}
        assert uow.ledger.audit_epoch() is None


@pytest.mark.ledger_tampered  # a card period without a settled payment
def test_card_periods_are_found_by_time_and_counted_by_the_audit(backend):
    from skyriff_domain.model.catalog import ProductType
    from skyriff_domain.model.payment import Payment
    from skyriff_domain.model.subscription import CardPeriod

    uid = make_user(backend)
    Catalog(backend.uow).seed()
    with backend.uow() as uow:
        card = uow.products.get_by_sku("monthly_card")
        payment = uow.payments.add(Payment(uid, card.id, ProductType.SUBSCRIPTION_MONTHLY, "sandbox", Cny.of("29.00"),
                                           "月卡", "SR0001", NOW, NOW + timedelta(minutes=15)))
        period = uow.subscriptions.add_period(CardPeriod(uid, payment.id, NOW, NOW + timedelta(days=30), 30,
                                                         Credits(30), Cny.of("29.00")))
        with pytest.raises(DuplicateEntry):
            uow.subscriptions.add_period(CardPeriod(uid, payment.id, NOW, NOW, 1, Credits(1), Cny(1)))
        uow.commit()
    with backend.uow() as uow:
        found = uow.subscriptions.period_at(uid, NOW + timedelta(days=29))
        assert found == period and uow.subscriptions.period_at(uid, NOW + timedelta(days=30)) is None
        found.claims, found.cost_claimed = 1, Cny(96)
        uow.subscriptions.save_period(found)
        uow.commit()
    with backend.uow() as uow:
        assert uow.subscriptions.unclaimed_cost() == Cny(2804)
        assert uow.payments.paid_by_type() == {}


def test_products_seed_once_and_keep_operator_edits(backend):
    catalog = Catalog(backend.uow)
    assert catalog.seed() == 6
    with backend.uow() as uow:
        pack = uow.products.get_by_sku("credits_30")
        pack.name = "运营改过的名字"
        uow.products.save(pack)
        uow.commit()
    assert catalog.seed() == 0
    packs = catalog.list(ProductType.CREDITS_PACK)
    assert [p.price.to_decimal() for p in packs] == [6, 30, 68, 128]
    assert packs[1].name == "运营改过的名字" and packs[1].credits_amount == Credits(600)


def test_image_assets(backend):
    uid = make_user(backend)
    with backend.uow() as uow:
        asset = uow.assets.add_image(ImageAsset(uid, "https://cdn/1.png", 1024, 10, 20, NOW, "images/1.png"))
        uow.commit()
    with backend.uow() as uow:
        assert uow.assets.get_image(asset.id) == asset
