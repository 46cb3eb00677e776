"""The Flask app factory: nothing is built at import time."""
from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ..bootstrap import prepare
from ..container import Container, build_container
from .. import console
from . import routes
from .api import Api
from .errors import register_error_handlers
from .openapi import register_docs

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def create_app(container: Container | None = None, extra_apis: tuple[Api, ...] = (),
               bootstrap: bool | None = None) -> Flask:
    """Build the API. Without a container, one is built from SKYRIFF_* settings and the embedded database
    is migrated and seeded; tests pass their own container (and `extra_apis` for test-only endpoints)."""
    if bootstrap is None:
        bootstrap = container is None
    container = container or build_container()
    if bootstrap:
        prepare(container)
    app = Flask("skyriff")
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    hops = container.settings().trusted_proxies
    if hops:
        # Behind N reverse proxies the peer is always the nearest proxy: the client is the Nth address from
        # the right of X-Forwarded-For (what the proxies appended; anything further left the client wrote).
        # Per-IP limits and the payer IP sent to payment channels read request.remote_addr.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.extensions["skyriff"] = container
    register_error_handlers(app)
    apis = [*routes.ALL, *extra_apis]
    for api in apis:
        app.register_blueprint(api.blueprint, url_prefix="/v1")
    register_docs(app, apis)
    settings = container.settings()
    if settings.console == "on" and not settings.console_bind:  # else off, or on a listen address of its own
        console.register(app)
    logging.getLogger("skyriff").debug("app ready with %d operations", sum(len(a.operations) for a in apis))
    return app


def create_console_app(container: Container | None = None, bootstrap: bool | None = None) -> Flask:
    """The console alone (SKYRIFF_CONSOLE_BIND: operators reach it on another address than the API's), e.g.
    `gunicorn 'entrypoints.http.app:create_console_app()' -b 10.0.0.5:8001`."""
    if bootstrap is None:
        bootstrap = container is None
    container = container or build_container()
    if bootstrap:
        prepare(container)
    app = Flask("skyriff-console")
    hops = container.settings().trusted_proxies
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.extensions["skyriff"] = container
    if container.settings().console == "on":
        console.register(app)
    return app
