from datetime import datetime, timezone
from decimal import Decimal

import pytest

from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.policy import Policy, RevenueSharePolicy


@pytest.mark.parametrize("model, seconds, cost", [("sora2", 10, 10), ("sora2", 25, 25), ("sora2Pro", 10, 30),
                                                  ("sora2Pro", 15, 45)])
def test_generation_cost_per_second(model, seconds, cost):
    assert Policy().pricing.generation_cost(model, seconds) == Credits(cost)


@pytest.mark.parametrize("credits, coins", [(20, "18.00"), (5, "4.50"), (2, "1.80"), (1, "0.90"), (100, "90.00")])
def test_creator_gets_ninety_percent_at_one_coin_per_credit(credits, coins):
    assert RevenueSharePolicy().creator_coins(Credits(credits)) == Coins.of(coins)


def test_creator_share_rounds_down_to_the_fen():
    policy = RevenueSharePolicy(creator_share=Decimal("0.333"))
    assert policy.creator_coins(Credits(1)) == Coins.of("0.33")


@pytest.mark.parametrize("paid, commission", [("30.00", "3.00"), ("6.00", "0.60"), ("0.05", "0.00"), ("29.99", "2.99")])
def test_promoter_commission_is_ten_percent_rounded_down(paid, commission):
    assert RevenueSharePolicy().commission(Cny.of(paid)) == Coins.of(commission)


def test_earnings_unlock_after_seven_days():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert RevenueSharePolicy().unlock_at(now) == datetime(2026, 1, 8, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "utc_now, day, next_start",
    [
        (datetime(2026, 1, 15, 15, 59, tzinfo=timezone.utc), "2026-01-15", datetime(2026, 1, 15, 16, 0, tzinfo=timezone.utc)),
        (datetime(2026, 1, 15, 16, 0, tzinfo=timezone.utc), "2026-01-16", datetime(2026, 1, 16, 16, 0, tzinfo=timezone.utc)),
    ],
)
def test_business_day_runs_in_shanghai(utc_now, day, next_start):
    policy = Policy()
    assert str(policy.business_day(utc_now)) == day
    assert policy.next_business_day_start(utc_now) == next_start
