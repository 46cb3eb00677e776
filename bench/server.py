"""Start and stop the API under gunicorn with the project's config (gunicorn.conf.py), on loopback."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, log_path: Path, threads: int = 4,
                 connections: int = 32) -> None:
        self.port = free_port()
        # wrk opens its connections at once; without a bound one worker may take them all (bench/README.md)
        per_worker = -(-connections // workers)
        self.env = {**os.environ, **env, "SKYRIFF_WEB_BIND": f"127.0.0.1:{self.port}",
                    "SKYRIFF_WEB_WORKERS": str(workers), "SKYRIFF_WEB_THREADS": str(threads),
                    "SKYRIFF_WEB_WORKER_CONNECTIONS": str(per_worker),
                    "SKYRIFF_WEB_ACCESS_LOG": "", "SKYRIFF_LOG_LEVEL": "WARNING"}
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Gunicorn":
        log = self.log_path.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                      "entrypoints.http.app:create_app()"], cwd=ROOT, env=self.env,
                                     stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/v1/readyz", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:  # not listening yet, or a worker still starting
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become ready; see {self.log_path}")

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
