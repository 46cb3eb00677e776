from datetime import datetime, timedelta, timezone

import pytest

from skyriff_domain.errors import AlreadyClaimed, NotAllowed
from skyriff_domain.model.subscription import Subscription
from skyriff_domain.money import Cny, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.usecases import pay, subscriptions, wallets

pytestmark = pytest.mark.usefixtures("catalog")
T0 = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)


def test_a_card_lasts_30_days_and_buying_while_active_extends_it():
    card = Subscription(1)
    card.extend(30, T0)
    assert (card.start_at, card.end_at, card.days_remaining(T0)) == (T0, T0 + timedelta(days=30), 30)
    card.extend(30, T0 + timedelta(days=10))
    assert card.end_at == T0 + timedelta(days=60) and card.days_remaining(T0 + timedelta(days=10)) == 50


def test_buying_after_expiry_starts_a_new_period():
    card = Subscription(1)
    card.extend(30, T0)
    later = T0 + timedelta(days=31)
    card.extend(30, later)
    assert (card.start_at, card.end_at) == (later, later + timedelta(days=30))


def test_claim_once_per_business_day_and_again_after_shanghai_midnight(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "monthly_card")
    subs = subscriptions(fakes)
    assert subs.claim_daily(uid) == (Credits(30), Credits(30))
    with pytest.raises(AlreadyClaimed) as err:
        subs.claim_daily(uid)
    assert err.value.code == 2003
    assert err.value.data["next_claim_at"] == datetime(2026, 1, 15, 16, 0, tzinfo=timezone.utc)
    fakes.clock.at = datetime(2026, 1, 15, 15, 59, 59, tzinfo=timezone.utc)  # 23:59:59 in Shanghai
    with pytest.raises(AlreadyClaimed):
        subs.claim_daily(uid)
    fakes.clock.at = datetime(2026, 1, 15, 16, 0, tzinfo=timezone.utc)  # 00:00 in Shanghai
    assert subs.claim_daily(uid) == (Credits(30), Credits(60))
    assert subs.active(uid).today_claimed is True


def test_no_claim_without_an_active_card(fakes, make_user):
    uid = make_user()
    with pytest.raises(NotAllowed):
        subscriptions(fakes).claim_daily(uid)
    pay(fakes, uid, "monthly_card")
    fakes.clock.advance(days=30)
    with pytest.raises(NotAllowed):
        subscriptions(fakes).claim_daily(uid)
    assert subscriptions(fakes).active(uid) is None


def test_status_shows_days_remaining(fakes, make_user):
    uid = make_user()
    assert subscriptions(fakes).active(uid) is None
    pay(fakes, uid, "monthly_card")
    fakes.clock.advance(days=14, hours=1)
    view = subscriptions(fakes).active(uid)
    assert view.days_remaining == 16 and view.today_claimed is False
    assert wallets(fakes).overview(uid).credits == Credits(0)  # the card itself grants nothing until claimed


def cost_of(fakes, uid):
    with fakes.uow() as uow:
        return uow.wallets.get(uid).credits_cost


def test_each_claim_carries_its_share_of_the_price_and_the_last_the_rest(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "monthly_card")
    for day in range(30):
        subscriptions(fakes).claim_daily(uid)
        assert cost_of(fakes, uid) == Cny(96 * (day + 1) if day < 29 else 2900)
        fakes.clock.advance(days=1)
    assert wallets(fakes).overview(uid).credits == Credits(900)
    assert LedgerAudit(fakes.uow).verify() == []


def test_a_thirty_day_card_gives_thirty_claims_even_over_thirty_one_business_days(fakes, make_user):
    """Bought at 10:00 Shanghai, the card runs into the morning of a 31st business day."""
    uid = make_user()
    pay(fakes, uid, "monthly_card")
    for _ in range(30):
        subscriptions(fakes).claim_daily(uid)
        fakes.clock.advance(days=1)
    fakes.clock.advance(hours=-1)  # still before the card ends, on a new business day
    with pytest.raises(NotAllowed):
        subscriptions(fakes).claim_daily(uid)
    assert wallets(fakes).overview(uid).credits == Credits(900)


def test_the_product_row_says_what_a_card_delivers(fakes, make_user):
    from skyriff_domain.model.catalog import Product, ProductType
    uid = make_user()
    with fakes.uow() as uow:
        uow.products.add(Product("card_small", ProductType.SUBSCRIPTION_MONTHLY, "周卡", Cny.of("7.00"),
                                 duration_days=7, daily_credits=Credits(12)))
        uow.commit()
    pay(fakes, uid, "card_small")
    assert subscriptions(fakes).claim_daily(uid) == (Credits(12), Credits(12))
    assert cost_of(fakes, uid) == Cny.of("1.00")
    assert subscriptions(fakes).active(uid).days_remaining == 7


def test_a_card_bought_while_active_is_claimed_after_the_first_at_its_own_terms(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "monthly_card")
    fakes.clock.advance(days=10)
    pay(fakes, uid, "monthly_card")
    assert subscriptions(fakes).active(uid).days_remaining == 50
    fakes.clock.advance(days=25)  # inside the second card
    subscriptions(fakes).claim_daily(uid)
    assert cost_of(fakes, uid) == Cny.of("0.96")
    assert LedgerAudit(fakes.uow).verify() == []
