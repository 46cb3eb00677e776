"""Driving the operators' console through Flask's test client: operators of each role, logging in with the form
(its CSRF token read from the page), and posting actions with the session's token."""
from __future__ import annotations

import re

import pyotp
from jinja2 import StrictUndefined

from tests.support.http import Client

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_operator(container, name: str, role: str, totp: bool | None = None) -> str | None:
    """Returns the second factor's secret when one is enrolled."""
    added = container.operators().add(name, role, PASSWORD, totp)
    return added.totp.secret if added.totp else None


class Console:
    """One browser: its cookies, the CSRF token of the last page it saw. Templates run with StrictUndefined here,
    so a page naming something its view did not pass fails the test instead of rendering a blank."""

    def __init__(self, client: Client) -> None:
        client.app.jinja_env.undefined = StrictUndefined
        self.app = client.app
        self.http = client.app.test_client()
        self.csrf: str | None = None

    @property
    def container(self):
        return self.app.extensions["skyriff"]

    def get(self, path: str, **kw):
        response = self.http.get(path, **kw)
        found = TOKEN.search(response.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict | None = None, csrf: bool = True, **kw):
        form = dict(data or {})
        if csrf and "csrf_token" not in form:
            if self.csrf is None:
                self.get("/admin/dashboard")
            form["csrf_token"] = self.csrf
        return self.http.post(path, data=form, **kw)

    def login(self, name: str, password: str = PASSWORD, secret: str | None = None, next: str = ""):
        self.get("/admin/login")
        clock = self.container.clock()
        code = pyotp.TOTP(secret).at(clock.now().timestamp()) if secret else ""
        response = self.post("/admin/login", {"name": name, "password": password, "code": code, "next": next})
        if response.status_code == 303:
            self.get("/admin/dashboard")  # the session's CSRF token
        return response

    def text(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:2000])
        return response.get_data(as_text=True)


def as_role(client: Client, role: str, name: str | None = None) -> Console:
    """A console logged in as a new operator of `role` (no second factor: the tests' container makes it optional)."""
    name = name or f"{role}-op"
    console = Console(client)
    add_operator(console.container, name, role)
    response = console.login(name)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return console
