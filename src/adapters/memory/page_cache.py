"""A small in-process page cache with expiry and LRU eviction (each API process keeps its own copies)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from skyriff_domain.ports import PageCache


class MemoryPageCache(PageCache):
    def __init__(self, max_entries: int = 2000) -> None:
        self._entries: OrderedDict[str, tuple[object, datetime]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()
        self._generation = 0

    def get(self, key: str, now: datetime) -> object | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[1] <= now:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: str, value: object, expires_at: datetime) -> None:
        with self._lock:
            self._entries[key] = (value, expires_at)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def generation(self) -> int:
        return self._generation

    def purge(self) -> None:
        """This process's pages only: processes that share pages use SharedPageCache."""
        with self._lock:
            self._entries.clear()
            self._generation += 1
