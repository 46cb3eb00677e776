"""Endpoint declarations. One decorator validates input, resolves the caller, applies idempotency and
records the operation for the OpenAPI document, so the docs and the checks come from the same schemas."""
from __future__ import annotations

import enum
import hashlib
from typing import Any, Callable

import attrs
from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel

from skyriff_domain.errors import DomainError, NotFound, NotLoggedIn
from skyriff_domain.ids import MAX_ID
from skyriff_domain.model.user import User
from skyriff_domain.services.idempotency import HEADER as IDEMPOTENCY_HEADER

from .envelope import envelope
from .errors import domain_error_response
from .validation import json_body, query_args



class Auth(enum.Enum):
    NONE = "none"
    OPTIONAL = "optional"  # public reads: a valid token personalises the answer, a bad one is ignored
    REQUIRED = "required"


@attrs.frozen
class Reply:
    """What a view returns when the default message or status does not fit."""

    data: Any
    message: str | None = None
    status: int = 200


@attrs.frozen
class Call:
    """Everything a view needs: validated input, the caller, and the container."""

    body: Any
    query: Any
    user: User | None  # the authenticated user (Auth.REQUIRED)
    path: dict[str, Any]
    services: Any
    viewer_id: int | None = None  # who is looking (Auth.OPTIONAL: from the token alone)

    @property
    def user_id(self) -> int:
        if self.user is None or self.user.id is None:
            raise NotLoggedIn()
        return self.user.id


@attrs.frozen
class Operation:
    method: str
    rule: str
    tag: str
    summary: str
    view: Callable[[Call], Any]
    response: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    auth: Auth = Auth.NONE
    idempotent: bool = False
    message: str = "success"
    errors: tuple[int, ...] = ()
    description: str = ""
    # Endpoints called by payment channels answer in the channel's own format: their request bodies and
    # responses are documented here instead of being derived from schemas.
    raw_request: dict[str, Any] | None = None
    raw_responses: dict[str, Any] | None = None
    raw_parameters: list[dict[str, Any]] = attrs.field(factory=list)
    throttle: str | None = None  # per-user budget ("tasks", "money"); money-moving endpoints default to "money"
    operation_id: str = ""  # unique in the document: "{blueprint}_{view}" (views repeat names across modules)
    merge_slashes: bool | None = None  # None: the app's default (redirect "a//b" to "a/b")


class Api:
    """A blueprint for one spec module plus the operations declared on it."""

    def __init__(self, name: str, tag: str) -> None:
        self.blueprint = Blueprint(name, __name__)
        self.tag = tag
        self.operations: list[Operation] = []

    def route(self, method: str, rule: str, **meta: Any) -> Callable:
        def decorator(view: Callable[[Call], Any]) -> Callable[[Call], Any]:
            op = Operation(method=method, rule=rule, tag=self.tag, view=view,
                           operation_id=f"{self.blueprint.name}_{view.__name__}", **meta)
            if op.idempotent and op.throttle is None:
                op = attrs.evolve(op, throttle="money")
            if op.idempotent and op.auth is not Auth.REQUIRED:
                raise ValueError("idempotency keys are scoped to a user: the endpoint must require auth")
            self.operations.append(op)
            self.blueprint.add_url_rule(rule, endpoint=view.__name__, methods=[method],
                                        view_func=lambda **path: handle(op, path), merge_slashes=op.merge_slashes)
            return view

        return decorator


def handle(op: Operation, path: dict[str, Any]) -> Response:
    services = current_app.extensions["skyriff"]
    for name, value in path.items():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            raise NotFound(f"{name} 不存在")
    user, viewer = _caller(op.auth, services)
    if op.throttle and user is not None:
        services.throttle().check(user.id, op.throttle)
    key = request.headers.get(IDEMPOTENCY_HEADER) if op.idempotent else None
    if key is None:
        return _run(op, services, user, path, viewer)
    return _run_once(op, services, user, path, key)


def _caller(auth: Auth, services: Any) -> tuple[User | None, int | None]:
    """(the authenticated user, the viewer's id). Public reads only need the viewer: no database lookup."""
    if auth is Auth.NONE:
        return None, None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    if auth is Auth.REQUIRED:
        user = services.authenticator().authenticate(token)
        return user, user.id
    return None, services.authenticator().viewer(token)


def _run(op: Operation, services: Any, user: User | None, path: dict[str, Any],
         viewer: int | None = None) -> Response:
    call = Call(body=json_body(op.body) if op.body else None, query=query_args(op.query) if op.query else None,
                user=user, path=path, services=services, viewer_id=viewer if viewer is not None else
                (user.id if user else None))
    result = op.view(call)
    if isinstance(result, Response):
        return result
    reply = result if isinstance(result, Reply) else Reply(result)
    return envelope(0, reply.message or op.message, reply.data, reply.status)


def _run_once(op: Operation, services: Any, user: User, path: dict[str, Any], key: str) -> Response:
    """Stripe-style: the first answer (success or 4xx) is stored and replayed; a 5xx lets a retry run again."""
    idempotency = services.idempotency()
    assert user.id is not None
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.path.encode(), request.get_data(cache=True)])).hexdigest()
    record = idempotency.begin(user.id, key, fingerprint)
    if record is not None:
        return Response(record.body, status=record.status, mimetype="application/json",
                        headers={"Idempotent-Replayed": "true"})
    try:
        response = _run(op, services, user, path, user.id)
    except DomainError as error:
        response = domain_error_response(error)
    except BaseException:
        idempotency.abandon(user.id, key)
        raise
    if response.status_code >= 500:
        idempotency.abandon(user.id, key)
    else:
        idempotency.finish(user.id, key, response.status_code, response.get_data())
    return response
