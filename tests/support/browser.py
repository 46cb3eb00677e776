"""A real browser for the console's tests: Debian's Chromium driven by Playwright (never a downloaded browser), and
the app served by a real HTTP server on an ephemeral port in this process. Without Chromium or Playwright the
tests skip, unless SKYRIFF_TEST_REQUIRE_BROWSER=1 (CI) makes them fail instead."""
from __future__ import annotations

import os
import shutil
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

REQUIRE = "SKYRIFF_TEST_REQUIRE_BROWSER"
CHROMIUM = os.environ.get("SKYRIFF_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("SKYRIFF_TEST_ARTIFACTS", "var/artifacts/console"))
READY_SECONDS = 60.0
TIMEOUT_MS = 30_000  # waits for elements on a busy 2-core machine: generous, never a sleep


def chromium_or_skip() -> str:
    """The Chromium binary to drive; skip (or fail, when required) without it or without Playwright."""
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        missing = f"Playwright is not installed ({exc})"
    if missing is None and not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        missing = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if missing:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{missing} ({REQUIRE}=1)", pytrace=False)
        pytest.skip(missing)
    return CHROMIUM


class LiveServer:
    """The WSGI app on 127.0.0.1 and a free port, served by threads until `stop`."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/v1/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server at {self.url} did not answer within {READY_SECONDS} s")
            time.sleep(0.1)  # polling for readiness, not waiting for time to pass

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=30)


def screenshot(page, name: str) -> None:
    """A full-page screenshot kept as a test artefact (var/artifacts/console/NAME.png, ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
