"""What guards every console request: the session cookie (HttpOnly, SameSite=Strict, Secure outside the embedded
defaults; a new token at each login), the CSRF token every POST must carry (logout and login included), the role
checks, safe `?next=` redirects, and the headers that keep pages out of caches and frames (no-store, a strict CSP
with a per-response nonce, X-Frame-Options: DENY)."""
from __future__ import annotations

import functools
import hmac
import secrets
from typing import Any, Callable
from urllib.parse import urlsplit

import attrs
from flask import Response, abort, current_app, g, redirect, request, url_for

from skyriff_domain.model.operator import Operator, Permission, may
from skyriff_domain.services.console_auth import Resumed

COOKIE = "skyriff_console"
LOGIN_COOKIE = "skyriff_console_login"  # the login form's CSRF token (double submit): no session exists yet
PATH = "/admin"
CSRF_FIELD = "csrf_token"
PUBLIC_ENDPOINTS = {"console.login", "console.login_post", "console.static"}


def services() -> Any:
    return current_app.extensions["skyriff"]


def operator() -> Resumed:
    """The logged-in operator of this request (views behind `before_request` always have one)."""
    return g.console


def actor() -> Operator:
    """Who acts, for the use cases and the audit log: the operator, with the address this request came from."""
    return attrs.evolve(g.console.actor, ip=(request.remote_addr or "")[:64])


def allowed(permission: Permission) -> bool:
    session = g.get("console")
    return session is not None and may(session.account.role, permission)


def requires(permission: Permission) -> Callable:
    """A view or action for roles with `permission`; anyone else gets 403 (and never sees a link to it)."""
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not allowed(permission):
                abort(403)
            return view(*args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]
        return guarded

    return decorator


def load_session() -> Response | None:
    """Before every console request: resume the session, or send the browser to the login page; check the CSRF
    token of every POST."""
    g.csp_nonce = secrets.token_urlsafe(16)
    if request.endpoint == "console.static":
        return None
    g.console = services().console_auth().resume(request.cookies.get(COOKIE))
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if g.console is None:
        if request.method != "GET":
            abort(401)
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")), 303)
    if request.method == "POST" and not _same(request.form.get(CSRF_FIELD), g.console.session.csrf_token):
        abort(400, "表单已失效（CSRF），请刷新页面后重试")
    return None


def check_login_csrf() -> None:
    if not _same(request.form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE)):
        abort(400, "表单已失效（CSRF），请刷新页面后重试")


def _same(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path of this console (never another host, scheme, `//` or a
    backslash trick); anything else is the dashboard."""
    fallback = url_for("console.dashboard")
    if not target or not target.startswith(PATH + "/") or "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target


def set_cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PATH, httponly=True, samesite="Strict",
                        secure=services().settings().console_secure_cookie)


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path=PATH, httponly=True, samesite="Strict",
                           secure=services().settings().console_secure_cookie)


def media_sources() -> str:
    """Where previews (covers, play copies) come from: this origin and the storage's public one."""
    sources = {"'self'"}
    settings = services().settings()
    for base in (settings.public_base_url, settings.s3.get("public_base_url") or "", settings.s3.get("endpoint_url")
                 or ""):
        parts = urlsplit(base)
        if parts.scheme in ("http", "https") and parts.netloc:
            sources.add(f"{parts.scheme}://{parts.netloc}")
    return " ".join(sorted(sources))


def secure_headers(response: Response) -> Response:
    """After every console response: never cached, never framed, scripts only from here or with this response's
    nonce, nothing posted anywhere else."""
    media = media_sources()
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src {media} data:; "
        f"media-src {media}; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "console.static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
