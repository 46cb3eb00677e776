"""The money batches over the big dataset, timed in-process: releasing matured coins and reconciling
expired pending payments (sandbox channel: the channel is asked about each payment, then closed)."""
from __future__ import annotations

import time
from datetime import timedelta

from entrypoints.container import Container


def coin_release(container: Container) -> dict:
    started = time.perf_counter()
    released = container.wallets().release_matured_coins()
    return {"seconds": round(time.perf_counter() - started, 2), "coins_released": str(released)}


def reconcile(container: Container) -> dict:
    started = time.perf_counter()
    report = container.payments().reconcile(min_age=timedelta(0))
    return {"seconds": round(time.perf_counter() - started, 2), "closed": report.closed, "paid": report.paid,
            "pending": report.pending, "errors": report.errors}
