"""Who reaches what in the console: no page without a session, each role's 403s (and no links to them), CSRF on every
POST, the login's defences (lockout, same answer, new session id, safe `next`), and the headers of every page."""
from __future__ import annotations

import re

import pytest

from skyriff_domain.model.audit import AuditFilter
from skyriff_domain.model.operator import Role, may
from tests.support.console import PASSWORD, Console, add_operator, as_role
from tests.support.http import make_client


@pytest.fixture
def client(sqlite_engine):
    client = make_client(sqlite_engine)
    client.app.extensions["skyriff"].catalog().seed()
    return client


def console_rules(app):
    """Every console route but the login and the static files, with made-up ids filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint in ("console.login", "console.login_post",
                                                                    "console.static"):
            continue
        path = re.sub(r"<(?:int:)?(\w+)>", lambda m: "1" if "int:" in m.group(0) else "x", rule.rule)
        path = path.replace("<path:rest>", "anything")
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield method, path, rule.endpoint


def guarded(app):
    """(method, path, permission) of every view that needs a permission."""
    for method, path, endpoint in console_rules(app):
        permission = getattr(app.view_functions[endpoint], "permission", None)
        if permission is not None:
            yield method, path, permission


def test_no_console_page_is_reachable_without_a_session(client):
    http = client.app.test_client()
    rules = list(console_rules(client.app))
    assert len(rules) > 40
    for method, path, _ in rules:
        response = http.open(path, method=method, data={"csrf_token": "x"})
        if method == "GET":
            assert response.status_code == 303, path
            assert response.headers["Location"].startswith("/admin/login?next="), path
        else:
            assert response.status_code == 401, path


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_gets_403_where_it_may_not_go_and_no_link_to_it(client, role):
    console = as_role(client, role)
    forbidden = [(m, p) for m, p, permission in guarded(client.app) if not may(role, permission)]
    if role == "admin":
        assert forbidden == []
    for method, path in forbidden:
        response = console.get(path) if method == "GET" else console.post(path, {"reason": "x"})
        assert response.status_code == 403, (role, method, path)
        assert "无权访问" in response.get_data(as_text=True)
    page = console.text("/admin/dashboard")
    links = set(re.findall(r'href="(/admin/[a-z]+)"', page))
    for method, path, permission in guarded(client.app):
        if method == "GET" and path.count("/") == 2 and not may(role, permission):
            assert path not in links, (role, path)


def test_support_cannot_adjust_a_balance_or_refund(client):
    console = as_role(client, "support")
    user_id = client.login()["user_id"]
    response = console.post(f"/admin/users/{user_id}/adjust", {"credits": "100", "reason": "试试"})
    assert response.status_code == 403
    assert client.get("/me/wallets")[1]["data"]["credits"]["balance"] == 0
    assert console.post("/admin/payments/1/refund", {"reason": "x"}).status_code == 403
    assert "调整余额" not in console.text(f"/admin/users/{user_id}")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client):
    console = as_role(client, "finance")
    user_id = client.login()["user_id"]
    for token in (None, "", "forged-token"):
        data = {"credits": "100", "reason": "补偿"} | ({"csrf_token": token} if token is not None else {})
        response = console.post(f"/admin/users/{user_id}/adjust", data, csrf=False)
        assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert client.get("/me/wallets")[1]["data"]["credits"]["balance"] == 0
    other = as_role(client, "finance", "finance-two")  # another session's token is not this one's
    response = console.post(f"/admin/users/{user_id}/adjust", {"credits": "1", "reason": "x",
                                                              "csrf_token": other.csrf}, csrf=False)
    assert response.status_code == 400


def test_logout_needs_its_csrf_token_too(client):
    console = as_role(client, "support")
    assert console.post("/admin/logout", csrf=False).status_code == 400
    assert console.get("/admin/dashboard").status_code == 200  # still logged in
    assert console.post("/admin/logout").status_code == 303
    assert console.get("/admin/dashboard").status_code == 303


def test_the_login_form_needs_its_csrf_token(client):
    add_operator(client.app.extensions["skyriff"], "sue", "support")
    http = client.app.test_client()
    response = http.post("/admin/login", data={"name": "sue", "password": PASSWORD})
    assert response.status_code == 400 and "skyriff_console=" not in str(response.headers)


def test_login_rotates_the_session_id_and_a_planted_cookie_is_worthless(client):
    add_operator(client.app.extensions["skyriff"], "sue", "support")
    console = Console(client)
    console.http.set_cookie("skyriff_console", "planted-by-attacker", path="/admin")
    console.login("sue")
    cookie = console.http.get_cookie("skyriff_console", path="/admin")
    assert cookie is not None and cookie.value != "planted-by-attacker" and len(cookie.value) >= 32
    first = cookie.value
    console.post("/admin/logout")
    console.login("sue")
    assert console.http.get_cookie("skyriff_console", path="/admin").value != first


def test_cookies_are_http_only_and_same_site_strict(client):
    add_operator(client.app.extensions["skyriff"], "sue", "support")
    console = Console(client)
    console.get("/admin/login")
    response = console.post("/admin/login", {"name": "sue", "password": PASSWORD})
    session = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("skyriff_console="))
    assert "HttpOnly" in session and "SameSite=Strict" in session and "Path=/admin" in session
    assert "Secure" not in session  # the embedded defaults; see the next test


def test_the_session_cookie_is_secure_outside_the_embedded_defaults(sqlite_engine):
    client = make_client(sqlite_engine, console_secure_cookie=True)
    add_operator(client.app.extensions["skyriff"], "sue", "support")
    console = Console(client)
    console.get("/admin/login", base_url="https://console.test")
    response = console.http.post("/admin/login", base_url="https://console.test", data={
        "name": "sue", "password": PASSWORD, "csrf_token": console.csrf})
    assert "Secure" in next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("skyriff_console="))


def test_an_unknown_name_and_a_wrong_password_look_the_same(client):
    add_operator(client.app.extensions["skyriff"], "sue", "support")
    answers = []
    for name, password in (("nobody", PASSWORD), ("sue", "a wrong password")):
        response = Console(client).login(name, password)
        answers.append((response.status_code, re.search(r'role="alert">([^<]+)<', response.get_data(as_text=True))
                        .group(1)))
    assert answers[0] == answers[1] and answers[0][0] == 401


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(client):
    container = client.app.extensions["skyriff"]
    add_operator(container, "sue", "support")
    for _ in range(5):
        assert Console(client).login("sue", "a wrong password").status_code == 401
    assert Console(client).login("sue").status_code == 401
    container.clock().advance(minutes=15)
    assert Console(client).login("sue").status_code == 303
    failures, _ = container.audit_trail().search(AuditFilter(action="console.login_failed"))
    assert [e.reason for e in failures][:2] == ["locked", "wrong_password; locked"]


def test_a_second_factor_is_asked_for_and_a_code_is_not_reused(sqlite_engine):
    client = make_client(sqlite_engine, console_totp="required")
    container = client.app.extensions["skyriff"]
    secret = add_operator(container, "alice", "admin")
    assert secret is not None
    assert Console(client).login("alice").status_code == 401  # no code
    first = Console(client)
    assert first.login("alice", secret=secret).status_code == 303
    assert Console(client).login("alice", secret=secret).status_code == 401  # the same code again
    container.clock().advance(seconds=30)
    assert Console(client).login("alice", secret=secret).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/admin/users", "/admin\\..\\x",
                                    "/v1/me", "javascript:alert(1)", "/admin/%0d%0aSet-Cookie:x=1", "\t//evil.example"])
def test_next_never_leaves_the_console(client, target):
    add_operator(client.app.extensions["skyriff"], "sue", "support")
    response = Console(client).login("sue", next=target)
    location = response.headers["Location"]
    assert location.startswith("/admin/") and "evil" not in location and "\n" not in location
    if not target.startswith("/admin/"):
        assert location == "/admin/dashboard"


def test_next_returns_to_the_page_that_asked_for_the_login(client):
    add_operator(client.app.extensions["skyriff"], "sue", "support")
    http = client.app.test_client()
    assert http.get("/admin/users?q=abc").headers["Location"] == "/admin/login?next=/admin/users?q%3Dabc"
    assert Console(client).login("sue", next="/admin/users?q=abc").headers["Location"] == "/admin/users?q=abc"


def test_every_page_is_uncached_unframed_and_under_a_strict_policy(client):
    console = as_role(client, "admin")
    for path in ("/admin/login", "/admin/dashboard", "/admin/users", "/admin/audit", "/admin/nowhere"):
        response = console.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "form-action 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        for tag in re.findall(r"<script[^>]*>", response.get_data(as_text=True)):
            assert f'nonce="{nonce}"' in tag and "src=" in tag  # no inline script, only this response's nonce
        assert " style=" not in response.get_data(as_text=True)


def test_the_console_can_be_switched_off(sqlite_engine):
    client = make_client(sqlite_engine, console="off")
    assert client.app.test_client().get("/admin/login").status_code == 404
    assert client.get("/healthz")[0] == 200


def test_the_console_can_live_on_its_own_listen_address(sqlite_engine):
    from entrypoints.http.app import create_console_app

    client = make_client(sqlite_engine, console_bind="127.0.0.1:8001")
    assert client.app.test_client().get("/admin/login").status_code == 404  # not beside the API
    console_app = create_console_app(client.app.extensions["skyriff"], bootstrap=False)
    http = console_app.test_client()
    assert http.get("/admin/login").status_code == 200
    assert http.get("/v1/healthz").status_code == 404  # and the API is not beside the console
