"""Races for concurrency tests: the same call in many threads, released together by a barrier."""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def race(threads: int, call: Callable[[], T]) -> list[T | BaseException]:
    """Run `call` in `threads` threads released at once; each result, or the exception it raised."""
    barrier = threading.Barrier(threads)

    def run(_: int) -> T | BaseException:
        barrier.wait(timeout=60)
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on what each thread got
            return exc

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(run, range(threads)))


def race_all(calls: list[Callable[[], T]]) -> list[T | BaseException]:
    """Run different calls, one thread each, released at once; each result (in order), or the exception."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T | BaseException:
        barrier.wait(timeout=60)
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on what each thread got
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))
