"""Referrals: an invitee binds one promoter's code; promoter codes use letters nobody misreads."""
from __future__ import annotations

from datetime import datetime

import attrs

# No 0/O, 1/I/L: codes are read aloud and typed from screenshots.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "SKY"
CODE_LENGTH = 7


@attrs.define
class Referral:
    invitee_id: int
    promoter_id: int
    code: str
    created_at: datetime
    bonus_paid: bool = False
    id: int | None = None


def normalize_code(code: str) -> str:
    return code.strip().upper()
