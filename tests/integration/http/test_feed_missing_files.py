"""A work whose row lacks a file key (a broken import, a half-made record) shows empty links for that item;
the feed, the detail and the creator's list still answer everyone."""
from __future__ import annotations

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from tests.support.rows import published_work, registered_user


def test_a_work_without_files_does_not_break_the_pages(sqlite_engine):
    from tests.support.http import make_client

    client = make_client(sqlite_engine)
    uow = SqlUnitOfWorkFactory(sqlite_engine)
    creator = registered_user(uow, "13800000009")
    work = published_work(uow, creator)
    with uow(read_only=True) as u:
        assert u.works.get(work).cover_key == "" == u.works.get(work).play_key  # the row as the helper makes it
    for tab in ("discover", "hot", "rank"):
        status, body = client.get(f"/feed?tab={tab}")
        assert status == 200, body
        item = body["data"]["items"][0]
        assert item["work_id"] == work and item["cover_url"] == "" and item["watermarked_play_url"] == ""
    status, body = client.get(f"/works/{work}")
    assert status == 200 and body["data"]["cover_url"] == ""
    status, body = client.get(f"/users/{creator}/works")
    assert status == 200 and body["data"]["items"][0]["cover_url"] == ""
