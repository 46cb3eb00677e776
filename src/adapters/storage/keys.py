"""Storage keys: the one check every blob adapter runs before a key becomes a disk path, an object name or a
link, so that no spelling of a key (dot segments, backslashes, NUL, absolute paths) can name another object."""
from __future__ import annotations

import re

PUBLIC_PREFIX = "public/"
MAX_KEY_LENGTH = 1024  # S3's limit (in bytes) on object keys
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\\]")  # control characters and backslashes


class BadKey(ValueError):
    """A key that is not a plain relative path of named segments."""


def clean_key(key: str) -> str:
    """`key` itself if it is a plain relative key like "public/videos/1/2-ab/play.mp4", else BadKey.

    Refused: empty or over-long keys, a leading "/", empty, "." or ".." segments, backslashes (a separator on
    Windows and to some proxies) and control characters (NUL ends a C string). Nothing is normalised: a
    key that needs normalising is refused, so the key checked is always the key used.
    """
    if not isinstance(key, str) or not key or len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_LENGTH:
        raise BadKey("bad storage key: empty or too long")
    if _FORBIDDEN.search(key):
        raise BadKey(f"bad storage key: {key!r}")
    segments = set(key.split("/"))  # "" also catches a leading, trailing or doubled "/"
    if "" in segments or "." in segments or ".." in segments:
        raise BadKey(f"bad storage key: {key!r}")
    return key


def is_public(key: str) -> bool:
    """Keys under `public/` may be linked directly; everything else is private (signed links only)."""
    return clean_key(key).startswith(PUBLIC_PREFIX)
