"""Users: profile, masked phone, flags, and the identities they log in with."""
from __future__ import annotations

import enum
import re
from datetime import datetime

import attrs

from ..errors import InvalidRequest
from ..text import clean_text

# [0-9], not \d: \d also matches full-width and Arabic-Indic digits, which would make separate identities.
PHONE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
NICKNAME_MAX = 20
BIO_MAX = 200


def validate_phone(phone: str) -> str:
    """Mainland mobile numbers only: 1[3-9] followed by nine ASCII digits, nothing around them."""
    if not isinstance(phone, str) or not PHONE_PATTERN.fullmatch(phone):
        raise InvalidRequest("phone", "请输入11位中国大陆手机号")
    return phone


def mask_phone(phone: str | None) -> str | None:
    """138****8000: the only form in which a phone number leaves the server."""
    if not phone:
        return None
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


class IdentityKind(enum.StrEnum):
    PHONE = "phone"
    WECHAT_UNIONID = "wechat_unionid"
    WECHAT_OPENID = "wechat_openid"


@attrs.frozen
class Identity:
    """A way to log in that leads to one user; unique across users."""

    kind: IdentityKind
    key: str


@attrs.define
class User:
    nickname: str
    created_at: datetime
    phone: str | None = None
    avatar_url: str | None = None
    avatar_asset_id: int | None = None
    bio: str = ""
    is_creator: bool = False
    is_promoter: bool = False
    is_banned: bool = False
    referral_code: str | None = None
    id: int | None = None

    @property
    def masked_phone(self) -> str | None:
        return mask_phone(self.phone)

    def rename(self, nickname: str) -> None:
        self.nickname = clean_text("nickname", nickname, NICKNAME_MAX, min_len=1)

    def describe(self, bio: str) -> None:
        self.bio = clean_text("bio", bio, BIO_MAX, multiline=True)


@attrs.frozen
class UserStats:
    """The counters a profile shows; kept equal to the rows they count."""

    likes_received_count: int = 0
    followers_count: int = 0
    following_count: int = 0
    works_count: int = 0
