"""Feed pages shared by every API process: each keeps its own copies, keyed by a generation number all of them
read from one shared store (the database, or Redis), so a purge in any process — an operator's takedown from
the command line — retires every process's pages at once."""
from __future__ import annotations

import math
import threading
import time
from datetime import datetime
from typing import Callable, Protocol

from skyriff_domain.ports import PageCache


class Generations(Protocol):
    """A counter per name, shared by every process."""

    def read(self, name: str) -> int: ...

    def bump(self, name: str) -> int: ...


class SharedPageCache(PageCache):
    """`reuse_for` seconds: a process asks the shared counter at most that often (a Redis or database round
    trip saved on the other requests), so another process's purge reaches it within that time; its own purge
    reaches it at once."""

    def __init__(self, local: PageCache, generations: Generations, name: str = "feed", reuse_for: float = 0.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.local = local
        self.generations = generations
        self.name = name
        self.reuse_for = reuse_for
        self._monotonic = monotonic
        self._seen = (0, -math.inf)  # the counter, and when it was read

    def get(self, key: str, now: datetime) -> object | None:
        return self.local.get(key, now)

    def put(self, key: str, value: object, expires_at: datetime) -> None:
        self.local.put(key, value, expires_at)

    def generation(self) -> int:
        """The shared counter (a primary-key row, or a Redis GET), read again once `reuse_for` has passed."""
        value, read_at = self._seen
        now = self._monotonic()
        if now - read_at < self.reuse_for:
            return value
        value = self.generations.read(self.name)
        self._seen = (value, now)
        return value

    def purge(self) -> None:
        self._seen = (self.generations.bump(self.name), self._monotonic())
        self.local.purge()  # this process's copies are unreachable already; free their memory


class MemoryGenerations:
    """One process's counters (tests, and processes that share nothing)."""

    def __init__(self) -> None:
        self._values: dict[str, int] = {}
        self._lock = threading.Lock()

    def read(self, name: str) -> int:
        return self._values.get(name, 0)

    def bump(self, name: str) -> int:
        with self._lock:
            self._values[name] = self._values.get(name, 0) + 1
            return self._values[name]


class RedisGenerations:
    """INCR and GET on `{prefix}page-generation:{name}`; the key never expires.

    Every feed request reads the counter, so `read` talks to one connection per thread, held from the client's
    pool, without the client's per-command machinery (a third of the CPU); a connection that fails is
    dropped and the read is retried once through the client.
    """

    def __init__(self, client, prefix: str = "skyriff:") -> None:
        self._r = client
        self._prefix = prefix
        self._held = threading.local()

    def read(self, name: str) -> int:
        key = f"{self._prefix}page-generation:{name}"
        conn = getattr(self._held, "conn", None)
        if conn is None:
            conn = self._held.conn = self._r.connection_pool.get_connection()
        try:
            conn.send_command("GET", key)
            value = conn.read_response()
        except Exception:  # a dead or confused connection: give it back broken, ask the normal way
            self._held.conn = None
            conn.disconnect()
            self._r.connection_pool.release(conn)
            value = self._r.get(key)
        return int(value or 0)

    def bump(self, name: str) -> int:
        return int(self._r.incr(f"{self._prefix}page-generation:{name}"))
