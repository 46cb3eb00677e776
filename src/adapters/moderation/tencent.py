"""Tencent Cloud content moderation: 文本内容安全 `TextModeration` (tms, 2020-12-29) and 图片内容安全
`ImageModeration` (ims, 2020-12-29), signed with TC3-HMAC-SHA256 through the shared client.

Owns the wire contract (Content / FileContent in Base64, BizType, the `Suggestion` Pass / Review / Block mapped
one to one onto our verdicts, Label and SubLabel as labels, RequestId as the reference). Every failure —
authentication, rate limit, quota, network, an answer we cannot read — is ModerationUnavailable: what that means
for the content is the policy's `on_error`, decided in the domain. The text and image never reach a log line.
"""
from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import requests
from PIL import Image

from skyriff_domain.model.moderation import Decision, Verdict
from skyriff_domain.ports import ContentModerator, ModerationUnavailable

from ..tencent_cloud import TencentCloudClient, TencentCloudError

API_VERSION = "2020-12-29"
_VERDICTS = {"Pass": Verdict.PASS, "Review": Verdict.REVIEW, "Block": Verdict.BLOCK}
TEXT_MAX = 10_000  # TextModeration refuses longer texts
IMAGE_BASE64_MAX = 10 * 1024 * 1024  # ImageModeration's limit on FileContent
_SHRINK_TO = 2048  # the long side of an image too large to send as it is


class TencentModerator(ContentModerator):
    name = "tencent"

    def __init__(self, *, secret_id: str, secret_key: str, region: str = "ap-guangzhou",
                 tms_endpoint: str = "https://tms.tencentcloudapi.com",
                 ims_endpoint: str = "https://ims.tencentcloudapi.com", text_biz_type: str = "",
                 image_biz_type: str = "", timeout: float = 5.0, session: requests.Session | None = None,
                 clock: Callable[[], int] | None = None) -> None:
        common = dict(secret_id=secret_id, secret_key=secret_key, version=API_VERSION, region=region,
                      timeout=timeout, session=session, clock=clock)
        self._tms = TencentCloudClient(endpoint=tms_endpoint, service="tms", **common)  # type: ignore[arg-type]
        self._ims = TencentCloudClient(endpoint=ims_endpoint, service="ims", **common)  # type: ignore[arg-type]
        self._text_biz_type = text_biz_type
        self._image_biz_type = image_biz_type

    def __repr__(self) -> str:
        return f"TencentModerator(tms={self._tms!r}, ims={self._ims!r})"

    def text(self, kind: str, text: str) -> Decision:
        body: dict[str, Any] = {"Content": _b64(text[:TEXT_MAX].encode("utf-8")), "DataId": kind[:64]}
        if self._text_biz_type:
            body["BizType"] = self._text_biz_type
        return _decision(self._call(self._tms, "TextModeration", body))

    def image(self, data: bytes) -> Decision:
        content = _b64(data)
        if len(content) > IMAGE_BASE64_MAX:
            content = _b64(_shrink(data))
        body: dict[str, Any] = {"FileContent": content}
        if self._image_biz_type:
            body["BizType"] = self._image_biz_type
        return _decision(self._call(self._ims, "ImageModeration", body))

    @staticmethod
    def _call(client: TencentCloudClient, action: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return client.call(action, body)
        except TencentCloudError as error:
            suffix = f" (request {error.request_id})" if error.request_id else ""
            raise ModerationUnavailable(f"tencent {action}: {error.code}{suffix}") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _shrink(data: bytes) -> bytes:
    """A JPEG no longer than _SHRINK_TO on its long side: what is checked is the picture, not its file size."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = img.convert("RGB")
            img.thumbnail((_SHRINK_TO, _SHRINK_TO))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=85)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ModerationUnavailable(f"image too large to send and cannot be shrunk: {type(error).__name__}") from None
    return out.getvalue()


def _decision(inner: dict[str, Any]) -> Decision:
    """Suggestion → verdict, one to one; anything else is an answer we cannot act on."""
    suggestion = inner.get("Suggestion")
    verdict = _VERDICTS.get(suggestion) if isinstance(suggestion, str) else None
    if verdict is None:
        raise ModerationUnavailable(f"tencent: unexpected Suggestion {str(suggestion)[:32]!r}")
    labels = tuple(str(v) for v in (inner.get("Label"), inner.get("SubLabel")) if v and v != "Normal")
    return Decision(verdict, labels, str(inner.get("RequestId") or ""), "tencent")
