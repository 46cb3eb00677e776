"""Withdrawals: applied → approved → paid, or rejected (coins return); account details checked per method."""
from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Any

import attrs

from ..errors import InvalidRequest, NotAllowed
from ..money import Cny
from ..text import clean_text


class WithdrawalStatus(enum.StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


@attrs.define
class Withdrawal:
    user_id: int
    amount: Cny
    method: str
    account_info: dict[str, str]
    created_at: datetime
    status: WithdrawalStatus = WithdrawalStatus.APPLIED
    processed_at: datetime | None = None
    note: str = ""
    id: int | None = None

    def approve(self, now: datetime) -> None:
        self._move({WithdrawalStatus.APPLIED}, WithdrawalStatus.APPROVED)

    def reject(self, now: datetime, note: str = "") -> None:
        self._move({WithdrawalStatus.APPLIED, WithdrawalStatus.APPROVED}, WithdrawalStatus.REJECTED)
        self.processed_at, self.note = now, note

    def mark_paid(self, now: datetime) -> None:
        self._move({WithdrawalStatus.APPROVED}, WithdrawalStatus.PAID)
        self.processed_at = now

    def _move(self, allowed: set[WithdrawalStatus], to: WithdrawalStatus) -> None:
        if self.status not in allowed:
            raise NotAllowed(f"提现状态为 {self.status}，不能改为 {to}")
        self.status = to


_PHONE = re.compile(r"^1[3-9][0-9]{9}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,}$")
_WECHAT_ID = re.compile(r"^[A-Za-z][-_A-Za-z0-9]{5,19}$")


def _luhn_ok(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def validate_account(method: str, info: Any) -> dict[str, str]:
    """The payee for one method: alipay (phone or email), wechat (WeChat ID), bank_card (Luhn-valid number)."""
    if not isinstance(info, dict) or not all(isinstance(v, str) for v in info.values()):
        raise InvalidRequest("account_info", "需为字符串字段组成的对象")
    name = clean_text("account_info.name", info.get("name", ""), 30, min_len=1)
    if method == "bank_card":
        number = info.get("card_no", "").replace(" ", "")
        if not (number.isascii() and number.isdigit() and 12 <= len(number) <= 19 and _luhn_ok(number)):
            raise InvalidRequest("account_info.card_no", "银行卡号无效")
        bank = clean_text("account_info.bank_name", info.get("bank_name", ""), 50, min_len=2)
        return {"name": name, "card_no": number, "bank_name": bank}
    account = info.get("account", "").strip()
    valid = _PHONE.match(account) or _EMAIL.match(account) if method == "alipay" else _WECHAT_ID.match(account)
    if not valid:
        raise InvalidRequest("account_info.account", "支付宝账号需为手机号或邮箱" if method == "alipay" else "微信号无效")
    return {"name": name, "account": account}
