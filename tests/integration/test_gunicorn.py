"""The production command really serves the API: gunicorn with the project's config, on loopback."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


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
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a worker still booting
                time.sleep(0.2)
        assert requests.get(f"{base}/readyz", timeout=5).json() == {"code": 0, "message": "success",
                                                                     "data": {"status": "ok"}}
        token = requests.post(f"{base}/auth/sms/verify", json={"phone": "13800138000", "code": "123456"},
                              timeout=5).json()["data"]["token"]
        assert requests.get(f"{base}/me", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()["code"] == 0
        requests.get(f"{base}/files/private/x.mp4?expires=1&signature=secret-signature", timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text()
    assert '"GET /v1/me HTTP/1.1" 200' in text
    assert "secret-signature" not in text and token not in text and "13800138000" not in text
