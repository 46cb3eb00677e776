"""Where the sandbox channels keep their bills: what a real channel remembers on its side.

A real channel remembers every transfer and refund whoever asks and whenever; so must the sandbox, or a query
from another process (the CLI approving, the worker syncing) would find nothing and a bill would be sent twice.
The book is write-once per key: the first record stays, like a channel answering a repeat with the original.
"""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Any

Record = dict[str, Any]


class SandboxBook(ABC):
    @abstractmethod
    def remember(self, key: str, record: Record) -> tuple[Record, bool]:
        """Store `record` under `key` unless one is there; return the one that stays and whether it is new."""

    @abstractmethod
    def recall(self, key: str) -> Record | None: ...

    @abstractmethod
    def records(self, prefix: str) -> list[Record]:
        """Every record whose key starts with `prefix` (tests and the developer's curiosity)."""


class MemorySandboxBook(SandboxBook):
    """One process's book (tests, the simulation)."""

    def __init__(self) -> None:
        self._records: dict[str, Record] = {}
        self._lock = threading.Lock()

    def remember(self, key: str, record: Record) -> tuple[Record, bool]:
        with self._lock:
            new = key not in self._records
            return dict(self._records.setdefault(key, dict(record))), new

    def recall(self, key: str) -> Record | None:
        with self._lock:
            found = self._records.get(key)
        return dict(found) if found is not None else None

    def records(self, prefix: str) -> list[Record]:
        with self._lock:
            return [dict(r) for k, r in self._records.items() if k.startswith(prefix)]
