"""The production command really serves the API: gunicorn with the project's config, on loopback."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


BOOT_DEADLINE = 120.0  # seconds for gunicorn to boot its workers on a busy 2-core machine
TIMEOUT = 30.0  # per request, once it answers: generous, these requests are expected to succeed


def wait_until_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    """Poll `url` until it answers 200. A booting gunicorn refuses connections, accepts and stalls (a read
    timeout), or resets them: every `requests` error means "not yet", until the deadline."""
    deadline = time.monotonic() + BOOT_DEADLINE
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=TIMEOUT).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn not healthy after {BOOT_DEADLINE:.0f} s:\n{log.read_text()}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_health_and_the_api_without_leaking_queries_to_the_log(tmp_path):
    port = free_port()
    env = {**os.environ, "SKYRIFF_DATA_DIR": str(tmp_path), "SKYRIFF_WEB_BIND": f"127.0.0.1:{port}",
           "SKYRIFF_WEB_WORKERS": "2", "SKYRIFF_TEST_PHONES": "13800138000:123456"}
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                 "entrypoints.http.app:create_app()"], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        base = f"http://127.0.0.1:{port}/v1"
        wait_until_healthy(f"{base}/healthz", proc, log)
        assert requests.get(f"{base}/readyz", timeout=TIMEOUT).json() == {"code": 0, "message": "success",
                                                                           "data": {"status": "ok"}}
        token = requests.post(f"{base}/auth/sms/verify", json={"phone": "13800138000", "code": "123456"},
                              timeout=TIMEOUT).json()["data"]["token"]
        me = requests.get(f"{base}/me", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
        assert me.json()["code"] == 0
        signed = requests.get(f"{base}/files/private/x.mp4?expires=1&signature=secret-signature", timeout=TIMEOUT)
        assert signed.status_code == 403 and signed.json()["code"] == 2002  # expired: refused, and enveloped
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text()
    assert '"GET /v1/me HTTP/1.1" 200' in text
    assert "secret-signature" not in text and token not in text and "13800138000" not in text
