"""`python -m bench.compare A.json B.json`: every number of either report with A, B and B/A; "–" where missing."""
from __future__ import annotations

import json

from bench import compare

OLD = {"machine": {"cpus": 2}, "config": {"sizes": "10k", "duration": 8},
       "feed": {"10k": {"floor": {"rps": 4000.0, "errors": 0}, "hot_token": {"rps": 1000, "p50_ms": 30.0}}},
       "tips": {"ratio": 0.3, "checks": {"ledger_differences": 0}, "note": "text is not a number"},
       "seconds": 250, "ok": True}
NEW = {"machine": {"cpus": 2, "python": "3.11.7"}, "config": {"sizes": "10k,1m", "duration": 8},
       "feed": {"10k": {"floor": {"rps": 5000.0, "errors": 0}, "hot_token": {"rps": 1500}}},
       "detail": {"10k": {"work_token": {"rps": 900.5}}},
       "tips": {"ratio": 0.33, "checks": {"ledger_differences": 0}},
       "seconds": 200, "ok": True}


def run(tmp_path, capsys, *extra: str) -> list[str]:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(OLD))
    b.write_text(json.dumps(NEW))
    assert compare.main([str(a), str(b), *extra]) == 0
    return capsys.readouterr().out.splitlines()


def cells(lines: list[str], path: str) -> list[str] | None:
    found = [line.split() for line in lines if line.split()[:1] == [path]]
    assert len(found) <= 1, found
    return found[0][1:] if found else None


def test_every_number_of_either_report_with_its_ratio(tmp_path, capsys):
    lines = run(tmp_path, capsys)
    assert lines[:2] == [f"A: {tmp_path / 'a.json'}", f"B: {tmp_path / 'b.json'}"]
    assert cells(lines, "feed.10k.floor.rps") == ["4000", "5000", "1.250"]
    assert cells(lines, "feed.10k.hot_token.rps") == ["1000", "1500", "1.500"]
    assert cells(lines, "tips.ratio") == ["0.3", "0.33", "1.100"]
    assert cells(lines, "seconds") == ["250", "200", "0.800"]
    assert cells(lines, "feed.10k.floor.errors") == ["0", "0", "–"]  # no ratio to zero


def test_a_number_one_report_lacks_shows_as_a_dash(tmp_path, capsys):
    lines = run(tmp_path, capsys)
    assert cells(lines, "feed.10k.hot_token.p50_ms") == ["30", "–", "–"]  # gone from B
    assert cells(lines, "detail.10k.work_token.rps") == ["–", "900.5", "–"]  # a section new in B
    assert cells(lines, "tips.note") is None and cells(lines, "ok") is None  # text and booleans are no numbers


def test_machine_and_config_are_a_header_not_compared(tmp_path, capsys):
    lines = run(tmp_path, capsys)
    assert cells(lines, "config.sizes") == ["10k", "10k,1m"]
    assert cells(lines, "machine.python") == ["–", "3.11.7"]
    assert cells(lines, "config.duration") == ["8", "8"]  # once, without a ratio
    assert lines.index("") < min(i for i, line in enumerate(lines) if line.startswith("feed."))


def test_only_some_sections(tmp_path, capsys):
    lines = run(tmp_path, capsys, "--only", "tips,detail")
    compared = {line.split()[0].split(".")[0] for line in lines[lines.index("") + 2:]}
    assert compared == {"tips", "detail"}
    assert cells(lines, "config.sizes") == ["10k", "10k,1m"]  # the header stays
