"""Every clean download hands out a link of its own: a repeat — even at the same instant — gets a different
link, named after its download record, whose expiry counts from the repeat (the message says 免费获取新链接)."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from skyriff_domain.money import Credits
from tests.support.usecases import assets, finished_video, pay


def test_a_repeated_clean_download_is_a_fresh_link_with_a_new_expiry(fakes, make_user, catalog):
    uid = make_user()
    pay(fakes, uid, "credits_6")
    video_id = finished_video(fakes, uid)
    first = assets(fakes).download_clean(uid, video_id)
    same_instant = assets(fakes).download_clean(uid, video_id)
    fakes.clock.advance(minutes=30)
    later = assets(fakes).download_clean(uid, video_id)

    assert (first.cost, same_instant.cost, later.cost) == (Credits(6), Credits(0), Credits(0))
    assert len({first.url, same_instant.url, later.url}) == 3
    assert later.expires_at - first.expires_at == timedelta(minutes=30)
    with fakes.uow() as uow:
        records = [r.id for r in reversed(uow.clean_downloads.find(video_id, None, 10))]
    names = [parse_qs(urlsplit(d.url).query)["filename"][0] for d in (first, same_instant, later)]
    assert names == [f"skyriff-{video_id}-{record}.mp4" for record in records]
