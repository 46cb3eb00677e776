"""A local fake of the OpenAI Video API (`/v1/videos`) on `FakeHttpServer`, for adapter tests.

Owns the wire behaviour the adapter relies on (external-contracts.md §1.11): Bearer auth; multipart creates
checked against the literals configured on the fake (400 `invalid_request_error` like the real API, incl. a
reference image that must match the size); jobs that advance one step per GET (queued → in_progress 30, 60,
90 → completed, or failed when scripted); `…/content` with a tiny MP4 (or any body, with or without a
Content-Length). Faults are scripted per test: queues
of answers for the next creates and polls (`rate_limited`, `server_error`, `rejected`, `stall`, …).
"""
from __future__ import annotations

import io
import itertools
import json
import re
import threading
import time
from collections import deque
from typing import Any

import attrs

from tests.support.http_server import STALL, FakeHttpServer, Request, Response

SAMPLE_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 32
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
# What the n-th GET of a job shows (1-based); later GETs show the terminal state.
SCHEDULE = (("queued", 0), ("in_progress", 30), ("in_progress", 60), ("in_progress", 90))


def envelope(message: str, type: str = "invalid_request_error", code: str | None = None,
             param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


@attrs.frozen
class Fault:
    """A scripted answer. `creates_job`: create the job first, then answer normally after `delay` (a stall)."""

    status: int = 200
    body: dict[str, Any] | bytes | None = None
    headers: dict[str, str] = attrs.field(factory=dict)
    delay: float = 0.0
    creates_job: bool = False

    def response(self) -> Response:
        body = self.body if isinstance(self.body, bytes) else json.dumps(self.body or {}).encode()
        return Response(self.status, body, {"Content-Type": "application/json", **self.headers}, self.delay)


def rate_limited(retry_after: str | None = "2", retry_after_ms: str | None = None) -> Fault:
    headers = {k: v for k, v in (("retry-after", retry_after), ("retry-after-ms", retry_after_ms)) if v}
    return Fault(429, envelope("Rate limit reached", "requests", "rate_limit_exceeded"), headers)


def server_error(status: int = 500, should_retry: str | None = None) -> Fault:
    headers = {"x-should-retry": should_retry} if should_retry else {}
    return Fault(status, envelope("The server had an error", "server_error"), headers)


def rejected(message: str = "Invalid request", status: int = 400, code: str | None = None,
             type: str = "invalid_request_error", param: str | None = None) -> Fault:
    return Fault(status, envelope(message, type, code, param))


def moderation_rejected() -> Fault:
    return rejected("Your request was blocked by our moderation system.", code="moderation_blocked")


def stall(delay: float = STALL) -> Fault:
    """Create the job, then answer late (by default only once the server stops): a client read timeout AFTER
    the job exists."""
    return Fault(delay=delay, creates_job=True)


def raw(status: int, body: bytes, headers: dict[str, str] | None = None) -> Fault:
    return Fault(status, body, headers or {"Content-Type": "text/html"})


@attrs.frozen
class Upload:
    filename: str | None
    content_type: str | None
    data: bytes


@attrs.frozen
class CreateCall:
    """One POST /videos as received: text fields, file parts, lower-cased headers."""

    fields: dict[str, str]
    files: dict[str, Upload]
    headers: dict[str, str]


@attrs.define
class FakeJob:
    id: str
    model: str
    seconds: str
    size: str
    prompt: str
    created_at: int
    status: str = "queued"
    progress: int = 0
    gets: int = 0
    fail: tuple[str, str] | None = None  # (code, message) when it is scripted to fail
    status_override: str | None = None  # a raw status string answered as is (relay quirks)

    def advance(self) -> None:
        self.gets += 1
        if self.gets <= len(SCHEDULE):
            self.status, self.progress = SCHEDULE[self.gets - 1]
        else:
            self.status = "failed" if self.fail else "completed"
            self.progress = self.progress if self.fail else 100

    def video(self) -> dict[str, Any]:
        error = {"code": self.fail[0], "message": self.fail[1]} if self.status == "failed" and self.fail else None
        return {
            "id": self.id, "object": "video", "model": self.model, "status": self.status_override or self.status,
            "progress": self.progress, "created_at": self.created_at, "prompt": self.prompt,
            "completed_at": self.created_at + 60 if self.status == "completed" else None, "expires_at": None,
            "seconds": self.seconds, "size": self.size, "remixed_from_video_id": None, "error": error,
        }


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    """(fields, files) of a multipart/form-data body (RFC 7578); raises ValueError if it is not one."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or not match:
        raise ValueError("not multipart/form-data")
    chunks = body.split(b"--" + match.group(1).encode())
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise ValueError("unterminated multipart body")
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for chunk in chunks[1:-1]:
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep or not content.endswith(b"\r\n"):
            raise ValueError("malformed part")
        content = content[:-2]  # the CRLF before the next delimiter belongs to the delimiter
        headers = dict(line.split(":", 1) for line in head.decode().split("\r\n"))
        headers = {k.strip().lower(): v.strip() for k, v in headers.items()}
        disposition = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if not name:
            raise ValueError("part without a name")
        if filename:
            files[name.group(1)] = Upload(filename.group(1), headers.get("content-type"), content)
        else:
            fields[name.group(1)] = content.decode("utf-8")
    return fields, files


class FakeVideoApi:
    """Context manager; `url` is the base URL to configure (ends in /v1). State is guarded by a lock."""

    def __init__(self, api_key: str = "sk-fake-video-key", *, models: tuple[str, ...] = ("sora-2", "sora-2-pro"),
                 seconds: tuple[str, ...] = ("4", "8", "12"),
                 sizes: tuple[str, ...] = ("720x1280", "1280x720", "1024x1792", "1792x1024"),
                 check_reference_size: bool = True) -> None:
        self.api_key, self.models, self.seconds, self.sizes = api_key, models, seconds, sizes
        self.check_reference_size = check_reference_size
        self.jobs: dict[str, FakeJob] = {}
        self.creates: list[CreateCall] = []  # every POST /videos, faulted or not
        self.create_faults: deque[Fault] = deque()
        self.poll_faults: deque[Fault] = deque()
        self.fail_next: deque[tuple[str, str]] = deque()  # (code, message) for the next jobs created
        self.poll_after_ms: int | None = None
        self.content = SAMPLE_MP4
        self.content_length = True  # False: `…/content` answers without a Content-Length header
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = FakeHttpServer(self.handle)

    # --- scripting ---------------------------------------------------------------------------------------

    @property
    def create_calls(self) -> int:
        return len(self.creates)

    def script_creates(self, *faults: Fault) -> None:
        self.create_faults.extend(faults)

    def script_polls(self, *faults: Fault) -> None:
        self.poll_faults.extend(faults)

    def fail_next_job(self, code: str = "moderation_blocked",
                      message: str = "The generated video was blocked by moderation.") -> None:
        self.fail_next.append((code, message))

    # --- server ------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._server.url + "/v1"

    @property
    def requests(self) -> list[Request]:
        return self._server.requests

    def __enter__(self) -> FakeVideoApi:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    def handle(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _answer(401, envelope("Incorrect API key provided.", code="invalid_api_key"))
        match = re.fullmatch(r"/v1/videos(?:/([^/]+)(/content)?)?/?", request.path)
        if not match:
            return _answer(404, envelope(f"Invalid URL ({request.method} {request.path})"))
        video_id, content = match.groups()
        with self._lock:
            if request.method == "POST" and not video_id:
                return self._create(request)
            if request.method == "GET" and video_id and content:
                return self._content(video_id, request.query.get("variant", ["video"])[0])
            if request.method == "GET" and video_id:
                return self._retrieve(video_id)
        return _answer(405, envelope(f"Method {request.method} not allowed"))

    def _create(self, request: Request) -> Response:
        try:
            fields, files = parse_multipart(request.headers.get("content-type", ""), request.body)
        except ValueError as exc:
            fields, files, malformed = {}, {}, str(exc)
        else:
            malformed = None
        self.creates.append(CreateCall(fields, files, dict(request.headers)))
        fault = self.create_faults.popleft() if self.create_faults else None
        if fault and not fault.creates_job:
            return fault.response()
        if malformed:
            return _answer(400, envelope(f"Invalid multipart body: {malformed}"))
        error = self._invalid(fields, files)
        if error:
            return _answer(400, error)
        job = FakeJob(f"video_{next(self._ids):024x}", fields["model"], fields.get("seconds", "4"),
                      fields.get("size", "720x1280"), fields["prompt"], int(time.time()),
                      fail=self.fail_next.popleft() if self.fail_next else None)
        self.jobs[job.id] = job
        return _answer(200, job.video(), delay=fault.delay if fault else 0.0)

    def _invalid(self, fields: dict[str, str], files: dict[str, Upload]) -> dict[str, Any] | None:
        """The real API's 400 for a bad literal, or None."""
        if not fields.get("prompt"):
            return envelope("Missing required parameter: 'prompt'.", code="missing_required_parameter",
                            param="prompt")
        for name, allowed, default in (("model", self.models, "sora-2"), ("seconds", self.seconds, None),
                                       ("size", self.sizes, None)):
            value = fields.get(name, default)
            if value is not None and value not in allowed:
                return envelope(f"Invalid value: '{value}'. Supported values are: {', '.join(allowed)}.",
                                code="invalid_value", param=name)
        reference = files.get("input_reference")
        if reference is None:
            return None
        if reference.content_type not in IMAGE_TYPES:
            return envelope("Invalid input_reference content type.", code="invalid_value", param="input_reference")
        if self.check_reference_size:
            from PIL import Image  # only tests with a reference image need Pillow

            try:
                width, height = Image.open(io.BytesIO(reference.data)).size
            except Exception:
                return envelope("Invalid image.", code="invalid_image", param="input_reference")
            if f"{width}x{height}" != fields.get("size", "720x1280"):
                return envelope("Inpaint image must match the requested width and height",
                                param="input_reference")
        return None

    def _retrieve(self, video_id: str) -> Response:
        if self.poll_faults:
            return self.poll_faults.popleft().response()
        job = self.jobs.get(video_id)
        if job is None:
            return _answer(404, envelope(f"Video with id '{video_id}' not found.", param="video_id"))
        job.advance()
        headers = {"openai-poll-after-ms": str(self.poll_after_ms)} if self.poll_after_ms is not None else {}
        return _answer(200, job.video(), headers=headers)

    def _content(self, video_id: str, variant: str) -> Response:
        job = self.jobs.get(video_id)
        if job is None:
            return _answer(404, envelope(f"Video with id '{video_id}' not found.", param="video_id"))
        if variant not in ("video", "thumbnail", "spritesheet"):
            return _answer(400, envelope(f"Invalid value: '{variant}'.", code="invalid_value", param="variant"))
        if job.status != "completed":
            return _answer(400, envelope("Video is not ready yet.", param="video_id"))
        return Response(200, self.content, {"Content-Type": "video/mp4"}, content_length=self.content_length)


def _answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None,
            delay: float = 0.0) -> Response:
    return Response(status, json.dumps(body), {"Content-Type": "application/json", **(headers or {})}, delay)
