"""Published works and the engagement around them: likes, favorites, tips, prompt unlocks, views, shares.

Hot score (stored on the work, refreshed whenever its engagement changes — never computed per row at
query time):

    hot = log10(max(E, 1)) + created_at_epoch_seconds / 45000
    E   = likes + 2 × favorites + 5 × tips + shares

Ordering by it makes engagement decay with age: every 12.5 hours (45 000 s) a work needs ten times the
engagement to stay level with a newer one. Scores of old works never need rewriting, because only the
relative order matters.
"""
from __future__ import annotations

import math
from datetime import datetime

import attrs

from ..errors import InvalidRequest
from ..money import Credits
from ..text import clean_text
from .moderation import ReviewStatus

HOT_HALF_LIFE_SECONDS = 45000  # the age that costs one order of magnitude of engagement
TITLE_MAX, DESCRIPTION_MAX, PRICE_MAX = 50, 500, 1000


def hot_score(likes: int, favorites: int, tips: int, shares: int, created_at: datetime) -> float:
    engagement = likes + 2 * favorites + 5 * tips + shares
    return round(math.log10(max(engagement, 1)) + created_at.timestamp() / HOT_HALF_LIFE_SECONDS, 9)


@attrs.frozen
class Engagement:
    like_count: int = 0
    favorite_count: int = 0
    tip_count: int = 0
    tip_total: Credits = Credits(0)
    share_count: int = 0
    views: int = 0


@attrs.define
class Work:
    """A published video. `prompt` is its display prompt: what a viewer sees once it is free or unlocked (a
    remix shows placeholders for locked ancestors). `generation_prompt` made the video — it may hold ancestors'
    locked prompts, so it is never rendered: only remixes build upon it, upstream."""

    creator_id: int
    video_id: int
    title: str
    description: str
    prompt: str
    is_prompt_locked: bool
    prompt_price: Credits
    remix_fee: Credits
    created_at: datetime
    generation_prompt: str = attrs.field(kw_only=True)
    cover_key: str = ""
    play_key: str = ""
    duration_sec: int = 0
    ratio: str = ""
    engagement: Engagement = Engagement()
    hot_score: float = 0.0
    aigc_propagate_id: str | None = None  # the PropagateID in the AIGC label of the play copy it serves
    review_status: ReviewStatus = ReviewStatus.PASSED
    review_note: str = ""  # why it was taken down, for its creator
    id: int | None = None

    def visible_to(self, viewer_id: int | None) -> bool:
        """Works in review or taken down are their creator's alone: to anyone else they do not exist (2007)."""
        return self.review_status is ReviewStatus.PASSED or viewer_id == self.creator_id

    def prompt_visible_to(self, viewer_id: int | None, unlocked: bool) -> bool:
        return not self.is_prompt_locked or viewer_id == self.creator_id or unlocked


def validate_listing(title: str, description: str, locked: bool, price: int, remix_fee: int) -> tuple[str, str]:
    """What a creator may set when publishing (2000 naming the field otherwise); returns the title and
    description as they are stored (see text.clean_text)."""
    title = clean_text("title", title, TITLE_MAX, min_len=1)
    description = clean_text("description", description, DESCRIPTION_MAX, multiline=True)
    if locked and not 1 <= price <= PRICE_MAX:
        raise InvalidRequest("prompt_price_credits", f"锁定提示词的价格需为1-{PRICE_MAX}积分")
    if not locked and price != 0:
        raise InvalidRequest("prompt_price_credits", "未锁定提示词时价格需为0")
    if not 0 <= remix_fee <= PRICE_MAX:
        raise InvalidRequest("remix_fee_credits", f"二创费需为0-{PRICE_MAX}积分")
    return title, description


@attrs.frozen
class ViewerFlags:
    """What one viewer did to some works: the ids they liked, favorited, and whose prompt they unlocked."""

    liked: frozenset[int] = frozenset()
    favorited: frozenset[int] = frozenset()
    unlocked: frozenset[int] = frozenset()

    @classmethod
    def of(cls, rows) -> "ViewerFlags":
        """From (kind, work_id) rows."""
        kinds: dict[str, set[int]] = {"like": set(), "favorite": set(), "unlock": set()}
        for kind, work_id in rows:
            kinds[kind].add(work_id)
        return cls(frozenset(kinds["like"]), frozenset(kinds["favorite"]), frozenset(kinds["unlock"]))


@attrs.frozen
class FeedEntry:
    """A work as lists show it: with its creator and what the viewer did to it."""

    work: Work
    creator_nickname: str
    creator_avatar_url: str | None
    is_liked: bool = False
    is_favorited: bool = False
    favorited_at: datetime | None = None
    favorite_id: int | None = None  # the favorite's own id: the cursor of a favorites list
