"""`skyriff codes …` against a real database: generate (printed or written once), list, show, find, disable,
with something meaningful on empty results and usage errors for bad arguments."""
from __future__ import annotations

import csv
import os
import stat

import pytest

from entrypoints.cli import main
from tests.support.http import make_client


@pytest.fixture
def cli(sqlite_engine):
    client = make_client(sqlite_engine)
    container = client.app.extensions["skyriff"]
    container.catalog().seed()
    return client, container


def run(container, capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv), container)
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_prints_the_codes_once_and_warns(cli, capsys):
    client, container = cli
    code, out, err = run(container, capsys, "codes", "generate", "--credits", "100", "--count", "3", "--label",
                         "双十一", "--expires", "2026-12-31", "--operator", "alice")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("#1\tactive\t100 credits\tredeemed 0/3\texpires 2026-12-31 16:00Z")
    assert lines[0].endswith("by alice\t双十一")
    printed = lines[1:]
    assert len(printed) == 3 and all(len(c) == 19 for c in printed)
    assert "shown only now" in err and "cannot be listed or exported again" in err
    client.login()
    assert client.post("/redeem", {"code": printed[0]})[1]["data"]["new_balance"] == 100


def test_generate_writes_a_new_private_csv_and_never_overwrites(cli, capsys, tmp_path):
    _, container = cli
    target = tmp_path / "codes.csv"
    code, out, err = run(container, capsys, "codes", "generate", "--product", "monthly_card", "--count", "2",
                         "--label", "月卡体验", "--out", str(target))
    assert code == 0 and f"wrote 2 codes to {target}" in out and "shown only now" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["product_sku"] for r in rows] == ["monthly_card"] * 2 and all(len(r["code"]) == 19 for r in rows)
    assert not any(r["code"] in out for r in rows)  # written, not printed
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    code, out, err = run(container, capsys, "codes", "generate", "--credits", "5", "--count", "1", "--label", "x",
                         "--out", str(target))
    assert code == 2 and "never overwritten" in err
    assert run(container, capsys, "codes", "list")[1].count("\n") == 2  # no second batch was made


def test_a_refused_batch_leaves_no_file(cli, capsys, tmp_path):
    _, container = cli
    target = tmp_path / "coins.csv"
    code, _, err = run(container, capsys, "codes", "generate", "--product", "nope", "--count", "1", "--label", "x",
                       "--out", str(target))
    assert code == 2 and "2000" in err and not target.exists()


def test_list_show_find_and_disable(cli, capsys):
    client, container = cli
    assert run(container, capsys, "codes", "list")[1] == "no redemption batches yet (skyriff codes generate … makes one)\n"
    _, out, _ = run(container, capsys, "codes", "generate", "--credits", "10", "--count", "2", "--label", "活动")
    codes = out.splitlines()[1:]
    code, out, _ = run(container, capsys, "codes", "show", "1")
    assert code == 0 and out.endswith("no code of this batch has been redeemed yet\n")
    me = client.login()
    client.post("/redeem", {"code": codes[0]})
    code, out, _ = run(container, capsys, "codes", "show", "1")
    assert f"\tuser {me['user_id']}\t2026-01-15 02:00Z" in out and "1 redemption(s)" in out
    assert codes[0] not in out and codes[0][:4] in out  # the hint, never the code
    _, out, _ = run(container, capsys, "codes", "list")
    assert "#1\tactive\t10 credits\tredeemed 1/2" in out and "1 batch(es)" in out
    _, out, _ = run(container, capsys, "codes", "find", codes[0].lower())
    assert f"redeemed by user {me['user_id']}" in out
    _, out, _ = run(container, capsys, "codes", "find", codes[1])
    assert "not redeemed" in out
    code, out, _ = run(container, capsys, "codes", "disable", "1", "--operator", "bob")
    assert code == 0 and "#1\tdisabled" in out and "1 unredeemed code(s) no longer work" in out
    assert run(container, capsys, "codes", "show", "1")[1].splitlines()[1].startswith("disabled 2026-01-15 02:00Z by bob")
    assert client.post("/redeem", {"code": codes[1]})[1]["code"] == 2013
    assert run(container, capsys, "codes", "disable", "1")[0:3:2] == (2, "error 2008: 该批兑换码已停用\n")
    assert run(container, capsys, "codes", "show", "9")[0:3:2] == (2, "error 2007: 兑换码批次不存在\n")
    assert run(container, capsys, "codes", "find", "AAAA-AAAA-AAAA-AAAA")[0] == 2


@pytest.mark.parametrize("argv", [
    ["codes", "generate", "--count", "1", "--label", "x"],  # no grant
    ["codes", "generate", "--credits", "1", "--product", "credits_6", "--count", "1", "--label", "x"],
    ["codes", "generate", "--credits", "0", "--count", "1", "--label", "x"],
    ["codes", "generate", "--credits", "1", "--count", str(2**63), "--label", "x"],
    ["codes", "generate", "--credits", "1", "--count", "1"],  # no label
    ["codes", "generate", "--credits", "1", "--count", "1", "--label", "x", "--expires", "31/12/2026"],
    ["codes", "generate", "--credits", "1", "--count", "1", "--label", "x", "--expires", "２０２６-12-31"],
    ["codes", "show", str(2**63)], ["codes", "disable", "0"], ["codes", "list", "--limit", "0"],
])
def test_bad_arguments_are_usage_errors(cli, capsys, argv):
    _, container = cli
    with pytest.raises(SystemExit) as exit_:
        main(argv, container)
    assert exit_.value.code == 2


@pytest.mark.parametrize("argv, message", [
    (["--credits", "1", "--count", "10001", "--label", "x"], "count"),
    (["--credits", "100001", "--count", "1", "--label", "x"], "credits"),
    (["--credits", "1", "--count", "1", "--label", "x", "--expires", "2020-01-01"], "expires"),
    (["--product", "nope", "--count", "1", "--label", "x"], "product"),
])
def test_rules_of_a_batch_are_domain_errors(cli, capsys, argv, message):
    _, container = cli
    code, _, err = run(container, capsys, "codes", "generate", *argv)
    assert code == 2 and err.startswith(f"error 2000: 参数 {message} 无效")
