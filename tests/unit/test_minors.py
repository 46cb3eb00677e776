"""Minors' limits by the age of their verified ID (未成年人网络保护条例 Art. 44): payments by age bracket and
calendar month, no tips, no prompt purchases; unverified users follow the adult rules."""
from datetime import date, datetime, timezone

import pytest

from skyriff_domain.errors import MinorLimit
from skyriff_domain.model.catalog import Product, ProductType
from skyriff_domain.money import Cny, Credits
from skyriff_domain.services.works import Listing
from tests.support.money_out import id_number
from tests.support.usecases import buy_pack, finished_video, pay, payments, tipping, verify, works

pytestmark = pytest.mark.usefixtures("catalog")
NOW = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def at_now(fakes):
    fakes.clock.at = NOW


def person(fakes, make_user, born: date | None):
    uid = make_user()
    if born is not None:
        verify(fakes, uid, "小明", id_number(born))
    return uid


def product(fakes, price: str) -> int:
    with fakes.uow() as uow:
        found = uow.products.add(Product(f"pack_{price}", ProductType.CREDITS_PACK, "包", Cny.of(price),
                                         credits_amount=Credits(100)))
        uow.commit()
    return found.id


def test_under_eight_nothing_may_be_paid(fakes, make_user, at_now):
    uid = person(fakes, make_user, date(2019, 1, 1))
    with pytest.raises(MinorLimit) as err:
        payments(fakes).create(uid, product(fakes, "6.00"), "sandbox")
    assert (err.value.code, err.value.message) == (2012, "未满8周岁不能充值")


def test_a_fifteen_year_old_pays_at_most_50_a_payment_and_200_a_month(fakes, make_user, at_now):
    uid = person(fakes, make_user, date(2011, 6, 1))
    with pytest.raises(MinorLimit) as err:
        payments(fakes).create(uid, product(fakes, "60.00"), "sandbox")
    assert err.value.message == "未成年人单笔充值不能超过50.00元"
    fifty = product(fakes, "50.00")
    for _ in range(3):
        payments(fakes).create(uid, fifty, "sandbox")  # pending orders count as well: paying them is a click away
    pay(fakes, uid, "credits_30")
    with pytest.raises(MinorLimit) as err:
        payments(fakes).create(uid, product(fakes, "30.00"), "sandbox")
    assert err.value.message == "未成年人每月充值不能超过200.00元" and err.value.data["used"] == 180
    fakes.clock.at = datetime(2026, 12, 1, 0, 0, tzinfo=timezone.utc)  # 08:00 on 1 December in Shanghai
    payments(fakes).create(uid, fifty, "sandbox")


def test_sixteen_and_seventeen_year_olds_pay_at_most_100(fakes, make_user, at_now):
    uid = person(fakes, make_user, date(2009, 11, 10))  # 17 today
    payments(fakes).create(uid, product(fakes, "100.00"), "sandbox")
    with pytest.raises(MinorLimit):
        payments(fakes).create(uid, product(fakes, "128.00"), "sandbox")


def test_adults_and_the_unverified_follow_the_adult_rules(fakes, make_user, at_now):
    for born in (date(2008, 11, 10), None):  # 18 today; unverified
        uid = person(fakes, make_user, born)
        payments(fakes).create(uid, product(fakes, "128.00"), "sandbox")


def test_minors_cannot_tip_or_buy_prompts(fakes, make_user, at_now):
    creator = make_user()
    buy_pack(fakes, creator, "0.50", credits=10)
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品", "", True, 5, 0))
    kid = person(fakes, make_user, date(2011, 6, 1))
    pay(fakes, kid, "credits_6")
    with pytest.raises(MinorLimit) as err:
        tipping(fakes).tip(kid, work.id, 10)
    assert err.value.message == "未成年人不能打赏"
    with pytest.raises(MinorLimit) as err:
        tipping(fakes).unlock_prompt(kid, work.id)
    assert err.value.message == "未成年人不能购买提示词"
