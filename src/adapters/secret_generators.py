"""Random values from the OS CSPRNG, and a predictable generator for tests."""
from __future__ import annotations

import itertools
import secrets

from skyriff_domain.ports import SecretGenerator


class RandomSecrets(SecretGenerator):
    def digits(self, length: int) -> str:
        return "".join(secrets.choice("0123456789") for _ in range(length))

    def token(self) -> str:
        return secrets.token_urlsafe(24)

    def code(self, alphabet: str, length: int) -> str:
        return "".join(secrets.choice(alphabet) for _ in range(length))


class SequentialSecrets(SecretGenerator):
    """Deterministic: digits count up from 100000, tokens are state-1, state-2, …"""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def digits(self, length: int) -> str:
        return str(10 ** (length - 1) + next(self._n))[-length:]

    def token(self) -> str:
        return f"state-{next(self._n)}"

    def code(self, alphabet: str, length: int) -> str:
        n, out = next(self._n), []
        for _ in range(length):
            n, r = divmod(n, len(alphabet))
            out.append(alphabet[r])
        return "".join(reversed(out))
