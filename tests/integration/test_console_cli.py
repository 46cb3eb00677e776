"""`skyriff operators …` and the recorded `ledger verify` runs, against a real database."""
from __future__ import annotations

import io

from entrypoints.cli import main
from skyriff_domain.model.audit import AuditFilter
from tests.support.http import make_container

PASSWORD = "correct horse battery"


def run(container, monkeypatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv), container)


def test_operators_are_added_listed_disabled_and_reset(sqlite_engine, monkeypatch, capsys):
    container = make_container(sqlite_engine, console_totp="required")
    assert run(container, monkeypatch, "operators", "add", "alice", "--role", "admin", "--password-stdin",
               stdin=PASSWORD + "\n") == 0
    out = capsys.readouterr().out
    assert "operator alice (admin) added" in out and "otpauth://totp/" in out  # required for admins: enrolled
    assert run(container, monkeypatch, "operators", "add", "sue", "--role", "support", "--password-stdin",
               stdin=PASSWORD + "\n") == 0
    assert "otpauth" not in capsys.readouterr().out
    assert run(container, monkeypatch, "operators", "add", "sue", "--role", "support", "--password-stdin",
               stdin=PASSWORD + "\n") == 2
    assert "已存在" in capsys.readouterr().err
    assert run(container, monkeypatch, "operators", "disable", "sue", "--reason", "离职") == 0
    assert run(container, monkeypatch, "operators", "reset-password", "sue", "--password-stdin",
               stdin="another long passphrase\n") == 0
    assert run(container, monkeypatch, "operators", "reset-totp", "alice") == 0
    assert "secret:" in capsys.readouterr().out
    assert run(container, monkeypatch, "operators", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split("\t")[1:5] == ["alice", "admin", "active", "totp yes"]
    assert listing[1].split("\t")[1:5] == ["sue", "support", "disabled", "totp no"]
    entries, _ = container.audit_trail().search(AuditFilter(object_type="operator"))
    assert [e.action for e in entries] == ["operator.reset_totp", "operator.reset_password", "operator.disable",
                                           "operator.add", "operator.add"]
    assert all(e.operator_name.startswith("cli:") and e.role == "cli" for e in entries)


def test_a_short_password_is_refused(sqlite_engine, monkeypatch, capsys):
    container = make_container(sqlite_engine)
    assert run(container, monkeypatch, "operators", "add", "sue", "--role", "support", "--password-stdin",
               stdin="short\n") == 2
    assert "password" in capsys.readouterr().err


def test_ledger_verify_records_its_result_for_the_dashboard(sqlite_engine, capsys):
    container = make_container(sqlite_engine)
    assert main(["ledger", "verify"], container) == 0
    check = container.ledger_audit().last_checks(1)[0]
    assert (check.ok, check.problems, check.source) == (True, 0, "cli")
