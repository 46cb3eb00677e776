"""Run wrk (the load generator, a separate process written in C) and read its numbers."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

LUA = Path(__file__).parent / "lua"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ensure_wrk() -> str:
    """wrk from Debian's packages; installed on first use when we may (the benchmark machine is root)."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is required: apt-get install wrk")
    return found


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return round(float(number) * _UNITS[unit], 3)


def run(url: str, duration: int, connections: int, threads: int = 2, headers: dict[str, str] | None = None,
        script: str | None = None, env: dict[str, str] | None = None, warmup: int = 0) -> dict[str, float]:
    """Requests per second, p50 and p99 latency in ms, and non-2xx/3xx answers. `warmup` seconds of the same
    load first, not counted: every worker started, its caches and prepared statements made."""
    if warmup:
        run(url, warmup, connections, threads, headers, script, env)
    cmd = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", str(LUA / script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": round(rps, 1), "p50_ms": p50, "p99_ms": p99, "requests": requests, "errors": errors}
