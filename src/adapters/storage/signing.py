"""Expiring links to private objects: an HMAC over the key, the expiry time and the download's file name."""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def clean_filename(filename: str | None) -> str | None:
    """`filename` if it is a plain download name (letters, digits, ".", "_", "-"; at most 100), else ValueError:
    it travels in a query string and a Content-Disposition header, so nothing there may need escaping."""
    if filename is not None and not _FILENAME.fullmatch(filename):
        raise ValueError(f"not a plain download name: {filename!r}")
    return filename


def link_signature(secret: str, key: str, expires: int, filename: str | None = None) -> str:
    message = f"{key}\n{expires}" + (f"\n{filename}" if filename else "")  # unnamed links sign as they always did
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def link_is_valid(secret: str, key: str, expires: str | None, signature: str | None, now: datetime,
                  filename: str | None = None) -> bool:
    # ASCII digits of a sane length: int() of other scripts' digits or of thousands of digits would raise.
    if not expires or not signature or not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
        return False
    if int(expires) <= int(now.timestamp()):
        return False
    if filename is not None and not _FILENAME.fullmatch(filename):
        return False
    return hmac.compare_digest(link_signature(secret, key, int(expires), filename), signature)
