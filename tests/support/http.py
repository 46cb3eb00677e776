"""An app on a real database with every outside service faked, and a client that speaks the envelope."""
from __future__ import annotations

import base64
import tempfile
from typing import Any

from dependency_injector import providers

from adapters.clock import FixedClock
from adapters.jobs.in_process import RecordingJobQueue
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.support.fakes import SANDBOX_SECRET, RecordingSms, ScriptedWeChat, cheap_hasher

TEST_PHONE, TEST_CODE = "13800138000", "123456"
IDENTITY_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()  # the AES-256 key of personal data in tests
AIGC_SECRET = "http-test-aigc-secret"
REDEEM_SECRET = "http-test-redeem-secret"


def make_container(engine, clock: FixedClock | None = None, **settings: Any) -> Container:
    storage_dir = tempfile.mkdtemp(prefix="skyriff-storage-")
    base = dict(storage_dir=storage_dir, files_secret="files-secret", job_queue="database",
                embedded_worker=False, fake_video_seconds=6.0, database_url=str(engine.url), jwt_secret="http-test-secret-that-is-long-enough!!",
                sms_code_secret="sms-secret", test_phones={TEST_PHONE: TEST_CODE, "13900000000": "654321"},
                auto_migrate=False, sandbox_pay_secret=SANDBOX_SECRET, public_base_url="http://api.test",
                identity_key=IDENTITY_KEY, aigc_secret=AIGC_SECRET, redeem_secret=REDEEM_SECRET)
    container = Container(settings=Settings(**{**base, **settings}))
    container.engine.override(providers.Object(engine))
    container.clock.override(providers.Object(clock or FixedClock()))
    container.sms_sender.override(providers.Object(RecordingSms()))
    container.wechat.override(providers.Object(ScriptedWeChat()))
    container.job_queue.override(providers.Object(RecordingJobQueue()))  # tests run the worker themselves
    container.page_cache.override(providers.Object(None))  # the clock stands still: no stale pages in tests
    container.password_hasher.override(providers.Object(cheap_hasher()))  # operators' logins, cheaply
    return container


class Client:
    """Flask test client returning (status, envelope) pairs; `login` gets a token for a test phone."""

    def __init__(self, app) -> None:
        self.app = app
        self.raw = app.test_client()
        self.token: str | None = None

    def call(self, method: str, path: str, json: Any = None, token: str | None = None,
             headers: dict[str, str] | None = None, **kwargs: Any) -> tuple[int, dict]:
        headers = dict(headers or {})
        bearer = token or self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        response = self.raw.open(f"/v1{path}", method=method, json=json, headers=headers, **kwargs)
        assert response.mimetype == "application/json", response.get_data(as_text=True)
        return response.status_code, response.get_json()

    def get(self, path: str, **kw: Any) -> tuple[int, dict]:
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> tuple[int, dict]:
        return self.call("POST", path, json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> tuple[int, dict]:
        return self.call("PATCH", path, json=json, **kw)

    def login(self, phone: str = TEST_PHONE, code: str = TEST_CODE) -> dict:
        status, body = self.post("/auth/sms/verify", {"phone": phone, "code": code})
        assert status == 200, body
        self.token = body["data"]["token"]
        return body["data"]["user"]


def make_client(engine, extra_apis=(), **settings: Any) -> Client:
    container = make_container(engine, **settings)
    return Client(create_app(container, extra_apis=extra_apis))
