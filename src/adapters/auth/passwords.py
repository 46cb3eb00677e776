"""Operators' passwords hashed with Argon2id (argon2-cffi): salted, memory-hard, self-describing hashes."""
from __future__ import annotations

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from skyriff_domain.ports import PasswordHasher


class Argon2PasswordHasher(PasswordHasher):
    """argon2-cffi's RFC 9106 low-memory profile by default (t=3, 64 MiB); tests pass cheaper parameters."""

    def __init__(self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        self._argon = Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._argon.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._argon.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def dummy_verify(self, password: str) -> None:
        if self._dummy is None:  # made once, with this hasher's parameters: it costs what a real check costs
            self._dummy = self._argon.hash("skyriff-no-such-operator")
        self.verify(self._dummy, password)
