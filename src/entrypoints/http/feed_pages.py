"""The feed's answer, rendered once per shared page: each item's JSON is kept up to its viewer flags, so a
request only splices in `true`/`false` for what this viewer liked and favorited and joins the bytes.

The page object comes from the domain's page cache; while it is cached every request gets the same object,
and its rendering lives as long as it does (a weak reference), so nothing here outlives a purge.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable

import attrs
from flask import Response

from skyriff_domain.services.works import FeedPage

from . import presenters
from .envelope import dumps

HEAD = b'{"code":0,"message":"success","data":{"items":['
_FLAGS = ("is_liked", "is_favorited")
_TRUE_FALSE = {True: b"true", False: b"false"}


@attrs.frozen
class RenderedPage:
    ids: tuple[int, ...]
    items: tuple[bytes, ...]  # each item's JSON without its flags and closing brace
    tail: bytes  # after the items: the cursor and has_more


_rendered: weakref.WeakKeyDictionary[FeedPage, RenderedPage] = weakref.WeakKeyDictionary()


def render(page: FeedPage, url: Callable[[str], str], cursor: Callable) -> RenderedPage:
    known = _rendered.get(page)
    if known is not None:
        return known
    items = []
    for entry in page.entries:
        item = presenters.feed_item(entry, url)
        for flag in _FLAGS:
            del item[flag]
        items.append(dumps(item)[:-1] + b',"is_liked":')
    next_cursor = cursor(page.entries[-1]) if page.more and page.entries else None
    tail = b'],"next_cursor":' + dumps(next_cursor) + b',"has_more":' + _TRUE_FALSE[page.more] + b"}}"
    rendered = RenderedPage(tuple(e.work.id for e in page.entries), tuple(items), tail)
    _rendered[page] = rendered  # a race renders twice; both are the same
    return rendered


def feed_response(page: FeedPage, liked: set[int], favorited: set[int], url: Callable[[str], str],
                  cursor: Callable) -> Response:
    """The envelope `{"code":0,…,"data":{"items":[…],"next_cursor":…,"has_more":…}}` of `page` for this viewer."""
    rendered = render(page, url, cursor)
    items = b",".join(b"".join((prefix, _TRUE_FALSE[work_id in liked], b',"is_favorited":',
                                _TRUE_FALSE[work_id in favorited], b"}"))
                      for work_id, prefix in zip(rendered.ids, rendered.items))
    return Response(HEAD + items + rendered.tail, mimetype="application/json")
