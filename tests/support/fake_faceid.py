"""A local fake of Tencent Cloud FaceID `IdCardVerification` (2018-03-01) for the verifier's tests.

It authenticates like Tencent (TC3-HMAC-SHA256 recomputed here from the documented algorithm, service
`faceid`, 5-minute skew) and answers from a small register of people: "0" when the name belongs to the
number, "-1" when it does not, "-5" for a number it does not know, "-2" for a malformed number. `answer`
overrides the Result (e.g. "-4", "-7"); `fail_with` answers a request error.

    fake = FakeFaceId({"11204416541220243X": "韦小宝"})
    with FakeHttpServer(fake) as server:
        verifier = TencentFaceIdVerifier(secret_id=SECRET_ID, secret_key=SECRET_KEY, endpoint=server.url, …)
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from tests.support.http_server import Request, Response

SECRET_ID = "AKIDskyriffFACEID00000000000000000"
SECRET_KEY = "skyriff-faceid-secret-key-0123456789"
NOW = 1764000000
DESCRIPTIONS = {"0": "姓名和身份证号一致", "-1": "姓名和身份证号不一致", "-2": "非法身份证号（长度、校验位等不正确）",
                "-3": "非法姓名（长度、格式等不正确）", "-4": "证件库服务异常", "-5": "证件库中无此身份证记录",
                "-6": "权威比对系统升级中，请稍后再试", "-7": "认证次数超过当日限制"}


def tc3_signature(secret_key: str, timestamp: int, service: str, signed_headers: list[str],
                  headers: Mapping[str, str], body: bytes) -> str:
    """Hex TC3-HMAC-SHA256 signature of a JSON POST to `/` (Tencent's documented algorithm)."""
    canonical = "\n".join(["POST", "/", "", *[f"{h}:{headers[h].strip().lower()}" for h in signed_headers], "",
                           ";".join(signed_headers), hashlib.sha256(body).hexdigest()])
    day = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), f"{day}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("TC3" + secret_key).encode()
    for part in (day, service, "tc3_request"):
        key = hmac.digest(key, part.encode(), "sha256")
    return hmac.digest(key, to_sign.encode(), "sha256").hex()


class FakeFaceId:
    def __init__(self, people: Mapping[str, str], now: int = NOW) -> None:
        self.people = dict(people)
        self.now = now
        self.answer: str | None = None
        self.fail_with: str | None = None
        self.auth_errors: list[str] = []
        self.checks = 0

    def __call__(self, request: Request) -> Response:
        failure = self._authenticate(request)
        if failure:
            self.auth_errors.append(failure)
            return _error(failure)
        if self.fail_with:
            return _error(self.fail_with)
        body = json.loads(request.body)
        self.checks += 1
        result = self.answer
        if result is None:
            result = self._result(str(body.get("IdCard", "")), str(body.get("Name", "")))
        return _answer(result)

    def _result(self, id_card: str, name: str) -> str:
        if not re.fullmatch(r"\d{17}[\dX]", id_card):
            return "-2"
        if id_card not in self.people:
            return "-5"
        return "0" if self.people[id_card] == name else "-1"

    def _authenticate(self, request: Request) -> str | None:
        algorithm, _, rest = request.headers.get("authorization", "").partition(" ")
        fields = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
        if algorithm != "TC3-HMAC-SHA256" or not {"Credential", "SignedHeaders", "Signature"} <= fields.keys():
            return "AuthFailure.InvalidAuthorization"
        if request.headers.get("x-tc-action") != "IdCardVerification" or \
                request.headers.get("x-tc-version") != "2018-03-01":
            return "InvalidAction"
        timestamp = int(request.headers["x-tc-timestamp"])
        if abs(self.now - timestamp) > 300:
            return "AuthFailure.SignatureExpire"
        secret_id, day, service, terminator = fields["Credential"].split("/")
        if secret_id != SECRET_ID:
            return "AuthFailure.SecretIdNotFound"
        signed = fields["SignedHeaders"].split(";")
        if (day, service, terminator) != (time.strftime("%Y-%m-%d", time.gmtime(timestamp)), "faceid", "tc3_request") \
                or not {"content-type", "host"} <= set(signed):
            return "AuthFailure.SignatureFailure"
        expected = tc3_signature(SECRET_KEY, timestamp, "faceid", signed, request.headers, request.body)
        if not hmac.compare_digest(expected, fields["Signature"]):
            return "AuthFailure.SignatureFailure"
        return None


def _answer(result: str) -> Response:
    return _respond({"Result": result, "Description": DESCRIPTIONS.get(result, "未知"),
                     "RequestId": "94b54cdf-d975-4718-b091-32f8d79d6397"})


def _error(code: str) -> Response:
    return _respond({"Error": {"Code": code, "Message": f"fake {code}"}, "RequestId": "req-error"})


def _respond(inner: dict[str, Any]) -> Response:
    return Response(200, json.dumps({"Response": inner}, ensure_ascii=False).encode())
