"""The embedded default: submissions run at once on a small thread pool, and a background loop polls
providers and sweeps timeouts — so `skyriff serve` alone takes a task from create to SUCCESS."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from skyriff_domain.ports import JobQueue

log = logging.getLogger("skyriff.worker")


class InProcessJobQueue(JobQueue):
    def __init__(self, submit: Callable[[int], object], poll: Callable[[int], object] | None = None,
                 threads: int = 2) -> None:
        self._submit, self._poll = submit, poll
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="skyriff-jobs")

    def task_created(self, task_id: int) -> None:
        self._pool.submit(self._run, self._submit, task_id)

    def task_changed(self, task_id: int) -> None:
        if self._poll is not None:
            self._pool.submit(self._run, self._poll, task_id)

    @staticmethod
    def _run(job: Callable[[int], object], task_id: int) -> None:
        try:
            job(task_id)
        except Exception:  # the worker loop will pick the task up again; never kill the pool thread
            log.exception("background job for task %s failed", task_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


class DatabaseQueue(JobQueue):
    """For a fleet: the API only stores the task; `skyriff worker` finds it in the database within a tick."""

    def task_created(self, task_id: int) -> None:
        return None


class RecordingJobQueue(JobQueue):
    """For tests: remembers what was enqueued; the test runs the worker when it wants."""

    def __init__(self) -> None:
        self.created: list[int] = []
        self.changed: list[int] = []

    def task_created(self, task_id: int) -> None:
        self.created.append(task_id)

    def task_changed(self, task_id: int) -> None:
        self.changed.append(task_id)


class WorkerLoop:
    """Calls `run_once` every `interval` seconds on a daemon thread until stopped."""

    def __init__(self, run_once: Callable[[], object], interval: float = 1.0) -> None:
        self._run_once, self._interval = run_once, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="skyriff-worker", daemon=True)

    def start(self) -> "WorkerLoop":
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._run_once()
            except Exception:
                log.exception("worker pass failed")
            self._stop.wait(self._interval)
