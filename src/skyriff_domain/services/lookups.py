"""Small shared steps of use cases: a keyset page's extra row, and "exists and is yours"."""
from __future__ import annotations

from typing import Protocol, Sequence, TypeVar

from ..errors import NotFound, PermissionDenied

T = TypeVar("T")


class _Owned(Protocol):
    owner_id: int


O = TypeVar("O", bound=_Owned)


def split_page(rows: Sequence[T], limit: int) -> tuple[list[T], bool]:
    """Repositories are asked for `limit + 1` rows; the extra one only says whether there is more."""
    return list(rows[:limit]), len(rows) > limit


def owned(item: O | None, user_id: int, missing: str, not_yours: str) -> O:
    """The item, if it exists (else 2007 NotFound) and belongs to `user_id` (else 2002 PermissionDenied)."""
    if item is None:
        raise NotFound(missing)
    if item.owner_id != user_id:
        raise PermissionDenied(not_yours)
    return item
