"""Saving a provider's video from a streamed HTTP answer to a file, never more than a cap, never whole in memory."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import requests

from skyriff_domain.ports.creation import PollFailed, VideoTooLarge

CHUNK = 1024 * 1024  # memory held per download, whatever the video's size


def content_length(headers: Mapping[str, str]) -> int | None:
    """The announced body size, or None when absent or not a number (then only the bytes counted decide)."""
    value = headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


def save_capped(response: requests.Response, into: Path, max_bytes: int, what: str) -> int:
    """Write a `stream=True` response's MP4 body to `into`; returns its size.

    Raises VideoTooLarge before reading when the Content-Length announced is over `max_bytes`, and as soon
    as more than `max_bytes` arrive otherwise (no Content-Length, or a wrong one); PollFailed when the body
    breaks off or is not an MP4 (relays answer error pages with a 200). `what` names the download in errors.
    """
    announced = content_length(response.headers)
    if announced is not None and announced > max_bytes:
        raise VideoTooLarge(f"{what}: {announced} bytes announced, over the {max_bytes}-byte cap")
    size, head = 0, b""
    try:
        with open(into, "wb") as out:
            for chunk in response.iter_content(CHUNK):  # decoded: a gzip bomb is counted as it inflates
                size += len(chunk)
                if size > max_bytes:
                    raise VideoTooLarge(f"{what}: more than the {max_bytes}-byte cap received")
                if len(head) < 8:
                    head += chunk[: 8 - len(head)]
                    if len(head) == 8 and head[4:8] != b"ftyp":
                        raise PollFailed(f"{what}: not an MP4")
                out.write(chunk)
    except requests.RequestException as exc:
        raise PollFailed(f"{what}: {type(exc).__name__} while receiving") from exc
    if len(head) < 8:
        raise PollFailed(f"{what}: {size} bytes, not an MP4")
    return size
