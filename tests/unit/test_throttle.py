import pytest

from skyriff_domain.errors import TooManyRequests
from skyriff_domain.services.throttle import Throttle


def throttle(fakes):
    return Throttle(fakes.limiter, fakes.clock, fakes.policy)


def test_a_user_gets_ten_task_creations_a_minute(fakes):
    t = throttle(fakes)
    for _ in range(10):
        t.check(1, "tasks")
    with pytest.raises(TooManyRequests) as err:
        t.check(1, "tasks")
    assert err.value.code == 1006 and 1 <= err.value.retry_after <= 60
    t.check(2, "tasks")  # per user
    t.check(1, "money")  # per bucket
    fakes.clock.advance(seconds=err.value.retry_after)
    t.check(1, "tasks")  # a new minute


def test_an_address_has_its_own_budget_shared_by_every_user_behind_it(fakes):
    t = throttle(fakes)
    for _ in range(20):
        t.check_address("10.0.0.1", "redeem")
    with pytest.raises(TooManyRequests) as err:
        t.check_address("10.0.0.1", "redeem")
    assert err.value.code == 1006 and 1 <= err.value.retry_after <= 60
    t.check_address("10.0.0.2", "redeem")  # per address
    t.check(1, "redeem")  # the users' budgets are apart
