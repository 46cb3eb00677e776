"""`VideoProvider` for the OpenAI Video API shape (`POST /videos`, `GET /videos/{id}`, `…/content`).

OpenAI's own Sora API shut down on 2026-09-24; relays (new-api and friends) keep speaking the protocol,
so the base URL and the model/duration/size literals come from config (external-contracts.md §1, §2).
This module owns the wire contract and the sorting of every failure into the port's exceptions.

A create is never re-sent: it is not idempotent, and a repeat after a read timeout can start (and bill)
a second video. The session therefore has no urllib3 retries. The API key and prompts never reach a log
line or an exception; a prompt is logged only as a short hash, enough to reconcile with the provider.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote

import attrs
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, NewConnectionError

from skyriff_domain.model.generation import GenerationRequest, ModelCapability, UpstreamJob, UpstreamState
from skyriff_domain.ports.creation import PollFailed, SubmitNotStarted, SubmitRejected, SubmitUnknown, VideoProvider

from .download import save_capped

log = logging.getLogger("skyriff.providers")

CONTENT_POLICY_MESSAGE = "提示词或参考图不符合内容规范"
REJECTED_PREFIX = "视频生成请求被拒绝："
FAILED_PREFIX = "视频生成失败："
NOT_FOUND_MESSAGE = "上游任务不存在"
# 401/403 messages are about our key or account (OpenAI's even quote part of the key): not for users.
ACCOUNT_REJECTED_MESSAGE = REJECTED_PREFIX + "视频服务暂不可用"

# new-api's case-insensitive mapping (relay/channel/task/sora/adaptor.go ParseTaskResult).
_STATES: dict[str, UpstreamState] = {
    name: state
    for state, names in (
        (UpstreamState.QUEUED, "queued pending submitted not_start notstarted preparing created starting unknown"),
        (UpstreamState.IN_PROGRESS, "processing in_progress running generating"),
        (UpstreamState.COMPLETED, "completed complete success succeeded finished"),
        (UpstreamState.FAILED, "failed failure fail error cancelled canceled"),
    )
    for name in names.split()
}
# Substrings of an error code/type that mean "content policy" (OpenAI, Azure, new-api's sensitive words).
_POLICY_MARKERS = ("moderation", "content_policy", "content_filter", "policy_violation", "safety", "sensitive")
_FILENAMES = {"image/png": "reference.png", "image/jpeg": "reference.jpg", "image/webp": "reference.webp"}


def _capability(ours: str, spec: Mapping[str, Any]) -> ModelCapability:
    if not isinstance(spec.get("model"), str) or not spec["model"]:
        raise ValueError(f"models.{ours}.model: the upstream model name is required")
    square = spec.get("square_by_crop", False)
    if not isinstance(square, bool):
        raise ValueError(f"models.{ours}.square_by_crop: must be true or false")
    # JSON and TOML keys are strings: durations arrive as "10", "15", "25".
    capability = ModelCapability(
        upstream_model=spec["model"],
        seconds={int(k): str(v) for k, v in (spec.get("seconds") or {}).items()},
        sizes={str(k): str(v) for k, v in (spec.get("sizes") or {}).items()},
        model_by_duration={int(k): str(v) for k, v in (spec.get("model_by_duration") or {}).items()},
        square_by_crop=square,
    )
    if not capability.sizes or not (capability.seconds or capability.model_by_duration):
        raise ValueError(f"models.{ours}: needs sizes and seconds (or model_by_duration)")
    return capability


@attrs.frozen
class OpenAIVideoConfig:
    name: str
    base_url: str = attrs.field(converter=lambda url: str(url).rstrip("/"))  # ends in /v1; we append /videos
    api_key: str = attrs.field(repr=False)
    models: dict[str, ModelCapability]  # our model name → what this provider makes for it
    timeout: float = 30.0  # read timeout of create and poll
    download_timeout: float = 120.0
    connect_timeout: float = 5.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OpenAIVideoConfig:
        """Parse a plain dict from JSON or TOML: name, base_url, api_key, models{ours: {model, seconds, sizes,
        square_by_crop, model_by_duration}} and optional timeouts; duration keys may be strings."""
        for key in ("name", "base_url", "api_key", "models"):
            if not data.get(key):
                raise ValueError(f"video provider config: {key} is required")
        models = {str(ours): _capability(str(ours), spec) for ours, spec in data["models"].items()}
        timeouts = {k: float(data[k]) for k in ("timeout", "download_timeout", "connect_timeout") if k in data}
        return cls(name=str(data["name"]), base_url=data["base_url"], api_key=str(data["api_key"]),
                   models=models, **timeouts)


def session_without_retries() -> requests.Session:
    """A Session that never re-sends a request (Retry(0, read=False)); creates must not be repeated."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class OpenAIVideoProvider(VideoProvider):
    """One relay (or OpenAI) speaking `/videos`. A caller-supplied session must not retry either."""

    def __init__(self, config: OpenAIVideoConfig, session: requests.Session | None = None,
                 image_fitter: Callable[[bytes, str], bytes] | None = None) -> None:
        self.name = config.name
        self._config = config
        self._session = session if session is not None else session_without_retries()
        self._fit = image_fitter

    def __repr__(self) -> str:
        return f"OpenAIVideoProvider({self.name!r}, {self._config.base_url!r})"

    @property
    def config(self) -> OpenAIVideoConfig:
        return self._config

    def capability(self, model: str) -> ModelCapability | None:
        return self._config.models.get(model)

    # --- create -------------------------------------------------------------------------------------------

    def submit(self, request: GenerationRequest) -> UpstreamJob:
        cap = self.capability(request.model)
        if cap is None or not cap.serves_duration(request.duration_sec) or not cap.serves_ratio(request.ratio):
            raise ValueError(f"{self.name} cannot make {request.model} {request.duration_sec}s {request.ratio}")
        model = cap.model_for(request.duration_sec)
        seconds = cap.seconds.get(request.duration_sec)
        size = cap.size_for(request.ratio)
        # (None, value) parts force multipart/form-data even without a file, as the API expects.
        parts: list[tuple[str, tuple[Any, ...]]] = [
            ("prompt", (None, request.prompt)), ("model", (None, model)), ("size", (None, size)),
        ]
        if seconds is not None:  # else the relay encodes the duration in the model name
            parts.append(("seconds", (None, seconds)))
        if request.reference_image is not None:
            # The API requires the reference to match the target size exactly.
            image = request.reference_image
            data = self._fit(image.data, size) if self._fit else image.data
            content_type = _sniff_image(data) or image.content_type
            if content_type not in _FILENAMES:
                raise ValueError(f"unsupported reference image type {content_type!r}")
            parts.append(("input_reference", (_FILENAMES[content_type], data, content_type)))
        what = (f"model={model} seconds={seconds} size={size} prompt_sha256={_digest(request.prompt)} "
                f"reference={request.reference_image is not None}")
        try:
            response = self._session.post(self._url("/videos"), files=parts, headers=self._headers(),
                                          timeout=(self._config.connect_timeout, self._config.timeout),
                                          allow_redirects=False)
        except requests.RequestException as exc:
            if _never_sent(exc):
                raise SubmitNotStarted(f"{self.name}: could not connect ({type(exc).__name__})") from exc
            self._unknown(what, f"{type(exc).__name__} after sending")
        return self._created(response, what)

    def _created(self, response: requests.Response, what: str) -> UpstreamJob:
        status = response.status_code
        if 200 <= status < 300:
            video = _video(response)
            if video is None:
                self._unknown(what, f"HTTP {status} without a video id", response)
            job = self._job(video, str(video["id"]), missing=UpstreamState.QUEUED)
            log.info("%s created %s (%s)", self.name, job.upstream_id, what)
            return job
        # 3xx: a misconfigured base URL; we never follow a POST redirect, so nothing was created.
        if (response.headers.get("x-should-retry", "").lower() == "true" or status in (408, 429)
                or 300 <= status < 400):
            retry_after = _retry_after(response.headers)
            log.info("%s did not take a create: HTTP %s (retry after %s)", self.name, status, retry_after)
            raise SubmitNotStarted(f"{self.name}: HTTP {status}", retry_after=retry_after)
        if 400 <= status < 500:
            code, kind, message = _error(response)
            log.warning("%s rejected a create: HTTP %s code=%s type=%s request=%s (%s)", self.name, status,
                        code, kind, response.headers.get("x-request-id"), what)
            if _is_policy(code, kind):
                raise SubmitRejected(CONTENT_POLICY_MESSAGE)
            if status in (401, 403):
                raise SubmitRejected(ACCOUNT_REJECTED_MESSAGE)
            raise SubmitRejected(REJECTED_PREFIX + self._trim(message or f"HTTP {status}"))
        self._unknown(what, f"HTTP {status}", response)

    def _unknown(self, what: str, reason: str, response: requests.Response | None = None) -> NoReturn:
        request_id = response.headers.get("x-request-id") if response is not None else None
        log.warning("%s: create fate unknown (%s), may exist upstream and bill: %s request=%s",
                    self.name, reason, what, request_id)
        raise SubmitUnknown(f"{self.name}: {reason}")

    # --- poll and download --------------------------------------------------------------------------------

    def poll(self, upstream_id: str) -> UpstreamJob:
        response = self._get(upstream_id, "", timeout=self._config.timeout)
        if response.status_code == 404 and _json(response) is not None:
            # Only a JSON 404 is about the job; an HTML one is a wrong base URL (tasks must not fail).
            log.warning("%s: video %s not found upstream", self.name, upstream_id)
            return UpstreamJob(upstream_id, UpstreamState.FAILED, error_code="not_found",
                               error_message=NOT_FOUND_MESSAGE)
        if not 200 <= response.status_code < 300:
            raise PollFailed(f"{self.name}: poll {upstream_id}: HTTP {response.status_code}")
        video = _video(response, need_id=False)
        if video is None:
            raise PollFailed(f"{self.name}: poll {upstream_id}: not a video object")
        job = self._job(video, upstream_id, missing=None)
        return attrs.evolve(job, poll_after_seconds=_poll_after(response.headers))

    def download(self, upstream_id: str, into: Path, max_bytes: int) -> int:
        """Stream the MP4 into `into` chunk by chunk, refusing it as soon as a Content-Length over `max_bytes`
        is announced or more than `max_bytes` arrive (a body without Content-Length is counted as it comes)."""
        what = f"{self.name}: download {upstream_id}"
        with self._get(upstream_id, "/content", timeout=self._config.download_timeout,
                       params={"variant": "video"}, accept="application/binary", stream=True) as response:
            if response.status_code != 200:
                raise PollFailed(f"{what}: HTTP {response.status_code}")
            size = save_capped(response, into, max_bytes, what)
        log.info("%s: %d bytes", what, size)
        return size

    def _get(self, upstream_id: str, suffix: str, *, timeout: float, params: dict[str, str] | None = None,
             accept: str = "application/json", stream: bool = False) -> requests.Response:
        url = self._url(f"/videos/{quote(upstream_id, safe='')}{suffix}")
        try:
            return self._session.get(url, params=params, headers={**self._headers(), "Accept": accept},
                                     timeout=(self._config.connect_timeout, timeout), stream=stream)
        except requests.RequestException as exc:
            raise PollFailed(f"{self.name}: GET {upstream_id}{suffix}: {type(exc).__name__}") from exc

    # --- helpers --------------------------------------------------------------------------------------------

    def _job(self, video: Mapping[str, Any], upstream_id: str, *, missing: UpstreamState | None) -> UpstreamJob:
        raw = video.get("status")
        state = _STATES.get(raw.strip().lower()) if isinstance(raw, str) else None
        if state is None and raw is None and missing is not None:
            state = missing
        elif state is None:  # unknown strings: log and keep polling (new-api does too)
            log.warning("%s: unknown video status %r for %s", self.name, str(raw)[:40], upstream_id)
            state = UpstreamState.IN_PROGRESS
        progress = 100 if state is UpstreamState.COMPLETED else _progress(video.get("progress"))
        if state is not UpstreamState.FAILED:
            return UpstreamJob(upstream_id, state, progress)
        code, kind, message = _error_fields(video.get("error") or video.get("fail_reason"))
        if _is_policy(code, kind):
            text = CONTENT_POLICY_MESSAGE
        else:
            text = FAILED_PREFIX + self._trim(message) if message else FAILED_PREFIX.rstrip("：")
        return UpstreamJob(upstream_id, state, progress, error_code=code or "failed", error_message=text)

    def _url(self, path: str) -> str:
        return self._config.base_url + path

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._config.api_key}"}

    def _trim(self, message: str, limit: int = 100) -> str:
        text = " ".join(message.replace(self._config.api_key, "***").split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


def _never_sent(exc: requests.RequestException) -> bool:
    """Connection refused, DNS failure or connect timeout: the request surely never reached the server."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if type(exc) is not requests.ConnectionError:  # SSLError, ProxyError…: not sure enough
        return False
    reason = exc.args[0] if exc.args else None
    # NameResolutionError is a NewConnectionError; a reset after sending arrives as a ProtocolError instead.
    return isinstance(reason, MaxRetryError) and isinstance(reason.reason, NewConnectionError)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _video(response: requests.Response, need_id: bool = True) -> dict[str, Any] | None:
    """The video object of a 2xx answer; some relays wrap it in {"data": …} or name the id `task_id`."""
    body = _json(response)
    if isinstance(body, dict) and "status" not in body and isinstance(body.get("data"), dict):
        body = body["data"]
    if not isinstance(body, dict):
        return None
    if not body.get("id") and body.get("task_id"):
        body = {**body, "id": body["task_id"]}
    if need_id and not (isinstance(body.get("id"), str) and body["id"]):
        return None
    return body


def _error_fields(error: Any) -> tuple[str | None, str | None, str | None]:
    """(code, type, message) of an OpenAI error object; relays sometimes send a bare string."""
    if isinstance(error, dict):
        def text(key: str) -> str | None:
            value = error.get(key)
            return str(value) if value not in (None, "") else None
        return text("code"), text("type"), text("message")
    if isinstance(error, str) and error:
        return None, None, error
    return None, None, None


def _error(response: requests.Response) -> tuple[str | None, str | None, str | None]:
    body = _json(response)
    if not isinstance(body, dict):
        return None, None, None
    if "error" in body:
        return _error_fields(body["error"])
    return _error_fields(body)  # new-api style {"code": …, "message": …}


def _is_policy(code: str | None, kind: str | None) -> bool:
    text = f"{code or ''} {kind or ''}".lower()
    return any(marker in text for marker in _POLICY_MARKERS)


def _progress(value: Any) -> int:
    """Percent as int 0–100; relays send 65, 65.0, "65" or "65%"."""
    try:
        number = float(str(value).strip().rstrip("%")) if value is not None else 0.0
    except ValueError:
        return 0
    return max(0, min(100, int(number))) if number == number else 0  # NaN → 0


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date), as openai-python reads them."""
    try:
        return max(0.0, float(headers["retry-after-ms"]) / 1000)
    except (KeyError, ValueError):
        pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _poll_after(headers: Mapping[str, str]) -> float | None:
    try:
        seconds = float(headers["openai-poll-after-ms"]) / 1000
    except (KeyError, ValueError):
        return None
    return seconds if seconds > 0 else None


def _sniff_image(data: bytes) -> str | None:
    """The real type of the bytes sent: the fitter may have re-encoded the upload."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _digest(prompt: str) -> str:
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()[:16]
