"""Minors' limits (未成年人网络保护条例 Art. 44): what a verified minor may pay, and that they may not tip, buy
prompts or withdraw. Unverified users follow the adult rules until verified."""
from __future__ import annotations

from ..errors import MinorLimit
from ..money import Cny
from ..policy import MinorPolicy
from .identity import ADULT_AGE


def check_payment(age: int | None, amount: Cny, paid_this_month: Cny, policy: MinorPolicy) -> None:
    """Raises MinorLimit (2012) naming the limit a payment of `amount` would break; `paid_this_month`
    counts what was paid or is still payable this calendar month."""
    if age is None or age >= ADULT_AGE:
        return
    if age < policy.no_payments_under:
        raise MinorLimit(f"未满{policy.no_payments_under}周岁不能充值", {"age_below": policy.no_payments_under})
    for below, per_payment, per_month in policy.brackets:
        if age < below:
            if amount > per_payment:
                raise MinorLimit(f"未成年人单笔充值不能超过{per_payment}元", {"limit": per_payment.to_decimal()})
            if paid_this_month + amount > per_month:
                raise MinorLimit(f"未成年人每月充值不能超过{per_month}元",
                                 {"limit": per_month.to_decimal(), "used": paid_this_month.to_decimal()})
            return


def refuse_for_minors(age: int | None, what: str) -> None:
    """Tips, prompt purchases and withdrawals are not for minors: `what` names the act in the message."""
    if age is not None and age < ADULT_AGE:
        raise MinorLimit(f"未成年人不能{what}")
