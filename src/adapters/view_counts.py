"""Views added up in memory and written in batches: a popular work's row is then written once a second by each
process instead of once per read (a write and a row lock that every reader of the work would queue behind).

The buffer is written every `interval` seconds by a background thread of its own process (started on the first
view, again after a fork) and when the process exits; a failed write keeps the counts for the next one. A
process killed outright loses at most one interval of views, which feed no ranking and no money.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable

from skyriff_domain.ports import ViewCounter

log = logging.getLogger("skyriff.views")

Sink = Callable[[dict[int, int]], None]  # adds {work_id: views} to the works


class BufferedViewCounter(ViewCounter):
    def __init__(self, sink: Sink, interval: float = 1.0) -> None:
        self._sink = sink
        self._interval = interval
        self._pending: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._writer_pid: int | None = None
        self._wake = threading.Event()
        atexit.register(self.flush)

    def count(self, work_id: int) -> None:
        with self._lock:
            self._pending[work_id] += 1
            if self._writer_pid != os.getpid():  # none yet, or inherited through a fork (threads are not)
                self._writer_pid = os.getpid()
                threading.Thread(target=self._run, name="view-counts", daemon=True).start()

    def flush(self) -> None:
        """Write what is pending now (also at exit)."""
        with self._lock:
            batch, self._pending = dict(self._pending), Counter()
        if not batch:
            return
        try:
            self._sink(batch)
        except Exception:  # the database is away for a moment: keep the views for the next write
            log.exception("could not write %d works' views; kept for the next try", len(batch))
            with self._lock:
                self._pending.update(batch)

    def _run(self) -> None:
        pid = os.getpid()
        while self._writer_pid == pid:
            self._wake.wait(self._interval)
            self.flush()


class DirectViewCounter(ViewCounter):
    """Every view written at once (tests, and deployments that want exact counts at any cost)."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def count(self, work_id: int) -> None:
        self._sink({work_id: 1})
