"""Expiring links to private objects: an HMAC over the key and the expiry time."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime


def link_signature(secret: str, key: str, expires: int) -> str:
    return hmac.new(secret.encode(), f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


def link_is_valid(secret: str, key: str, expires: str | None, signature: str | None, now: datetime) -> bool:
    # ASCII digits of a sane length: int() of other scripts' digits or of thousands of digits would raise.
    if not expires or not signature or not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
        return False
    if int(expires) <= int(now.timestamp()):
        return False
    return hmac.compare_digest(link_signature(secret, key, int(expires)), signature)
