"""The Celery application: one poll chain per generation task and the periodic batches, as Celery tasks.

    celery -A entrypoints.celery_app worker --loglevel=INFO
    celery -A entrypoints.celery_app beat --loglevel=INFO

Importing this module connects to nothing: the container (database, providers) is built on the first task a
worker process runs. Every task is idempotent (one-time claims, leases and compare-and-swap in the runner),
which is what makes late acks and redelivery safe.
"""
from __future__ import annotations

import functools
import logging
import os
import threading

from celery import Celery

from adapters.jobs.poll_chain import PollChains
from skyriff_domain.model.generation import GenerationTask

from .container import Container
from .settings import Settings

log = logging.getLogger("skyriff.worker")
ledger_log = logging.getLogger("skyriff.ledger")


def configure(app: Celery, broker_url: str) -> Celery:
    app.conf.update(
        broker_url=broker_url,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,  # nothing reads results: the database is the source of truth
        task_acks_late=True,  # a killed worker's job is redelivered ...
        worker_prefetch_multiplier=1,  # ... and one worker does not hoard messages another could run
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
    )
    return app


# Only the broker is read at import: Settings.from_env() may write local secrets, which is for start-up.
app = configure(Celery("skyriff"), os.environ.get("SKYRIFF_CELERY_BROKER_URL") or Settings().celery_broker_url)


@functools.cache
def app_for(broker_url: str) -> Celery:
    """The app that sends to `broker_url`: this module's app, or a sender-only one when the container's
    settings name another broker (tests, tools)."""
    return app if broker_url == app.conf.broker_url else configure(Celery("skyriff"), broker_url)


_lock = threading.Lock()


@functools.cache
def _build() -> tuple[Container, PollChains]:
    container = Container(settings=Settings.from_env())
    runner = container.task_runner()  # the singletons are not thread-safe to create: make them before threads
    chains = PollChains(container.leases(), container.clock(), runner.poll_one, _load, _schedule,
                        container.policy().generation.poll_interval.total_seconds())
    return container, chains


def container() -> Container:
    """The worker process's container, made on first use (after a prefork child starts, never at import)."""
    with _lock:
        return _build()[0]


def chains() -> PollChains:
    with _lock:
        return _build()[1]


@app.task(name="skyriff.submit_task")
def submit_task(task_id: int) -> None:
    container().task_runner().submit(task_id)
    chains().start(task_id)  # a redelivered submit finds the chain alive and starts none


@app.task(name="skyriff.poll_task")
def poll_task(task_id: int, token: int | None = None) -> None:
    """With a token: a link of the task's one poll chain. Without (a webhook's nudge): poll once."""
    if token is None:
        chains().nudge(task_id)
    else:
        chains().link(task_id, token)


@app.task(name="skyriff.worker_pass")
def worker_pass() -> None:
    report = container().task_runner().run_once()
    if report.submitted or report.finished or report.swept:
        log.info("tasks: %d submitted, %d polled, %d finished, %d timed out", report.submitted, report.polled,
                 report.finished, report.swept)


@app.task(name="skyriff.reconcile_payments")
def reconcile_payments() -> None:
    report = container().payments().reconcile()
    log.info("payments reconcile: %d paid, %d closed, %d pending, %d channel errors", report.paid, report.closed,
             report.pending, report.errors)


@app.task(name="skyriff.sync_payouts")
def sync_payouts() -> None:
    report = container().payouts().sync()
    log.info("payouts sync: %d paid, %d failed, %d in flight, %d errors", report.paid, report.failed,
             report.in_flight, report.errors)


@app.task(name="skyriff.sync_refunds")
def sync_refunds() -> None:
    report = container().refunds().sync()
    log.info("refunds sync: %d succeeded, %d failed, %d processing, %d errors", report.succeeded, report.failed,
             report.processing, report.errors)


@app.task(name="skyriff.release_coins")
def release_coins() -> None:
    log.info("released %s coins", container().wallets().release_matured_coins())


@app.task(name="skyriff.purge")
def purge() -> None:
    dropped = container().housekeeping().purge_expired()
    log.info("purged " + ", ".join(f"{count} {what}" for what, count in dropped.items()))


@app.task(name="skyriff.ledger_verify")
def ledger_verify() -> None:
    problems = container().ledger_audit().check("schedule")
    for problem in problems:
        ledger_log.error("ledger difference: %s", problem)
    if not problems:
        ledger_log.info("ledger OK: every balance equals its ledger")


def _every(task: str, seconds: float) -> dict:
    # A run that waited longer than its interval is dropped: the next one does the same work.
    return {"task": task, "schedule": seconds, "options": {"expires": seconds}}


app.conf.beat_schedule = {
    "worker-pass": _every("skyriff.worker_pass", 5.0),
    "reconcile-payments": _every("skyriff.reconcile_payments", 60.0),
    "sync-payouts": _every("skyriff.sync_payouts", 60.0),
    "sync-refunds": _every("skyriff.sync_refunds", 60.0),
    "release-coins": _every("skyriff.release_coins", 300.0),
    "ledger-verify": _every("skyriff.ledger_verify", 300.0),
    "purge": _every("skyriff.purge", 3600.0),
}


def _load(task_id: int) -> GenerationTask | None:
    unit_of_work = container().uow()
    with unit_of_work(read_only=True) as uow:
        return uow.tasks.get(task_id)


def _schedule(task_id: int, token: int, countdown: float) -> None:
    poll_task.apply_async((task_id, token), countdown=countdown)
