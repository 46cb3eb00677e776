"""Ports of the operators' side: their accounts and sessions, the append-only audit log, the recorded ledger
checks, and the password hasher and one-time-code (TOTP) checker that logging in needs."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from ..model.audit import AuditEntry, AuditFilter, LedgerCheck
from ..model.operator import OperatorAccount, OperatorSession


class OperatorRepository(ABC):
    @abstractmethod
    def add(self, account: OperatorAccount) -> OperatorAccount:
        """Raises DuplicateEntry if the name is taken."""

    @abstractmethod
    def get(self, operator_id: int) -> OperatorAccount | None: ...

    @abstractmethod
    def by_name_for_update(self, name: str) -> OperatorAccount | None:
        """Load and lock the account: failed-login counts and TOTP steps change one login at a time."""

    @abstractmethod
    def save(self, account: OperatorAccount) -> None: ...

    @abstractmethod
    def all(self) -> list[OperatorAccount]:
        """By name."""


class OperatorSessionRepository(ABC):
    @abstractmethod
    def add(self, session: OperatorSession) -> None: ...

    @abstractmethod
    def get(self, token_hash: str) -> OperatorSession | None: ...

    @abstractmethod
    def touch(self, token_hash: str, now: datetime) -> None:
        """Record activity (the idle timeout counts from it)."""

    @abstractmethod
    def remove(self, token_hash: str) -> None: ...

    @abstractmethod
    def remove_for(self, operator_id: int) -> int:
        """End every session of an operator (disabled, password or second factor reset); returns how many."""

    @abstractmethod
    def purge(self, idle_before: datetime, created_before: datetime) -> int:
        """Drop sessions idle since `idle_before` or older than `created_before`; returns how many."""


class AuditLog(ABC):
    """Append-only: there is no way to change or remove an entry (the SQL tables refuse UPDATE and DELETE too)."""

    @abstractmethod
    def add(self, entry: AuditEntry) -> AuditEntry: ...

    @abstractmethod
    def search(self, where: AuditFilter, before_id: int | None, limit: int) -> list[AuditEntry]:
        """Newest first, ids below `before_id`."""


class LedgerCheckRepository(ABC):
    @abstractmethod
    def add(self, check: LedgerCheck) -> LedgerCheck: ...

    @abstractmethod
    def latest(self, limit: int) -> list[LedgerCheck]:
        """Newest first."""


class PasswordHasher(ABC):
    @abstractmethod
    def hash(self, password: str) -> str:
        """A salted, slow hash that names its own algorithm and parameters."""

    @abstractmethod
    def verify(self, hashed: str, password: str) -> bool:
        """Constant in time for a given hash; False for a wrong password or an unreadable hash."""

    @abstractmethod
    def dummy_verify(self, password: str) -> None:
        """Spend what `verify` spends, for a name that has no account: the answer's timing tells nothing."""


class OneTimeCodes(ABC):
    """Time-based one-time passwords (RFC 6238: 6 digits, 30-second steps) as authenticator apps make them."""

    @abstractmethod
    def new_secret(self) -> str:
        """A fresh base32 secret (at least 160 bits)."""

    @abstractmethod
    def matching_step(self, secret: str, code: str, now: datetime) -> int | None:
        """The time step whose code `code` is — the current one or one either side, for clock drift — or None."""

    @abstractmethod
    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        """The otpauth:// URI an authenticator app takes (as a QR code or pasted)."""
