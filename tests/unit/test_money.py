from decimal import Decimal

import pytest

from skyriff_domain.money import Cny, Coins, Credits, allocate


def test_coins_render_with_two_decimals():
    assert str(Coins(8550)) == "85.50"
    assert Coins.of("85.5").to_decimal() == Decimal("85.50")
    assert str(Coins.of(Decimal("85.50")).to_decimal()) == "85.50"


@pytest.mark.parametrize("value", ["1.001", "0.005", Decimal("2.345")])
def test_parsing_more_decimals_than_the_kind_has_is_refused(value):
    with pytest.raises(ValueError):
        Cny.of(value)


@pytest.mark.parametrize(("bad", "error", "reason"), [
    (1.5, TypeError, "never built from a float"), (True, TypeError, "or a bool"),
    ("abc", ValueError, "not an amount"), ("NaN", ValueError, "not an amount"),
    ("Infinity", ValueError, "not an amount"), ("1e300", ValueError, "out of range"),
    ("-2.9e169", ValueError, "out of range"), ("10000000000000", ValueError, "out of range"),
])
def test_money_is_never_built_from_floats_or_garbage(bad, error, reason):
    with pytest.raises(error, match=reason):
        Coins.of(bad)


def test_credits_are_whole():
    assert Credits.of(10) == Credits(10)
    with pytest.raises(ValueError):
        Credits.of("1.5")


def test_mixing_kinds_raises():
    with pytest.raises(TypeError):
        Coins(100) + Cny(100)
    with pytest.raises(TypeError):
        Credits(1) < Coins(1)
    assert Coins(100) != Cny(100)


def test_arithmetic_within_a_kind():
    assert Credits(10) - Credits(3) == Credits(7)
    assert -Coins(5) == Coins(-5)
    assert Coins(5) > Coins(4)
    assert not Credits(0)


@pytest.mark.parametrize(
    "value, down, half_up",
    [("18.009", 1800, 1801), ("4.505", 450, 451), ("1.8", 180, 180), ("0.001", 0, 0)],
)
def test_rounding_names_its_direction(value, down, half_up):
    assert Coins.from_decimal_rounded_down(Decimal(value)).minor == down
    assert Coins.from_decimal_rounded_half_up(Decimal(value)).minor == half_up


@pytest.mark.parametrize(
    "total, weights, parts",
    [(100, [1, 1, 1], [34, 33, 33]), (10, [9, 1], [9, 1]), (1, [1, 1], [1, 0]), (0, [1, 2], [0, 0]),
     (1001, [70, 30], [701, 300])],
)
def test_allocate_parts_sum_to_the_whole(total, weights, parts):
    result = allocate(Coins(total), weights)
    assert [p.minor for p in result] == parts
    assert sum(p.minor for p in result) == total
