"""Redemption codes: batches operators generate, each granting free credits or one catalogue product, and the
codes themselves — kept only as keyed hashes beside a short hint, so a leaked table redeems nothing."""
from __future__ import annotations

import enum
import hashlib
import hmac
from datetime import datetime

import attrs

from ..errors import NotAllowed
from ..money import Credits

# 32 symbols, no 0/O and no 1/I: codes are read off cards and screenshots. 16 of them are 80 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16
GROUP = 4  # printed as XXXX-XXXX-XXXX-XXXX
SEPARATORS = "- "  # ignored in what users type
CODE_INPUT_MAX = 64  # the longest text the endpoint reads as a code (dashes and spaces included)
HINT_HEAD, HINT_TAIL = 4, 2  # what operators see of a code: 10 of its 16 symbols stay secret
LABEL_MAX = 100


def format_code(code: str) -> str:
    """ABCDEFGHJKLMNPQR → ABCD-EFGH-JKLM-NPQR."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def normalize_code(text: str) -> str | None:
    """What a user typed, as the stored form: case-insensitive, dashes and spaces ignored. None when it cannot
    be a code (wrong length, a symbol outside the alphabet, anything not ASCII)."""
    if not text.isascii():
        return None
    code = "".join(ch for ch in text if ch not in SEPARATORS).upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def hash_code(secret: str, code: str) -> str:
    """HMAC-SHA256 of the normalized code under the server's redemption secret: the only form stored."""
    return hmac.new(secret.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_hint(code: str) -> str:
    """The non-secret part operators may see and users may quote: ABCD…QR."""
    return f"{code[:HINT_HEAD]}…{code[-HINT_TAIL:]}"


class BatchStatus(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    DISABLED = "disabled"


@attrs.define
class RedemptionBatch:
    """Codes generated together; each grants `credits` free credits, or the product `product_id` delivers
    (read from its catalogue row when redeemed, like a paid order), at no cost."""

    label: str
    count: int
    created_by: str
    created_at: datetime
    credits: Credits = Credits(0)
    product_id: int | None = None
    expires_at: datetime | None = None  # redeemable before this instant; None: no expiry
    operator_id: int | None = None  # the operator account, once operators have accounts
    disabled_at: datetime | None = None
    disabled_by: str | None = None
    id: int | None = None

    def status(self, now: datetime) -> BatchStatus:
        if self.disabled_at is not None:
            return BatchStatus.DISABLED
        if self.expires_at is not None and now >= self.expires_at:
            return BatchStatus.EXPIRED
        return BatchStatus.ACTIVE

    def accepts(self, now: datetime) -> bool:
        return self.status(now) is BatchStatus.ACTIVE

    def disable(self, by: str, now: datetime) -> None:
        """For good: codes not yet redeemed stop working (NotAllowed if already disabled)."""
        if self.disabled_at is not None:
            raise NotAllowed("该批兑换码已停用")
        self.disabled_at, self.disabled_by = now, by


@attrs.define
class RedemptionCode:
    batch_id: int
    code_hash: str
    hint: str
    redeemed_by: int | None = None
    redeemed_at: datetime | None = None
    id: int | None = None

    @property
    def redeemed(self) -> bool:
        return self.redeemed_at is not None

    def redeem(self, user_id: int, now: datetime) -> None:
        assert not self.redeemed, "a code is redeemed once"
        self.redeemed_by, self.redeemed_at = user_id, now


@attrs.frozen
class BatchSummary:
    """A batch with how many of its codes were redeemed (generated is `batch.count`)."""

    batch: RedemptionBatch
    redeemed: int
