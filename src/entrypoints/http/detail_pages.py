"""A work's detail, rendered once per shared copy: the JSON is kept in pieces around the viewer's three flags
(`is_liked`, `is_favorited`, `is_prompt_unlocked`), so a request only joins the pieces with `true`/`false`.

The shared copy comes from the domain's cache; while it is cached every request gets the same object and its
rendering lives as long as it does (a weak reference), so nothing here outlives a purge or the cache's ttl.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable

import attrs
from flask import Response

from skyriff_domain.model.work import ViewerFlags
from skyriff_domain.services.works import SharedDetail

from . import presenters
from .envelope import dumps

_FLAGS = ("is_liked", "is_favorited", "is_prompt_unlocked")
_MARK = {flag: dumps(f"\x00{flag}") for flag in _FLAGS}  # a string no real value can contain
_SPLIT = re.compile(b"(" + b"|".join(re.escape(m) for m in _MARK.values()) + b")")
_FLAG_OF = {mark: flag for flag, mark in _MARK.items()}
_TRUE_FALSE = {True: b"true", False: b"false"}

_rendered: weakref.WeakKeyDictionary[SharedDetail, tuple[bytes | str, ...]] = weakref.WeakKeyDictionary()


def data(shared: SharedDetail, url: Callable[[str], str], share_link: str) -> dict:
    """The detail as the spec shows it, counting the view being served, with a placeholder per flag."""
    work = shared.entry.work
    seen = attrs.evolve(work, engagement=attrs.evolve(work.engagement, views=work.engagement.views + 1))
    item = presenters.feed_item(attrs.evolve(shared.entry, work=seen), url)
    item["is_liked"], item["is_favorited"] = "\x00is_liked", "\x00is_favorited"
    return {**item, "creator": {**item["creator"], "bio": shared.creator_bio}, "description": work.description,
            "is_prompt_unlocked": "\x00is_prompt_unlocked", "share_link": share_link, **presenters.review(work)}


def render(shared: SharedDetail, url: Callable[[str], str], share_link: str) -> tuple[bytes | str, ...]:
    """The envelope's bytes split around the flags: (bytes, flag name, bytes, flag name, …, bytes)."""
    known = _rendered.get(shared)
    if known is not None:
        return known
    body = dumps({"code": 0, "message": "success", "data": data(shared, url, share_link)})
    parts = tuple(_FLAG_OF.get(piece, piece) if i % 2 else piece for i, piece in enumerate(_SPLIT.split(body)))
    _rendered[shared] = parts  # a race renders twice; both are the same
    return parts


def detail_response(shared: SharedDetail, flags: ViewerFlags, url: Callable[[str], str],
                    share_link: str) -> Response:
    work_id = shared.entry.work.id
    values = {"is_liked": work_id in flags.liked, "is_favorited": work_id in flags.favorited,
              "is_prompt_unlocked": work_id in flags.unlocked}
    body = b"".join(_TRUE_FALSE[values[piece]] if i % 2 else piece
                    for i, piece in enumerate(render(shared, url, share_link)))
    return Response(body, mimetype="application/json")
