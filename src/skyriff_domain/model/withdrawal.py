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


class Transfer(enum.StrEnum):
    """Where an approved withdrawal's payout stands at its channel (final outcomes become paid / rejected)."""

    SENDING = "sending"  # asked for, no answer yet: only ever queried from here, never sent blindly again
    PROCESSING = "processing"
    WAIT_USER_CONFIRM = "wait_user_confirm"  # WeChat: the payee confirms receipt in WeChat (package_info)
    HELD = "held"  # over a daily payout cap: waits for an operator


@attrs.define
class Withdrawal:
    """A payout request. Approving one sends it through its channel (WeChat Pay, Alipay) under a bill number
    derived from its id; a bank card is paid by hand and marked paid with the bank's reference."""

    user_id: int
    amount: Cny
    method: str
    account_info: dict[str, str]
    created_at: datetime
    status: WithdrawalStatus = WithdrawalStatus.APPLIED
    processed_at: datetime | None = None
    note: str = ""
    payee_ref: str | None = None  # WeChat: the payee's openid; Alipay: the logon id
    approved_at: datetime | None = None
    transfer: Transfer | None = None
    channel_ref: str | None = None
    package_info: str | None = None
    reference: str | None = None  # a bank transfer's reference, typed by the operator who paid it
    id: int | None = None

    @property
    def bill_no(self) -> str:
        """Ours, unique, derived from the id (WeChat out_bill_no / Alipay out_biz_no): a second send of the same
        withdrawal is the same transfer to the channel, never a second payment."""
        assert self.id is not None
        return f"SRW{self.id:012d}"

    @property
    def in_flight(self) -> bool:
        return self.status is WithdrawalStatus.APPROVED and self.transfer not in (None, Transfer.HELD)

    def approve(self, now: datetime) -> None:
        self._move({WithdrawalStatus.APPLIED}, WithdrawalStatus.APPROVED)
        self.approved_at = now

    def reject(self, now: datetime, note: str = "") -> None:
        """Operators reject what has not gone to a channel; a payout in flight ends only as its channel says."""
        if self.in_flight:
            raise NotAllowed("打款进行中，不能拒绝")
        self._move({WithdrawalStatus.APPLIED, WithdrawalStatus.APPROVED}, WithdrawalStatus.REJECTED)
        self.processed_at, self.note, self.transfer = now, note, None

    def mark_paid(self, now: datetime, reference: str | None = None) -> None:
        """Paid: by its channel (a transfer that succeeded), or by hand with the bank's reference."""
        self._move({WithdrawalStatus.APPROVED}, WithdrawalStatus.PAID)
        self.processed_at, self.transfer = now, None
        if reference:
            self.reference = reference

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
