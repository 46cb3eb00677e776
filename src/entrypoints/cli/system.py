"""Commands that keep the system running: serve, migrate, seed, ledger checks and batches."""
from __future__ import annotations

import argparse
import logging
import os
import time

import attrs

from ..container import Container

log = logging.getLogger("skyriff")


def serve(container: Container, args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from adapters.jobs.in_process import WorkerLoop

    from ..http.app import create_app
    from ..worker import WorkerPass

    settings = container.settings()
    if "SKYRIFF_PUBLIC_BASE_URL" not in os.environ:  # links (files, notify URLs) point at where we listen
        container.settings.override(attrs.evolve(settings, public_base_url=f"http://{args.host}:{args.port}"))
    app = create_app(container, bootstrap=True)
    loop = WorkerLoop(WorkerPass(container)).start() if container.settings().embedded_worker else None
    log.info("SkyRiff API on http://%s:%d/v1 (docs: /v1/docs)%s", args.host, args.port,
             ", with the background worker" if loop else "")
    _serve_console(container, args)
    try:
        run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    finally:
        if loop:
            loop.stop()
    return 0


def _serve_console(container: Container, args: argparse.Namespace) -> None:
    """Where operators reach the console: beside the API, on its own listen address (in a thread), or nowhere."""
    import threading

    from werkzeug.serving import make_server

    from ..http.app import create_console_app

    settings = container.settings()
    if settings.console != "on":
        log.info("operators' console off (SKYRIFF_CONSOLE=off)")
        return
    if not settings.console_bind:
        log.info("operators' console on http://%s:%d/admin/", args.host, args.port)
        return
    host, _, port = settings.console_bind.rpartition(":")
    server = make_server(host.strip("[]"), int(port), create_console_app(container, bootstrap=False), threaded=True)
    threading.Thread(target=server.serve_forever, name="console", daemon=True).start()
    log.info("operators' console on http://%s/admin/ (SKYRIFF_CONSOLE_BIND)", settings.console_bind)


def worker(container: Container, args: argparse.Namespace) -> int:
    from ..worker import WorkerPass

    work = WorkerPass(container)
    if args.once:
        work()
        return 0
    log.info("worker started (every %.1f s)", args.interval)
    while True:  # stopped by a signal; every pass is safe to interrupt
        try:
            work()
        except Exception:
            log.exception("worker pass failed")
        time.sleep(args.interval)


def db_upgrade(container: Container, args: argparse.Namespace) -> int:
    from adapters.sqlalchemy.migrate import current_revision, upgrade

    upgrade(container.engine())
    print(f"database at revision {current_revision(container.engine())}")
    return 0


def seed(container: Container, args: argparse.Namespace) -> int:
    print(f"added {container.catalog().seed()} products")
    return 0


def ledger_verify(container: Container, args: argparse.Namespace) -> int:
    problems = container.ledger_audit().check("cli")
    for problem in problems:
        print(problem)
    print("ledger OK: every balance equals its ledger" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


def coins_release(container: Container, args: argparse.Namespace) -> int:
    print(f"released {container.wallets().release_matured_coins()} coins")
    return 0


def purge(container: Container, args: argparse.Namespace) -> int:
    dropped = container.housekeeping().purge_expired()
    print("purged " + ", ".join(f"{count} {what}" for what, count in dropped.items()))
    return 0


def payments_reconcile(container: Container, args: argparse.Namespace) -> int:
    from datetime import timedelta

    report = container.payments().reconcile(min_age=timedelta(minutes=args.min_age))
    print(f"reconciled: {report.paid} paid, {report.closed} closed, {report.pending} still pending, "
          f"{report.errors} channel errors")
    return 1 if report.errors else 0
