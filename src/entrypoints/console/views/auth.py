"""Logging in (password and, where required or enrolled, a one-time code) and out; both forms carry a CSRF token."""
from __future__ import annotations

import secrets

from flask import abort, g, make_response, redirect, render_template, request, url_for

from skyriff_domain.errors import OperatorLoginFailed

from .. import bp, security
from ..security import COOKIE, LOGIN_COOKIE, services


@bp.get("/login")
def login():
    if g.get("console") is not None:
        return redirect(security.safe_next(request.args.get("next")), 303)
    return _form()


def _form(error: str | None = None, name: str = "", status: int = 200):
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = make_response(render_template("console/login.html", error=error, name=name, login_csrf=token,
                                             next=security.safe_next(request.values.get("next"))), status)
    security.set_cookie(response, LOGIN_COOKIE, token, max_age=3600)
    return response


@bp.post("/login")
def login_post():
    security.check_login_csrf()
    name = request.form.get("name", "")[:64]
    try:
        logged_in = services().console_auth().login(name, request.form.get("password", "")[:256],
                                                    request.form.get("code", "")[:16],
                                                    (request.remote_addr or "")[:64])
    except OperatorLoginFailed as failed:
        return _form(failed.message, name, 401)
    response = redirect(security.safe_next(request.form.get("next")), 303)
    security.set_cookie(response, COOKIE, logged_in.token)  # a new token: a planted cookie is never reused
    security.clear_cookie(response, LOGIN_COOKIE)
    return response


@bp.post("/logout")
def logout():
    services().console_auth().logout(request.cookies.get(COOKIE, ""), security.actor())
    response = redirect(url_for("console.login"), 303)
    security.clear_cookie(response, COOKIE)
    return response


@bp.get("/")
def home():
    return redirect(url_for("console.dashboard"), 303)


@bp.route("/<path:rest>", methods=["GET", "POST"])
def missing(rest: str):
    """Any other path under /admin/: a 404 page — behind the login like everything else."""
    abort(404)
