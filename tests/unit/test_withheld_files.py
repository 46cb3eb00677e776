"""A takedown withholds the work's files (public → private/withheld/), a granted appeal puts them back: a link
someone kept stops working, and comes back only with the work."""
from __future__ import annotations

import pytest

from skyriff_domain.model.moderation import Operator
from skyriff_domain.services.withheld_files import WithheldFiles
from skyriff_domain.services.works import Listing
from tests.support.usecases import appeals, finished_video, moderation, pay, works

OPERATOR = Operator("alice")


@pytest.fixture
def published(fakes, make_user, catalog):
    creator = make_user("创作者")
    pay(fakes, creator, "credits_6")
    return creator, works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))


def keys(fakes, work_id):
    with fakes.uow(read_only=True) as uow:
        work = uow.works.get(work_id)
        video = uow.videos.get(work.video_id)
    return work.play_key, work.cover_key, video.watermarked_key, video.cover_key


def test_a_takedown_withholds_the_files_and_a_granted_appeal_restores_them(fakes, published):
    creator, work = published
    play, cover, _, _ = before = keys(fakes, work.id)
    assert play.startswith("public/") and cover.startswith("public/")
    content = fakes.storage.get(play), fakes.storage.get(cover)
    moderation(fakes).take_down_work(work.id, OPERATOR, "违规内容")
    withheld = keys(fakes, work.id)
    assert withheld == tuple("private/withheld/" + k.removeprefix("public/") for k in before)
    for gone in (play, cover):
        with pytest.raises(KeyError):
            fakes.storage.get(gone)  # the old public link finds nothing
    assert (fakes.storage.get(withheld[0]), fakes.storage.get(withheld[1])) == content
    lodged = appeals(fakes).appeal(creator, work.id, "原创内容")
    appeals(fakes).grant(lodged.appeal.id, OPERATOR, "复核通过")
    assert keys(fakes, work.id) == before
    assert (fakes.storage.get(play), fakes.storage.get(cover)) == content
    for gone in withheld[:2]:
        with pytest.raises(KeyError):
            fakes.storage.get(gone)


def test_a_denied_appeal_keeps_the_files_withheld(fakes, published):
    creator, work = published
    moderation(fakes).take_down_work(work.id, OPERATOR, "违规内容")
    lodged = appeals(fakes).appeal(creator, work.id, "原创内容")
    appeals(fakes).deny(lodged.appeal.id, OPERATOR, "确认违规")
    assert all(k.startswith("private/withheld/") for k in keys(fakes, work.id))


def test_files_move_only_for_a_work_in_the_matching_state(fakes, published):
    """Called late or twice (a crash, a retry, an appeal granted meanwhile) the move does nothing wrong."""
    _, work = published
    before = keys(fakes, work.id)
    files = WithheldFiles(fakes.uow, fakes.storage)
    files.withhold(work.id)  # not taken down: stays public
    files.restore(work.id)
    assert keys(fakes, work.id) == before
    moderation(fakes).take_down_work(work.id, OPERATOR, "违规内容")
    withheld = keys(fakes, work.id)
    files.withhold(work.id)  # again: already private
    assert keys(fakes, work.id) == withheld and fakes.storage.get(withheld[0])
