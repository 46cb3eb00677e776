"""Argument types for the command line: ids and counts are checked against what the database can hold, so
a typo ends in a usage error, never in an overflow deep inside a query."""
from __future__ import annotations

import argparse
from typing import Callable

from skyriff_domain.ids import MAX_ID, parse_id
from skyriff_domain.money import Money

INT32_MAX = 2**31 - 1


def row_id(text: str) -> int:
    value = parse_id(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (1..{MAX_ID})")
    return value


def int_in(low: int, high: int) -> Callable[[str], int]:
    """An integer in low..high (ASCII digits, optional minus sign)."""

    def parse(text: str) -> int:
        digits = text[1:] if text.startswith("-") else text
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 19) or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer in {low}..{high}")
        return int(text)

    parse.__name__ = "integer"  # argparse names the type in its messages
    return parse


def amount(kind: type[Money]) -> Callable[[str], Money]:
    """An exact non-negative amount (e.g. 30.00) of `kind`, within what the database holds."""

    def parse(text: str) -> Money:
        try:
            value = kind.of(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        if value.is_negative:
            raise argparse.ArgumentTypeError(f"{text!r} is negative")
        return value

    parse.__name__ = "amount"
    return parse
