"""Exact money types: credits are whole units, coins and CNY are integer fen; kinds never mix.

Binary floats never appear: amounts are ints in minor units, conversions go through `Decimal` and
every rounding names its direction.
"""
from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import ClassVar, Sequence, TypeVar

import attrs

M = TypeVar("M", bound="Money")
# Far above any real balance (10 trillion yuan), far below where Decimal's 28-digit context gives up.
MAX_MINOR = 10**15


@attrs.frozen(order=False)
class Money:
    """An amount in minor units of one kind; arithmetic and ordering only with the same kind."""

    minor: int = attrs.field(validator=attrs.validators.instance_of(int))
    places: ClassVar[int] = 0

    def __attrs_post_init__(self) -> None:
        if isinstance(self.minor, bool):
            raise TypeError("money is not a bool")

    def _same(self, other: object) -> "Money":
        if type(other) is not type(self):
            raise TypeError(f"cannot combine {type(self).__name__} with {type(other).__name__}")
        return other  # type: ignore[return-value]

    def __add__(self: M, other: M) -> M:
        return type(self)(self.minor + self._same(other).minor)

    def __sub__(self: M, other: M) -> M:
        return type(self)(self.minor - self._same(other).minor)

    def __neg__(self: M) -> M:
        return type(self)(-self.minor)

    def __lt__(self, other: "Money") -> bool:
        return self.minor < self._same(other).minor

    def __le__(self, other: "Money") -> bool:
        return self.minor <= self._same(other).minor

    def __gt__(self, other: "Money") -> bool:
        return self.minor > self._same(other).minor

    def __ge__(self, other: "Money") -> bool:
        return self.minor >= self._same(other).minor

    def __bool__(self) -> bool:
        return self.minor != 0

    @property
    def is_negative(self) -> bool:
        return self.minor < 0

    @property
    def is_positive(self) -> bool:
        return self.minor > 0

    @classmethod
    def zero(cls: type[M]) -> M:
        return cls(0)

    def to_decimal(self) -> Decimal:
        """The amount in major units with exactly `places` decimals (85.50, not 85.5)."""
        return Decimal(self.minor).scaleb(-self.places).quantize(Decimal(1).scaleb(-self.places))

    @classmethod
    def of(cls: type[M], value: "Decimal | int | str") -> M:
        """Parse an exact amount in major units; more decimals than the kind has is an error, not a rounding."""
        if isinstance(value, float) or isinstance(value, bool):
            raise TypeError("money is never built from a float or a bool")
        try:
            dec = Decimal(value)
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(f"not an amount: {value!r}") from exc
        if not dec.is_finite():
            raise ValueError(f"not an amount: {value!r}")
        if abs(dec) >= Decimal(MAX_MINOR).scaleb(-cls.places):
            raise ValueError(f"{value} is out of range")
        minor = dec.scaleb(cls.places)
        if minor != minor.to_integral_value():
            raise ValueError(f"{value} has more than {cls.places} decimal places")
        return cls(int(minor))

    @classmethod
    def from_decimal_rounded_down(cls: type[M], value: Decimal) -> M:
        """Truncate towards zero to the kind's smallest unit (a creator's share never rounds up)."""
        return cls(int(value.scaleb(cls.places).to_integral_value(rounding=ROUND_DOWN)))

    @classmethod
    def from_decimal_rounded_half_up(cls: type[M], value: Decimal) -> M:
        return cls(int(value.scaleb(cls.places).to_integral_value(rounding=ROUND_HALF_UP)))

    def __str__(self) -> str:
        return str(self.to_decimal())


class Credits(Money):
    """Whole credits (积分): what users spend."""

    places: ClassVar[int] = 0


class Coins(Money):
    """Coins (金币) in fen: what creators and promoters earn; 1 coin = 1 CNY."""

    places: ClassVar[int] = 2


class Cny(Money):
    """Real money (人民币) in fen: payments and withdrawals."""

    places: ClassVar[int] = 2


def allocate(total: M, weights: Sequence[int]) -> list[M]:
    """Split `total` into parts proportional to `weights` that sum exactly to `total`.

    Largest-remainder method: each part gets its floor share, the leftover minor units go one each to
    the parts with the largest remainders (earlier parts first on ties).
    """
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    if total.is_negative:
        raise ValueError("cannot allocate a negative amount")
    whole = sum(weights)
    floors = [total.minor * w // whole for w in weights]
    remainders = [total.minor * w % whole for w in weights]
    leftover = total.minor - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    parts = [type(total)(f) for f in floors]
    assert sum(p.minor for p in parts) == total.minor
    return parts
