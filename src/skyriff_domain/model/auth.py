"""Login challenges: SMS codes (stored hashed) and WeChat OAuth states."""
from __future__ import annotations

import enum
import hashlib
import hmac
from datetime import datetime

import attrs


class WeChatPlatform(enum.StrEnum):
    """The mobile app and the website have different AppIDs; a code is exchanged with its issuer's."""

    APP = "app"
    WEB = "web"


@attrs.frozen
class WeChatProfile:
    """Who WeChat says logged in. `unionid` joins app and web logins; absent if no Open Platform binding."""

    app_id: str
    openid: str
    unionid: str | None = None
    nickname: str | None = None
    avatar_url: str | None = None


@attrs.frozen
class SmsChallenge:
    """An SMS code waiting to be typed in; only its keyed hash is kept."""

    phone: str
    code_hash: str
    expires_at: datetime
    attempts: int = 0

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class Attempt(enum.Enum):
    """What one typed-in code did to the phone's challenge (decided atomically by the store)."""

    MATCHED = "matched"  # right code, tries left: the code is used up
    WRONG = "wrong"  # compared and wrong: one of the tries is gone
    REFUSED = "refused"  # no live code, or no tries left: nothing was compared


def hash_code(secret: str, phone: str, code: str) -> str:
    """Keyed hash of a code bound to its phone: a leaked table reveals no codes and cannot be replayed."""
    return hmac.new(secret.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()
