"""Standard Webhooks verification (what the video API signs `video.completed` / `video.failed` with):
HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}", base64, in `webhook-signature` as
space-separated "v1,<sig>" entries; the timestamp must be within five minutes."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, Mapping

import attrs

TOLERANCE_SECONDS = 300


class WebhookRejected(Exception):
    """Unsigned, mis-signed, stale or malformed: nothing happens."""


@attrs.frozen
class VideoEvent:
    event_id: str
    type: str  # video.completed | video.failed | anything else (ignored)
    video_id: str


def _key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[len("whsec_"):], validate=True)
        except binascii.Error as exc:
            raise ValueError("the webhook secret is not valid base64 after whsec_") from exc
    return secret.encode()


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    message = f"{event_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_key(secret), message, hashlib.sha256).digest()).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: datetime) -> VideoEvent:
    lower = {k.lower(): v for k, v in headers.items()}
    event_id, timestamp, signatures = (lower.get(h, "") for h in ("webhook-id", "webhook-timestamp",
                                                                   "webhook-signature"))
    # A timestamp in ASCII digits of a sane length: int() of other scripts' digits, or of thousands of
    # digits, would raise. The id becomes part of a dedupe key, so it is bounded too.
    sane_time = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12
    if not 0 < len(event_id) <= 128 or not sane_time or not signatures:
        raise WebhookRejected("missing webhook headers")
    if abs(now.timestamp() - int(timestamp)) > TOLERANCE_SECONDS:
        raise WebhookRejected("timestamp outside the 5-minute window")
    expected = sign(secret, event_id, int(timestamp), body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures.split()):
        raise WebhookRejected("signature mismatch")
    try:
        document: Any = json.loads(body)
        video_id = document["data"]["id"]
        kind = document["type"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise WebhookRejected("not a video event") from None
    if not isinstance(video_id, str) or not isinstance(kind, str):
        raise WebhookRejected("not a video event")
    return VideoEvent(event_id, kind, video_id)
