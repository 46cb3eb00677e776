"""The `skyriff` command line: serve the API, migrate, seed, and the operator and batch tasks."""
from __future__ import annotations

import argparse
import logging
import sys
from typing import Callable

from skyriff_domain.errors import DomainError

from .container import Container, build_container
from .settings import Settings

log = logging.getLogger("skyriff")


def _serve(container: Container, args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from .http.app import create_app

    app = create_app(container, bootstrap=True)
    log.info("SkyRiff API on http://%s:%d/v1 (docs: /v1/docs)", args.host, args.port)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    return 0


def _db_upgrade(container: Container, args: argparse.Namespace) -> int:
    from adapters.sqlalchemy.migrate import current_revision, upgrade

    upgrade(container.engine())
    print(f"database at revision {current_revision(container.engine())}")
    return 0


def _seed(container: Container, args: argparse.Namespace) -> int:
    print(f"added {container.catalog().seed()} products")
    return 0


def _ledger_verify(container: Container, args: argparse.Namespace) -> int:
    problems = container.ledger_audit().verify()
    for problem in problems:
        print(problem)
    print("ledger OK: every balance equals its ledger" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


def _coins_release(container: Container, args: argparse.Namespace) -> int:
    print(f"released {container.wallets().release_matured_coins()} coins")
    return 0


def _purge(container: Container, args: argparse.Namespace) -> int:
    dropped = container.housekeeping().purge_expired()
    print("purged " + ", ".join(f"{count} {what}" for what, count in dropped.items()))
    return 0


def _ban(banned: bool) -> Callable[[Container, argparse.Namespace], int]:
    def run(container: Container, args: argparse.Namespace) -> int:
        container.user_admin().set_banned(args.user_id, banned)
        print(f"user {args.user_id} {'banned' if banned else 'unbanned'}")
        return 0

    return run


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="skyriff", description="SkyRiff backend (settings: SKYRIFF_* variables)")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP API (migrates and seeds the embedded database)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply Alembic migrations").set_defaults(run=_db_upgrade)
    sub.add_parser("seed", help="insert the default product catalogue (missing SKUs only)").set_defaults(run=_seed)
    ledger = sub.add_parser("ledger", help="ledger checks").add_subparsers(dest="ledger_command", required=True)
    ledger.add_parser("verify", help="recompute balances from the ledger; exit 1 on any difference"
                      ).set_defaults(run=_ledger_verify)
    coins = sub.add_parser("coins", help="coin batches").add_subparsers(dest="coins_command", required=True)
    coins.add_parser("release", help="move matured pending coins to available").set_defaults(run=_coins_release)
    sub.add_parser("purge", help="drop expired SMS codes, rate counters and idempotency keys"
                   ).set_defaults(run=_purge)
    users = sub.add_parser("users", help="operator actions").add_subparsers(dest="users_command", required=True)
    for name, banned in (("ban", True), ("unban", False)):
        cmd = users.add_parser(name, help=f"{name} a user")
        cmd.add_argument("user_id", type=int)
        cmd.set_defaults(run=_ban(banned))
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
