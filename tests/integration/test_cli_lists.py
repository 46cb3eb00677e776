"""Every listing command of the operators' CLI says something on an empty database, so an empty answer is never
mistaken for a command that did nothing."""
from __future__ import annotations

import argparse

import pytest

from entrypoints.cli import main, parser
from tests.support.http import make_container

# Listing commands with the arguments they need; every command named "list" must be here.
LISTINGS = {
    ("products", "list"): [], ("withdrawals", "list"): [], ("withdrawals", "list", "--status", "all"): [],
    ("appeals", "list"): [], ("appeals", "list", "--status", "all"): [], ("users", "sanctions"): ["7"],
    ("aigc", "downloads"): [], ("moderation", "queue"): [], ("income", "statement"): ["--month", "2026-01"],
    ("operators", "list"): [], ("codes", "list"): [],
}


def leaf_commands(p: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix
    for action in subs:
        for name, sub in action.choices.items():
            yield from leaf_commands(sub, prefix + (name,))


def test_every_list_command_is_checked():
    named_list = {c for c in leaf_commands(parser()) if c[-1] == "list"}
    assert named_list <= {c[:2] for c in LISTINGS}


@pytest.mark.parametrize("command", sorted(LISTINGS), ids=" ".join)
def test_an_empty_result_is_said(sqlite_engine, capsys, command):
    container = make_container(sqlite_engine)
    assert main([*command, *LISTINGS[command]], container) == 0
    assert capsys.readouterr().out.strip(), f"`skyriff {' '.join(command)}` printed nothing"
