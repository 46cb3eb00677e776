"""A Python client generated from /v1/openapi.json with openapi-python-client (the dev extra) compiles, and
calls a live server over a real socket: the catalogue without a login, a login with a JSON body, and an
authenticated read — so client developers can rely on the document."""
from __future__ import annotations

import compileall
import importlib
import pkgutil
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from entrypoints.http.app import create_app
from tests.support.http import TEST_CODE, TEST_PHONE, make_container
from tests.support.http_server import PATIENT_TIMEOUT

PACKAGE = "skyriff_generated_client"


@pytest.fixture
def live_api(sqlite_engine):
    container = make_container(sqlite_engine)
    container.catalog().seed()
    server = make_server("127.0.0.1", 0, create_app(container), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    thread.join(timeout=PATIENT_TIMEOUT)


@pytest.fixture
def generated(live_api, tmp_path, monkeypatch):
    """The client package, generated into a temporary directory from the live server's document."""
    document = tmp_path / "openapi.json"
    document.write_bytes(requests.get(f"{live_api}/openapi.json", timeout=PATIENT_TIMEOUT).content)
    generator = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert generator, "openapi-python-client is in the dev extra"
    out = tmp_path / PACKAGE
    result = subprocess.run([generator, "generate", "--path", str(document), "--output-path", str(out), "--meta",
                             "none"], capture_output=True, text=True, timeout=300,
                            env={"PATH": str(Path(sys.executable).parent)})  # its post-hook formats with ruff
    assert result.returncode == 0 and (out / "client.py").exists(), result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr  # no piece left out
    monkeypatch.syspath_prepend(str(tmp_path))
    yield out
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def test_the_generated_client_compiles_and_every_module_imports(generated):
    assert compileall.compile_dir(str(generated), quiet=1)
    package = importlib.import_module(PACKAGE)
    modules = [info.name for info in pkgutil.walk_packages(package.__path__, PACKAGE + ".")]
    for name in modules:
        importlib.import_module(name)
    assert len(modules) > 60


def test_the_generated_client_calls_the_api(generated, live_api):
    client_module = importlib.import_module(f"{PACKAGE}.client")
    api = importlib.import_module(f"{PACKAGE}.api")
    products = importlib.import_module(f"{api.__name__}.充值.payments_products")
    login = importlib.import_module(f"{api.__name__}.认证.auth_sms_verify")
    me = importlib.import_module(f"{api.__name__}.用户.users_me")
    body_model = importlib.import_module(f"{PACKAGE}.models.sms_verify_body").SmsVerifyBody

    client = client_module.Client(base_url=live_api, raise_on_unexpected_status=True)
    catalogue = products.sync(client=client)
    assert catalogue.code == 0
    assert [item.name for item in catalogue.data.items][:2] == ["6元充值包", "30元充值包"]
    assert catalogue.data.items[1].price_cny == 30 and catalogue.data.items[1].credits_amount == 600

    logged_in = login.sync(client=client, body=body_model(phone=TEST_PHONE, code=TEST_CODE))
    assert logged_in.code == 0 and logged_in.data.token
    authed = client_module.AuthenticatedClient(base_url=live_api, token=logged_in.data.token)
    profile = me.sync(client=authed)
    assert (profile.code, profile.data.phone) == (0, "138****8000")
    refused = me.sync(client=client)
    assert (refused.code, refused.message) == (1001, "用户未登录")
