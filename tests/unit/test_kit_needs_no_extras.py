"""The domain library and its testing kit run with the standard library and attrs alone: every module of
skyriff_domain and adapters.memory imports, and a whole scenario runs, in a Python where importing anything
else fails (the heavy packages are installed here, so only a blocking import hook proves they are not used)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BLOCKER = textwrap.dedent("""
    import importlib.abc, importlib.machinery, os, sys, sysconfig
    OURS = {"attrs", "attr", "tzdata", "skyriff_domain", "adapters"}
    STDLIB = tuple(os.path.realpath(sysconfig.get_paths()[k]) + os.sep for k in ("stdlib", "platstdlib"))

    class Blocker(importlib.abc.MetaPathFinder):
        \"\"\"Anything but the standard library (found under its directory, not in site-packages) and OURS fails.\"\"\"

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in OURS or name in sys.builtin_module_names:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            origin = os.path.realpath(spec.origin) if spec and spec.origin else ""
            if spec is None or (origin.startswith(STDLIB) and "-packages" not in origin):
                return None
            raise ModuleNotFoundError(f"blocked: {name}", name=name)

    sys.meta_path.insert(0, Blocker())
""")


def run_blocked(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-I", "-c", BLOCKER + textwrap.dedent(code)], cwd=ROOT, text=True,
                          capture_output=True, timeout=120, env={"PYTHONPATH": str(ROOT / "src")})


def test_the_blocker_blocks():
    result = run_blocked("import sqlalchemy")
    assert result.returncode != 0 and "blocked: sqlalchemy" in result.stderr


def test_every_domain_and_memory_module_imports_without_extras():
    result = run_blocked("""
        import importlib, pkgutil
        import skyriff_domain, adapters.memory
        names = []
        for package in (skyriff_domain, adapters.memory):
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
                names.append(info.name)
        print(len(names), "modules")
    """)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) > 80


def test_the_example_service_runs_without_extras():
    """examples/other_service.py is what docs/library.md shows; it must run on a domain-only install."""
    result = run_blocked(f"""
        import runpy
        runpy.run_path({str(ROOT / "examples" / "other_service.py")!r}, run_name="__main__")
    """)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ledger audit: clean" in result.stdout
