"""The hexagon's arrows point inward: checked by import-linter's contracts in setup.cfg on every run."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_DOMAIN = {"flask", "sqlalchemy", "requests", "jwt", "alembic", "psycopg", "pydantic",
                       "dependency_injector", "adapters", "entrypoints", "simplejson", "werkzeug"}


def test_import_linter_contracts_hold():
    result = subprocess.run([sys.executable, "-m", "importlinter.cli", "--config", "setup.cfg"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_imports_only_stdlib_and_attrs():
    """A direct check too, so the rule holds even where import-linter's graph misses a lazy import."""
    offenders = []
    for path in (ROOT / "src" / "skyriff_domain").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN_IN_DOMAIN]
    assert offenders == []


def test_no_undefined_names_or_unused_imports():
    """pyflakes' rules (through ruff): an undefined name is a crash waiting for its path; an unused import
    is usually a merge that went wrong."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F", "--output-format", "concise",
                             "src", "tests", "bench"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
