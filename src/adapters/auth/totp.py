"""Operators' second factor: RFC 6238 time-based one-time passwords (pyotp), 6 digits in 30-second steps."""
from __future__ import annotations

from datetime import datetime

import pyotp

from skyriff_domain.ports import OneTimeCodes

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code from the step before or after is accepted too (clocks drift, people type slowly)


class PyotpCodes(OneTimeCodes):
    def new_secret(self) -> str:
        return pyotp.random_base32(32)  # 160 bits

    def matching_step(self, secret: str, code: str, now: datetime) -> int | None:
        code = code.strip().replace(" ", "")
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            return None
        totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
        current = int(now.timestamp()) // STEP_SECONDS
        for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
            if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
                return step
        return None

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=account, issuer_name=issuer)
