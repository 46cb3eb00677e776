"""Running jobs really at once: every thread waits at one barrier, then all start together; each job's outcome
(its return value or the exception it raised) is kept, in job order, for the test to assert on.

With `engine`, a job's first SQL statement also waits until every other job has reached its own first
statement: all of them then hold a connection inside a unit of work at the same moment, so they surely
overlap (a thread scheduled late cannot let another finish alone first), and the run asserts it.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs
from sqlalchemy import event
from sqlalchemy.engine import Engine

BARRIER_TIMEOUT = 60.0  # generous: a loaded 2-core machine may take a while to start every thread


@attrs.frozen
class Outcome:
    """What one job did: `value` if it returned, `error` if it raised."""

    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_together(jobs: Sequence[Callable[[], Any]], threads: int | None = None,
                 engine: Engine | None = None) -> list[Outcome]:
    """Run `jobs` on `threads` threads (one per job by default) released by one barrier.

    With fewer threads than jobs, each released thread takes the next job from a shared queue, so all
    threads still contend from the same instant. With `engine` (one thread per job), every job's first
    statement on it waits for all the others' (see the module docstring).
    """
    count = min(threads or len(jobs), len(jobs))
    assert engine is None or count == len(jobs), "overlap is checked with one thread per job"
    barrier = threading.Barrier(count, timeout=BARRIER_TIMEOUT)
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(jobs)):
        todo.put(index)
    outcomes: list[Outcome | None] = [None] * len(jobs)
    failures: list[BaseException] = []
    names = [f"together-{i}" for i in range(count)]

    def worker() -> None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError as exc:
            failures.append(exc)
            return
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                return
            try:
                outcomes[index] = Outcome(value=jobs[index]())
            except Exception as exc:  # noqa: BLE001 - kept for the test to assert on
                outcomes[index] = Outcome(error=exc)

    with _first_statements_meet(engine, names) as missed:
        pool = [threading.Thread(target=worker, name=name) for name in names]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    assert not failures, f"the threads were never all released together: {failures!r}"
    assert all(o is not None for o in outcomes), "some jobs never ran"
    assert not missed, f"these jobs ran their first statement without the others in flight: {sorted(missed)}"
    return outcomes  # type: ignore[return-value]


@contextmanager
def _first_statements_meet(engine: Engine | None, names: list[str]) -> Iterator[set[str]]:
    """While inside, the first statement each named thread runs on `engine` waits for all the others'.
    Yields the names of the threads that waited in vain (empty when every job overlapped)."""
    missed: set[str] = set()
    if engine is None:
        yield missed
        return
    waiting, lock = set(names), threading.Lock()
    meeting = threading.Barrier(len(names), timeout=BARRIER_TIMEOUT)

    def before_statement(*_: object) -> None:
        name = threading.current_thread().name
        with lock:
            first = name in waiting
            waiting.discard(name)
        if first:
            try:
                meeting.wait()
            except threading.BrokenBarrierError:
                with lock:
                    missed.add(name)

    event.listen(engine, "before_cursor_execute", before_statement)
    try:
        yield missed
    finally:
        event.remove(engine, "before_cursor_execute", before_statement)
        missed.update(waiting)  # never ran a statement at all: it cannot have overlapped either


def errors_of(outcomes: Sequence[Outcome]) -> list[BaseException]:
    return [o.error for o in outcomes if o.error is not None]


def values_of(outcomes: Sequence[Outcome]) -> list[Any]:
    return [o.value for o in outcomes if o.error is None]


def race(threads: int, call: Callable[[], Any]) -> list[Any]:
    """The same call in `threads` threads released together: each result, or the exception it raised."""
    return [o.value if o.ok else o.error for o in run_together([call] * threads)]


def race_all(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Different calls, one thread each, released together: each result (in order), or the exception."""
    return [o.value if o.ok else o.error for o in run_together(calls)]
