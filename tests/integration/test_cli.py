"""The `skyriff` command line against a real database."""
from __future__ import annotations

import subprocess

import pytest
import sys

from sqlalchemy import text

from adapters.sqlalchemy.sandbox_book import SqlSandboxBook
from entrypoints.cli import main
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Coins, Credits
from tests.support.usecases import buy_pack_on
from tests.support.http import make_client, make_container


def test_db_upgrade_and_seed(sqlite_engine, capsys):
    container = make_container(sqlite_engine)
    assert main(["db", "upgrade"], container) == 0
    assert main(["seed"], container) == 0
    assert "added 6 products" in capsys.readouterr().out
    assert main(["seed"], container) == 0
    assert "added 0 products" in capsys.readouterr().out


@pytest.mark.ledger_tampered
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


@pytest.mark.parametrize("argv", [
    ["users", "ban", str(10**25)], ["users", "ban", "0"], ["users", "ban", "\uff11"],
    ["withdrawals", "approve", str(2**63)], ["withdrawals", "list", "--limit", str(2**63)],
    ["withdrawals", "list", "--limit", "-1"], ["payments", "reconcile", "--min-age", str(10**20)],
    ["products", "add", "--sku", "x", "--type", "credits_pack", "--name", "x", "--price", "abc"],
    ["products", "add", "--sku", "x", "--type", "credits_pack", "--name", "x", "--price", "1e30"],
    ["products", "add", "--sku", "x", "--type", "credits_pack", "--name", "x", "--price", "6", "--credits", "-1"],
    ["products", "add", "--sku", "x", "--type", "credits_pack", "--name", "x", "--price", "6", "--sort", str(2**31)],
])
def test_out_of_range_arguments_are_usage_errors(sqlite_engine, capsys, argv):
    container = make_container(sqlite_engine)
    with pytest.raises(SystemExit) as exit_:
        main(argv, container)
    assert exit_.value.code == 2 and "error: argument" in capsys.readouterr().err


def test_coins_release_moves_matured_coins_only(sqlite_engine, capsys):
    client = make_client(sqlite_engine)
    me = client.login()
    container = client.app.extensions["skyriff"]
    wallets = container.wallets()
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "12.34", coins="12.34")
    container.clock().advance(days=3)
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "5.00", coins="5.00")
    container.clock().advance(days=4)  # the first lot is 7 days old: matured; the second is not

    assert main(["coins", "release"], container) == 0
    assert capsys.readouterr().out == "released 12.34 coins\n"
    view = wallets.overview(me["user_id"])
    assert (view.coins_available, view.coins_pending) == (Coins.of("12.34"), Coins.of("5.00"))
    entries, _ = wallets.ledger_page(me["user_id"], "coins", None, 50)  # really moved, not only shown as moved
    assert sorted(e.amount.minor for e in entries if e.type is LedgerType.RELEASE) == [-1234, 1234]
    assert main(["coins", "release"], container) == 0
    assert capsys.readouterr().out == "released 0.00 coins\n"  # never twice
    assert main(["ledger", "verify"], container) == 0


def test_purge_drops_expired_codes_counters_and_keys_only(sqlite_engine, capsys):
    client = make_client(sqlite_engine)
    container = client.app.extensions["skyriff"]
    assert client.post("/auth/sms/send", {"phone": "13700000000"})[0] == 200  # a code and rate counters
    client.login()
    container.catalog().seed()
    pid = container.catalog().list()[0].id
    assert client.post("/payments/create", {"product_id": pid, "pay_channel": "sandbox"},
                       headers={"Idempotency-Key": "k1"})[0] == 200  # an idempotency key
    tables = ("sms_codes", "rate_counters", "idempotency_keys")

    def rows() -> dict[str, int]:
        with sqlite_engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}

    stored = rows()
    assert all(stored.values()), stored
    assert main(["purge"], container) == 0
    assert capsys.readouterr().out == ("purged 0 sms_codes, 0 rate_counters, 0 idempotency_keys, 0 leases, "
                                       "0 console_sessions\n")
    container.clock().advance(days=2)  # past every TTL (codes 5 min, counters a day, keys 24 h)
    assert main(["purge"], container) == 0
    assert capsys.readouterr().out == (f"purged {stored['sms_codes']} sms_codes, {stored['rate_counters']} "
                                       f"rate_counters, {stored['idempotency_keys']} idempotency_keys, 0 leases, "
                                       "0 console_sessions\n")
    assert rows() == dict.fromkeys(tables, 0)


def test_console_script_is_installed_and_answers_help():
    result = subprocess.run([sys.executable, "-m", "entrypoints.cli", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and "ledger" in result.stdout and "serve" in result.stdout


def test_payments_reconcile_closes_expired_sandbox_orders(sqlite_engine, capsys):
    client = make_client(sqlite_engine)
    client.login()
    container = client.app.extensions["skyriff"]
    container.catalog().seed()
    pid = container.catalog().list()[0].id
    client.post("/payments/create", {"product_id": pid, "pay_channel": "sandbox"})
    container.clock().advance(minutes=16)
    assert main(["payments", "reconcile"], container) == 0
    assert "0 paid, 1 closed, 0 still pending, 0 channel errors" in capsys.readouterr().out


def test_money_out_commands(sqlite_engine, capsys, tmp_path):
    """Review, pay and sync withdrawals; refund a payment; adjust a wallet; reset a verification; the income
    statement — each prints what it did, and the ledger stays clean."""
    client = make_client(sqlite_engine)
    me = client.login()
    container = client.app.extensions["skyriff"]
    assert main(["wallets", "adjust", str(me["user_id"]), "--coins", "300.00", "--reason", "测试"], container) == 0
    assert "coins available 300.00" in capsys.readouterr().out
    assert main(["withdrawals", "list"], container) == 0
    assert capsys.readouterr().out == "no withdrawals applied\n"
    container.verifications().verify(me["user_id"], "张三", "11010519491231002X")
    first = container.withdrawals().apply(me["user_id"], "100.00", "alipay", {"account": "13800138000", "name": "张三"})
    second = container.withdrawals().apply(me["user_id"], "100.00", "bank_card",
                                           {"card_no": "4111111111111111", "bank_name": "招商银行", "name": "张三"})
    third = container.withdrawals().apply(me["user_id"], "100.00", "alipay", {"account": "13800138000", "name": "张三"})
    assert main(["withdrawals", "list"], container) == 0
    out = capsys.readouterr().out
    assert f"{first.id}\tuser {me['user_id']}\t100.00\talipay\t13800138000" in out and "4111111111111111" in out
    assert main(["withdrawals", "reject", str(first.id), "--note", "账户有误"], container) == 0
    assert main(["withdrawals", "pay", str(second.id), "--reference", "B-1"], container) == 2  # approve first
    assert main(["withdrawals", "approve", str(second.id)], container) == 0
    assert main(["withdrawals", "pay", str(second.id), "--reference", "B-1"], container) == 0
    assert main(["withdrawals", "approve", str(third.id)], container) == 0  # the sandbox transfer pays at once
    out = capsys.readouterr().out
    assert f"withdrawal {third.id}: paid" in out and f"withdrawal {second.id}: paid" in out
    assert main(["withdrawals", "sync"], container) == 0
    assert main(["withdrawals", "list", "--status", "all"], container) == 0
    out = capsys.readouterr().out
    assert "rejected" in out and out.count("\tpaid") == 2
    month = container.clock().now().strftime("%Y-%m")
    assert main(["income", "statement", "--month", month, "--out", str(tmp_path / "income.csv")], container) == 0
    assert (tmp_path / "income.csv").read_text().splitlines()[1].split(",")[:3] == [
        str(me["user_id"]), "张三", "11010519491231002X"]
    assert main(["users", "reset-verification", str(me["user_id"])], container) == 0
    assert main(["ledger", "verify"], container) == 0


def test_a_lost_sandbox_payout_is_queried_from_another_process_not_sent_again(sqlite_engine, capsys):
    """The CLI approves (the sandbox loses the answer), a worker in another process syncs: the sandbox's bills
    live in the database, so the query finds the transfer and it ends paid, once."""
    client = make_client(sqlite_engine)
    me = client.login()
    approving = client.app.extensions["skyriff"]
    assert main(["wallets", "adjust", str(me["user_id"]), "--coins", "100.00", "--reason", "测试"], approving) == 0
    approving.verifications().verify(me["user_id"], "张三", "11010519491231002X")
    w = approving.withdrawals().apply(me["user_id"], "100.00", "alipay",
                                      {"account": "zs[timeout]@example.com", "name": "张三"})
    assert main(["withdrawals", "approve", str(w.id)], approving) == 0
    assert f"withdrawal {w.id}: approved (transfer sending)" in capsys.readouterr().out
    syncing = make_container(sqlite_engine, clock=approving.clock())  # another process: its own gateways
    syncing.clock().advance(minutes=2)
    assert main(["withdrawals", "sync"], syncing) == 0
    assert "1 paid" in capsys.readouterr().out
    bills = SqlSandboxBook(sqlite_engine).records("transfer:alipay:")
    assert [b["amount_fen"] for b in bills] == [10000]
    assert main(["ledger", "verify"], syncing) == 0


def test_refund_commands(sqlite_engine, capsys):
    client = make_client(sqlite_engine)
    me = client.login()
    container = client.app.extensions["skyriff"]
    payment = buy_pack_on(container.uow(), container.payments(), me["user_id"], "6.00", credits=120)
    assert main(["payments", "refund", str(payment), "--reason", "guardian", "--operator", "finance-1"],
                container) == 0
    out = capsys.readouterr().out
    assert f"refund SRR{payment:012d} of payment {payment}: succeeded" in out and "took 120 credits" in out
    assert main(["payments", "refund", str(payment), "--reason", "again"], container) == 2
    assert main(["refunds", "sync"], container) == 0
    assert main(["ledger", "verify"], container) == 0

def test_product_commands(sqlite_engine, capsys):
    container = make_container(sqlite_engine)
    main(["seed"], container)
    assert main(["products", "add", "--sku", "credits_648", "--type", "credits_pack", "--name", "648元充值包",
                 "--price", "648.00", "--credits", "14000"], container) == 0
    assert main(["products", "add", "--sku", "credits_648", "--type", "credits_pack", "--name", "x",
                 "--price", "1"], container) == 2
    assert main(["products", "disable", "credits_6"], container) == 0
    assert [p.sku for p in container.catalog().list()].count("credits_6") == 0
    assert main(["products", "list"], container) == 0
    out = capsys.readouterr().out
    assert "credits_648\tcredits_pack\t648元充值包\t648.00\tcredits 14000\tactive" in out
    assert "credits_6\tcredits_pack\t6元充值包\t6.00\tcredits 120\tdisabled" in out
    assert main(["products", "enable", "credits_6"], container) == 0
