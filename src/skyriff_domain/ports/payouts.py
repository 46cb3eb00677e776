"""Ports for money leaving the platform and for knowing who is paid: transfers to a payee's WeChat or Alipay
account, refunds of payments, real-name checks, and the cipher that keeps identity numbers unreadable at rest.

Exactly-once is the caller's contract with the channel: a transfer or a refund has a number derived from our
own id; a call whose fate is unknown raises `OutcomeUnknown` and is then only ever *queried* (a query that
finds nothing proves it was never created, and only then may it be sent again). Vendor states stay in the
adapters; the domain sees the states below."""
from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from datetime import datetime
from typing import Mapping

import attrs

from ..money import Cny


class OutcomeUnknown(Exception):
    """Sent, then a timeout, a 5xx or an unreadable answer: the channel may have acted. Query, never re-send."""


class TransferState(enum.StrEnum):
    SUCCESS = "success"  # the payee has the money
    PROCESSING = "processing"  # accepted, not final yet (query again later)
    WAIT_USER_CONFIRM = "wait_user_confirm"  # WeChat: the payee must confirm receipt in WeChat (package_info)
    FAILED = "failed"  # final: closed, wrong name, frozen account… (the money never left)
    NOT_FOUND = "not_found"  # a query: the channel has no such transfer (it was never created)


@attrs.frozen
class TransferOrder:
    """One payout: `bill_no` is ours and derived from the withdrawal id (5–32 of [A-Za-z0-9])."""

    bill_no: str
    amount: Cny
    payee_account: str  # WeChat: the payee's openid under the merchant's AppID; Alipay: the logon id
    payee_name: str  # the verified real name (WeChat: sent encrypted from 2,000 CNY; Alipay: always)
    remark: str  # shown to the payee (WeChat transfer_remark, Alipay remark)


@attrs.frozen
class TransferResult:
    state: TransferState
    channel_ref: str | None = None  # the channel's own id of the transfer
    package_info: str | None = None  # WeChat, while WAIT_USER_CONFIRM: what the app passes to WeChat
    reason: str | None = None  # why a FAILED transfer failed, readable by operators and payees


class PayoutGateway(ABC):
    """A channel that pays money out (WeChat Pay 商家转账, Alipay 单笔转账, or the embedded sandbox)."""

    channel: str  # the withdrawal method it serves: "wechat" | "alipay"
    payee_app_id: str | None = None  # WeChat: the AppID whose openids it pays (None: any, e.g. the sandbox)

    @abstractmethod
    def transfer(self, order: TransferOrder) -> TransferResult:
        """Create the transfer once. Returns its state (a definitive refusal is FAILED with a reason); raises
        OutcomeUnknown when its fate is unknown. Sending the same bill_no again never pays twice."""

    @abstractmethod
    def query(self, bill_no: str) -> TransferResult:
        """The transfer's state; NOT_FOUND if the channel never created it. Raises ProviderUnavailable."""


class RefundState(enum.StrEnum):
    SUCCESS = "success"
    PROCESSING = "processing"
    FAILED = "failed"  # final: closed or abnormal (the money did not go back)
    NOT_FOUND = "not_found"


@attrs.frozen
class RefundOrder:
    """Give back `amount` of a settled payment; `refund_no` is ours, derived from the payment id."""

    refund_no: str
    out_trade_no: str
    amount: Cny
    total: Cny  # what the payment collected
    reason: str


@attrs.frozen
class RefundResult:
    state: RefundState
    channel_ref: str | None = None
    reason: str | None = None


@attrs.frozen
class RefundNotice:
    """A verified refund notification (WeChat posts them; Alipay answers the refund call itself)."""

    refund_no: str
    state: RefundState
    amount: Cny | None = None
    channel_ref: str | None = None


class RefundGateway(ABC):
    """The refund half of a payment channel (the same merchant account and keys as its PaymentGateway)."""

    channel: str  # "wechat" | "alipay" | "sandbox"

    @abstractmethod
    def refund(self, order: RefundOrder) -> RefundResult:
        """Ask for the refund once; raises OutcomeUnknown when its fate is unknown. Asking again with the same
        refund_no never refunds twice."""

    @abstractmethod
    def query_refund(self, refund_no: str, out_trade_no: str) -> RefundResult:
        """Raises ProviderUnavailable."""

    def parse_refund_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> RefundNotice:
        """Verify and decode a refund notification like a payment one; raises NotificationRejected (3004).
        Channels that do not notify refunds refuse every notification."""
        from ..errors import NotificationRejected

        raise NotificationRejected(f"{self.channel} 不发送退款通知")


class IdentityVerifier(ABC):
    """Two-factor real-name check: does this name belong to this resident ID number?"""

    @abstractmethod
    def matches(self, real_name: str, id_number: str) -> bool:
        """True for a match, False for a mismatch (or a number the registry does not know). Raises
        ProviderUnavailable when the check could not be made. Never logs either value."""


class PersonalDataCipher(ABC):
    """Keeps personal data (ID numbers, real names) unreadable at rest and comparable by a keyed hash."""

    @abstractmethod
    def encrypt(self, plain: str) -> str: ...

    @abstractmethod
    def decrypt(self, token: str) -> str: ...

    @abstractmethod
    def fingerprint(self, plain: str) -> str:
        """A keyed hash (HMAC-SHA256, hex): equal values give equal fingerprints, and nothing else is learnt."""
