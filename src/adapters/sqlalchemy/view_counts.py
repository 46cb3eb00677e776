"""Adds batches of views to works: one UPDATE per work, sent together, in id order (two processes writing at
once lock rows in the same order)."""
from __future__ import annotations

from sqlalchemy import Engine, bindparam, update

from .models import DbWork

works = DbWork.__table__
_ADD = update(works).where(works.c.id == bindparam("work_id")).values(views=works.c.views + bindparam("n"))


class SqlViewCounts:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, counts: dict[int, int]) -> None:
        if not counts:
            return
        with self._engine.begin() as conn:
            conn.execute(_ADD, [{"work_id": w, "n": n} for w, n in sorted(counts.items())])
