from datetime import datetime, timezone

import pytest

from skyriff_domain.money import Credits
from skyriff_domain.policy import Policy, RevenueSharePolicy


@pytest.mark.parametrize("model, seconds, cost", [("sora2", 10, 10), ("sora2", 25, 25), ("sora2Pro", 10, 30),
                                                  ("sora2Pro", 15, 45)])
def test_generation_cost_per_second(model, seconds, cost):
    assert Policy().pricing.generation_cost(model, seconds) == Credits(cost)


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
