"""Local stand-ins for the embedded defaults and unit tests: a real-name check and a personal-data cipher."""
from __future__ import annotations

import hashlib

from skyriff_domain.ports.payouts import IdentityVerifier, PersonalDataCipher

MISMATCH_MARKER = "[mismatch]"


class FakeIdentityVerifier(IdentityVerifier):
    """Accepts any number (the caller has checked its format) with any name not containing `[mismatch]`."""

    def __init__(self) -> None:
        self.checks = 0  # how many paid checks a real verifier would have made

    def matches(self, real_name: str, id_number: str) -> bool:
        self.checks += 1
        return MISMATCH_MARKER not in real_name


class PlainPersonalDataCipher(PersonalDataCipher):
    """A readable stand-in for unit tests: tokens show the text, fingerprints never do."""

    PREFIX = "plain:"

    def encrypt(self, plain: str) -> str:
        return self.PREFIX + plain

    def decrypt(self, token: str) -> str:
        if not token.startswith(self.PREFIX):
            raise ValueError("not a token of this cipher")
        return token[len(self.PREFIX):]

    def fingerprint(self, plain: str) -> str:
        return hashlib.sha256(b"skyriff-plain-fingerprint\x00" + plain.encode("utf-8")).hexdigest()
