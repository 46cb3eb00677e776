"""Batched views land on the works, on SQLite and PostgreSQL."""
from __future__ import annotations

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from adapters.sqlalchemy.view_counts import SqlViewCounts
from tests.support.rows import published_work, registered_user


def test_batched_views_are_added(sql_engine):
    uow = SqlUnitOfWorkFactory(sql_engine)
    creator = registered_user(uow, "13800000001")
    first, second = published_work(uow, creator), published_work(uow, creator)
    add = SqlViewCounts(sql_engine)
    add({second: 2, first: 5})
    add({first: 1})
    add({})
    with uow(read_only=True) as u:
        assert (u.works.get(first).engagement.views, u.works.get(second).engagement.views) == (6, 2)
