"""The economy's conversions and shares: a credit carries what was paid for it, creators share what fans paid."""
from decimal import Decimal

import pytest

from skyriff_domain.economy import (
    card_claim_cost,
    cny_for_coins,
    coins_for_cny,
    cost_of_spending,
    creator_share,
    promoter_commission,
    share_ceiling,
)
from skyriff_domain.money import Cny, Coins, Credits

NINETY, TEN = Decimal("0.90"), Decimal("0.10")


@pytest.mark.parametrize("held, cost, spent, taken", [
    (600, "30.00", 20, "1.00"), (600, "30.00", 5, "0.25"), (600, "30.00", 2, "0.10"),
    (600, "30.00", 600, "30.00"),  # everything held takes all of the cost
    (650, "30.00", 20, "0.92"),  # paid and free credits mixed: floor(3000·20/650)
    (3, "0.10", 1, "0.03"), (3, "0.10", 3, "0.10"), (50, "0.00", 10, "0.00"),
])
def test_spending_takes_its_share_of_the_cost_rounded_down(held, cost, spent, taken):
    assert cost_of_spending(Credits(held), Cny.of(cost), Credits(spent)) == Cny.of(taken)


@pytest.mark.parametrize("spent", [0, -1, 601])
def test_spending_what_is_not_held_is_an_error(spent):
    with pytest.raises(ValueError):
        cost_of_spending(Credits(600), Cny.of("30.00"), Credits(spent))


@pytest.mark.parametrize("credits, coins", [(20, "0.90"), (5, "0.22"), (2, "0.09"), (100, "4.50"), (1, "0.04")])
def test_creators_earn_ninety_percent_of_the_cost_at_the_list_price(credits, coins):
    """PRODUCT.md's examples: credits from the 30.00 pack cost 0.05 each."""
    cost = cost_of_spending(Credits(600), Cny.of("30.00"), Credits(credits))
    assert creator_share(cost, NINETY) == Coins.of(coins)


def test_free_credits_earn_creators_nothing():
    assert creator_share(cost_of_spending(Credits(50), Cny(0), Credits(20)), NINETY) == Coins(0)


def test_shares_round_down_to_the_fen():
    assert creator_share(Cny(1), Decimal("0.333")) == Coins(0)
    assert creator_share(Cny(333), Decimal("0.333")) == Coins(110)


@pytest.mark.parametrize("paid, commission", [("30.00", "3.00"), ("6.00", "0.60"), ("0.05", "0.00"), ("29.99", "2.99")])
def test_promoter_commission_is_ten_percent_rounded_down(paid, commission):
    assert promoter_commission(Cny.of(paid), TEN) == Coins.of(commission)


def test_a_thirty_day_card_claims_its_price_to_the_fen():
    claimed = Cny(0)
    costs = []
    for n in range(30):
        cost = card_claim_cost(Cny.of("29.00"), 30, n, claimed)
        claimed += cost
        costs.append(cost)
    assert costs[:29] == [Cny.of("0.96")] * 29 and costs[29] == Cny.of("1.16") and claimed == Cny.of("29.00")
    with pytest.raises(ValueError):
        card_claim_cost(Cny.of("29.00"), 30, 30, claimed)


def test_coins_and_cny_are_one_to_one():
    assert coins_for_cny(Cny.of("150.00")) == Coins.of("150.00")
    assert cny_for_coins(Coins.of("85.50")) == Cny.of("85.50")


def test_the_audit_bound_covers_every_rounding():
    parts = [101, 7, 3, 999]
    assert sum(creator_share(Cny(p), NINETY).minor for p in parts) <= share_ceiling(sum(parts), NINETY)
    assert share_ceiling(10, NINETY) == 9 and share_ceiling(11, NINETY) == 10
