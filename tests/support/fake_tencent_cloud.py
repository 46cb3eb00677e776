"""A local fake of Tencent Cloud API 3.0 that authenticates like Tencent: the secret id, the timestamp's skew and
the TC3-HMAC-SHA256 signature, recomputed by its own implementation of the documented algorithm
(`reference_signature`, written apart from the adapter's, so a bug in one cannot cancel out in the other)."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from .http_server import Request, Response


def _hmac_sha256(key: bytes, text: str) -> bytes:
    return hmac.digest(key, text.encode(), "sha256")


def reference_signature(
    secret_key: str, timestamp: int, service: str, signed_headers: list[str], headers: Mapping[str, str],
    body: bytes,
) -> str:
    """Hex signature of a POST to `/` over `signed_headers` (lower-case names, looked up in `headers`)."""
    lines = ["POST", "/", ""]
    lines += [f"{name}:{headers[name].strip().lower()}" for name in signed_headers]
    lines += ["", ";".join(signed_headers), hashlib.sha256(body).hexdigest()]
    canonical_request = "\n".join(lines)
    day = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    string_to_sign = "\n".join([
        "TC3-HMAC-SHA256", str(timestamp), f"{day}/{service}/tc3_request",
        hashlib.sha256(canonical_request.encode()).hexdigest(),
    ])
    key = ("TC3" + secret_key).encode()
    for part in (day, service, "tc3_request"):
        key = _hmac_sha256(key, part)
    return _hmac_sha256(key, string_to_sign).hex()


def envelope(document: dict[str, Any], status: int = 200) -> Response:
    return Response(status, json.dumps({"Response": document}))


def error(code: str, request_id: str = "req-error") -> Response:
    return envelope({"Error": {"Code": code, "Message": f"fake {code}"}, "RequestId": request_id})


class FakeTencentCloud:
    """One product (`service`) of Tencent Cloud: authenticates each request, then `answer(action, body)`."""

    def __init__(self, service: str, secret_id: str, secret_key: str, now: int,
                 answer: Callable[[str, dict[str, Any]], Response]) -> None:
        self.service = service
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.now = now
        self.answer = answer
        self.auth_errors: list[str] = []

    def __call__(self, request: Request) -> Response:
        failure = self.authenticate(request)
        if failure:
            self.auth_errors.append(failure)
            return error(failure)
        return self.answer(request.headers.get("x-tc-action", ""), json.loads(request.body))

    def authenticate(self, request: Request) -> str | None:
        algorithm, _, rest = request.headers.get("authorization", "").partition(" ")
        fields = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
        if algorithm != "TC3-HMAC-SHA256" or not {"Credential", "SignedHeaders", "Signature"} <= fields.keys():
            return "AuthFailure.InvalidAuthorization"
        timestamp = int(request.headers["x-tc-timestamp"])
        if abs(self.now - timestamp) > 300:
            return "AuthFailure.SignatureExpire"
        secret_id, day, service, terminator = fields["Credential"].split("/")
        if secret_id != self.secret_id:
            return "AuthFailure.SecretIdNotFound"
        signed = fields["SignedHeaders"].split(";")
        expected_scope = (time.strftime("%Y-%m-%d", time.gmtime(timestamp)), self.service, "tc3_request")
        if (day, service, terminator) != expected_scope or not {"content-type", "host"} <= set(signed):
            return "AuthFailure.SignatureFailure"
        expected = reference_signature(self.secret_key, timestamp, self.service, signed, request.headers,
                                       request.body)
        if not hmac.compare_digest(expected, fields["Signature"]):
            return "AuthFailure.SignatureFailure"
        return None
