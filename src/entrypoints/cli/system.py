"""Commands that keep the system running: serve, migrate, seed, ledger checks and batches."""
from __future__ import annotations

import argparse
import logging

from ..container import Container

log = logging.getLogger("skyriff")


def serve(container: Container, args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from ..http.app import create_app

    app = create_app(container, bootstrap=True)
    log.info("SkyRiff API on http://%s:%d/v1 (docs: /v1/docs)", args.host, args.port)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    return 0


def db_upgrade(container: Container, args: argparse.Namespace) -> int:
    from adapters.sqlalchemy.migrate import current_revision, upgrade

    upgrade(container.engine())
    print(f"database at revision {current_revision(container.engine())}")
    return 0


def seed(container: Container, args: argparse.Namespace) -> int:
    print(f"added {container.catalog().seed()} products")
    return 0


def ledger_verify(container: Container, args: argparse.Namespace) -> int:
    problems = container.ledger_audit().verify()
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
