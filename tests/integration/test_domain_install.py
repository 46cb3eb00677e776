"""`pip install <repo>` without extras, as another service would: a fresh venv gets the domain library and its
testing kit with attrs and tzdata only, examples/other_service.py runs there, and the `skyriff` command names
the extra it needs. Needs the package index (PyPI or the configured mirror): skipped when pip cannot reach it,
unless SKYRIFF_TEST_REQUIRE_PYPI=1 (.ci/run) makes that a failure."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.optional import unavailable

ROOT = Path(__file__).resolve().parents[2]
REQUIRE = "SKYRIFF_TEST_REQUIRE_PYPI"
DOMAIN_ONLY = {"skyriff", "attrs", "tzdata"}
VENV_TOOLS = {"pip", "setuptools"}  # what `python -m venv` puts there by itself
MAX_MB = 20  # the domain install measures about 8 MB (README, "Installing")
IGNORED = shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", "*.egg-info", "build", "dist", ".*cache",
                                 ".hypothesis")


def copy_of_repository(into: Path) -> Path:
    """The repository's files (tracked and untracked-but-not-ignored), so building leaves the checkout as it is."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True)
    if listed.returncode != 0:
        return Path(shutil.copytree(ROOT, into, ignore=IGNORED))
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def pip(venv: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=timeout)


def index_reachable(venv: Path, scratch: Path) -> bool:
    return pip(venv, "download", "--no-deps", "--dest", str(scratch), "attrs", timeout=300).returncode == 0


def site_packages_mb(venv: Path, names: set[str]) -> float:
    site = next((venv / "lib").glob("python3*/site-packages"))
    installed = [p for p in site.iterdir() if p.name.split("-")[0].lower() in names | {"attr", "skyriff_domain",
                                                                                        "adapters", "entrypoints"}]
    return sum(f.stat().st_size for p in installed for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()) / 1e6


def test_a_bare_install_is_the_domain_library_and_runs_the_example(tmp_path):
    repo = copy_of_repository(tmp_path / "repo")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    started = time.monotonic()
    installed = pip(venv, "install", "--quiet", str(repo))
    if installed.returncode != 0:
        if not index_reachable(venv, tmp_path / "probe"):
            unavailable("pip cannot reach the package index", REQUIRE, installed.stderr[-2000:])
        pytest.fail(f"pip install {repo} failed:\n{installed.stdout}\n{installed.stderr}")
    seconds = time.monotonic() - started

    listed = pip(venv, "list", "--format", "json")
    names = {p["name"].lower() for p in json.loads(listed.stdout)} - VENV_TOOLS
    assert names == DOMAIN_ONLY, f"a bare install must bring only {sorted(DOMAIN_ONLY)}; it brought {sorted(names)}"
    size = site_packages_mb(venv, names)
    assert size < MAX_MB, f"the domain install takes {size:.1f} MB"

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    example = subprocess.run([str(venv / "bin" / "python"), str(repo / "examples" / "other_service.py")],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert example.returncode == 0, example.stdout + example.stderr
    assert "ledger audit: clean" in example.stdout

    cli = subprocess.run([str(venv / "bin" / "skyriff"), "--help"], capture_output=True, text=True, timeout=60, env=env)
    assert cli.returncode == 2 and "pip install 'skyriff[server]'" in cli.stderr
    print(f"domain-only install: {sorted(names)}, {size:.1f} MB, pip install took {seconds:.1f} s")
