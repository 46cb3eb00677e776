from datetime import datetime, timedelta, timezone

import pytest

from skyriff_domain.errors import AlreadyClaimed, NotAllowed
from skyriff_domain.model.subscription import Subscription
from skyriff_domain.money import Credits
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
