"""The `skyriff` command line (settings come from SKYRIFF_* variables)."""
from __future__ import annotations

import argparse
import logging
import sys

from skyriff_domain.errors import DomainError

from ..container import Container, build_container
from ..settings import Settings
from . import aigc, codes, console, moderation, money, operators, system
from .arguments import int_in


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="skyriff", description="SkyRiff backend (settings: SKYRIFF_* variables)")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP API (migrates and seeds the embedded database)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int_in(1, 65535), default=8000)
    serve.set_defaults(run=system.serve)
    worker = sub.add_parser("worker", help="run the background worker (generation tasks, payment and coin batches)")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between passes")
    worker.add_argument("--once", action="store_true", help="run one pass and exit")
    worker.set_defaults(run=system.worker)
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply Alembic migrations").set_defaults(run=system.db_upgrade)
    sub.add_parser("seed", help="insert the default product catalogue (missing SKUs only)"
                   ).set_defaults(run=system.seed)
    ledger = sub.add_parser("ledger", help="ledger checks").add_subparsers(dest="ledger_command", required=True)
    ledger.add_parser("verify", help="recompute balances from the ledger; exit 1 on any difference"
                      ).set_defaults(run=system.ledger_verify)
    coins = sub.add_parser("coins", help="coin batches").add_subparsers(dest="coins_command", required=True)
    coins.add_parser("release", help="move matured pending coins to available").set_defaults(run=system.coins_release)
    payments = sub.add_parser("payments", help="payment batches").add_subparsers(dest="pay_command", required=True)
    reconcile = payments.add_parser("reconcile", help="query channels for pending payments: settle the paid, "
                                                      "close the expired (exit 1 if a channel failed)")
    reconcile.add_argument("--min-age", type=int_in(0, 60 * 24 * 366), default=2,
                           help="minutes a payment must be pending first")
    reconcile.set_defaults(run=system.payments_reconcile)
    sub.add_parser("purge", help="drop expired SMS codes, rate counters and idempotency keys"
                   ).set_defaults(run=system.purge)
    money.register_payment_commands(payments)
    money.register_user_commands(operators.register(sub))
    money.register(sub)
    aigc.register(sub)
    moderation.register(sub)
    console.register(sub)
    codes.register(sub)
    return p


def main(argv: list[str] | None = None, container: Container | None = None) -> int:
    args = parser().parse_args(argv)
    settings = container.settings() if container else Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    container = container or build_container(settings)
    try:
        return args.run(container, args)
    except DomainError as error:
        print(f"error {error.code}: {error.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
