"""The `skyriff` command line against a real database."""
from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from entrypoints.cli import main
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from tests.support.http import make_client, make_container


def test_db_upgrade_and_seed(sqlite_engine, capsys):
    container = make_container(sqlite_engine)
    assert main(["db", "upgrade"], container) == 0
    assert main(["seed"], container) == 0
    assert "added 6 products" in capsys.readouterr().out
    assert main(["seed"], container) == 0
    assert "added 0 products" in capsys.readouterr().out


def test_ledger_verify_exits_non_zero_on_a_difference(sqlite_engine, capsys):
    client = make_client(sqlite_engine)
    me = client.login()
    container = client.app.extensions["skyriff"]
    container.wallets().grant_credits(me["user_id"], Credits(600), LedgerType.RECHARGE, "充值30元")
    assert main(["ledger", "verify"], container) == 0
    with sqlite_engine.begin() as conn:
        conn.execute(text("UPDATE wallets SET credits = credits + 1"))
    assert main(["ledger", "verify"], container) == 1
    out = capsys.readouterr().out
    assert f"user {me['user_id']} credits: balance 601, ledger sum 600" in out


def test_ban_and_unban(sqlite_engine, capsys):
    client = make_client(sqlite_engine)
    me = client.login()
    container = client.app.extensions["skyriff"]
    assert main(["users", "ban", str(me["user_id"])], container) == 0
    assert client.get("/me")[1]["code"] == 1004
    assert main(["users", "unban", str(me["user_id"])], container) == 0
    assert client.get("/me")[1]["code"] == 0
    assert main(["users", "ban", "424242"], container) == 2
    assert "2007" in capsys.readouterr().err


def test_batches_run(sqlite_engine, capsys):
    container = make_container(sqlite_engine)
    assert main(["coins", "release"], container) == 0
    assert main(["purge"], container) == 0
    assert "0 sms_codes, 0 rate_counters, 0 idempotency_keys" in capsys.readouterr().out


def test_console_script_is_installed_and_answers_help():
    result = subprocess.run([sys.executable, "-m", "entrypoints.cli", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and "ledger" in result.stdout and "serve" in result.stdout
