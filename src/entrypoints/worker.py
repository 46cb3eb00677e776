"""The worker loop: every tick, generation tasks (submit, poll, store, sweep); every minute, the money
batches (payment reconciliation, payouts and refunds in flight, coin release, purge). `skyriff worker` runs it as its own process;
`skyriff serve` runs it in a background thread on the embedded defaults."""
from __future__ import annotations

import logging
import time
from typing import Callable

from .container import Container

log = logging.getLogger("skyriff.worker")


class WorkerPass:
    """One call = one tick; the slower batches run when their interval has passed."""

    def __init__(self, container: Container, batch_interval: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.container = container
        self.batch_interval = batch_interval
        self.monotonic = monotonic
        self._last_batches: float | None = None

    def __call__(self) -> None:
        report = self.container.task_runner().run_once()
        if report.submitted or report.finished or report.swept:
            log.info("tasks: %d submitted, %d polled, %d finished, %d timed out", report.submitted, report.polled,
                     report.finished, report.swept)
        now = self.monotonic()
        if self._last_batches is None or now - self._last_batches >= self.batch_interval:
            self._last_batches = now
            self._batches()

    def _batches(self) -> None:
        for name, job in (("payments reconcile", lambda: self.container.payments().reconcile()),
                          ("payouts sync", lambda: self.container.payouts().sync()),
                          ("refunds sync", lambda: self.container.refunds().sync()),
                          ("coins release", lambda: self.container.wallets().release_matured_coins()),
                          ("purge", lambda: self.container.housekeeping().purge_expired())):
            try:
                job()
            except Exception:  # one failing batch must not stop the others or the task loop
                log.exception("%s failed", name)
