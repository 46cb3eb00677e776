"""Operators' credentials with the standard library: a PBKDF2-SHA256 password hasher and RFC 6238 one-time codes.
The kit's `PasswordHasher` and `OneTimeCodes`; production uses Argon2id and pyotp (adapters.auth), and
tests/unit/test_kit_operators.py holds the two pairs to the same contract (the codes are the same codes)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

from skyriff_domain.ports import OneTimeCodes, PasswordHasher

STEP_SECONDS = 30
DRIFT_STEPS = 1  # as production: the step before or after is accepted too
DIGITS = 6


class Pbkdf2PasswordHasher(PasswordHasher):
    """`pbkdf2_sha256$iterations$salt$hash` (base64); few iterations by default, since the kit serves tests."""

    def __init__(self, iterations: int = 1000) -> None:
        self.iterations = iterations
        self._dummy = self.hash("skyriff-no-such-operator")

    def hash(self, password: str) -> str:
        salt = secrets.token_bytes(16)
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, self.iterations)
        return f"pbkdf2_sha256${self.iterations}${_b64(salt)}${_b64(digest)}"

    def verify(self, hashed: str, password: str) -> bool:
        try:
            name, iterations, salt, digest = hashed.split("$")
            if name != "pbkdf2_sha256":
                return False
            expected = base64.b64decode(digest, validate=True)
            actual = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt, validate=True),
                                         int(iterations))
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(actual, expected)

    def dummy_verify(self, password: str) -> None:
        self.verify(self._dummy, password)


class TotpCodes(OneTimeCodes):
    """RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps), the codes authenticator apps show."""

    def new_secret(self) -> str:
        return base64.b32encode(secrets.token_bytes(20)).decode("ascii")  # 160 bits, 32 characters

    def code_at(self, secret: str, timestamp: float) -> str:
        """The code for the step `timestamp` falls in (what an authenticator app shows then)."""
        key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
        mac = hmac.new(key, struct.pack(">Q", int(timestamp) // STEP_SECONDS), hashlib.sha1).digest()
        offset = mac[-1] & 0x0F
        number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
        return str(number % 10**DIGITS).zfill(DIGITS)

    def matching_step(self, secret: str, code: str, now: datetime) -> int | None:
        code = code.strip().replace(" ", "")
        if not (len(code) == DIGITS and code.isascii() and code.isdigit()):
            return None
        current = int(now.timestamp()) // STEP_SECONDS
        for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
            if hmac.compare_digest(self.code_at(secret, step * STEP_SECONDS), code):
                return step
        return None

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return f"otpauth://totp/{quote(issuer)}:{quote(account)}?" + urlencode({"secret": secret, "issuer": issuer})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
