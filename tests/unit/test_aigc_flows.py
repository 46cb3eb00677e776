"""AIGC labels through the use cases: every stored MP4 carries one, publishing gives the play copy the work's
PropagateID, each clean download is recorded, and an uploaded image's label is kept."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from adapters.memory.community import MemoryWorks
from skyriff_domain.errors import InsufficientCredits, NotAllowed, PermissionDenied
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.media import CleanDownloadRecord
from skyriff_domain.money import Credits
from skyriff_domain.ports import DuplicateEntry
from skyriff_domain.services.aigc import Verdict
from skyriff_domain.services.works import Listing
from tests.support.usecases import aigc_labels, assets, finished_video, wallets, works


def video_of(fakes, video_id):
    with fakes.uow() as uow:
        return uow.videos.get(video_id)


def inspect(fakes, key):
    return aigc_labels(fakes).inspect(fakes.storage.get(key))


def test_a_generated_videos_original_and_play_copy_carry_its_signed_label(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(100), LedgerType.RECHARGE, "充值")
    video = video_of(fakes, finished_video(fakes, uid))
    original, play = inspect(fakes, video.original_key), inspect(fakes, video.watermarked_key)
    assert original.verdict is play.verdict is Verdict.VERIFIED
    assert original.label == play.label
    assert (original.label.produce_id, original.label.content_producer, original.label.propagate_id) == (
        video.aigc_produce_id, "skyriff", "")
    assert video.aigc_produce_id.startswith(f"skyriff-t-{video.task_id}-")
    assert fakes.storage.get(video.cover_key)[:2] == b"\xff\xd8"  # the cover is a JPEG, not labelled here


@pytest.fixture
def creator(fakes, make_user):
    uid = make_user("创作者")
    wallets(fakes).grant_credits(uid, Credits(100), LedgerType.RECHARGE, "充值")
    return uid


def test_publishing_serves_a_copy_labelled_with_the_works_propagate_id(fakes, creator):
    video_id = finished_video(fakes, creator)
    before = video_of(fakes, video_id)
    work = works(fakes).publish(creator, Listing(video_id, "小猫"))
    after = video_of(fakes, video_id)
    assert work.play_key == after.watermarked_key != before.watermarked_key
    assert work.play_key.rsplit("/", 1)[0] == before.watermarked_key.rsplit("/", 1)[0]
    served = inspect(fakes, work.play_key)
    assert served.verdict is Verdict.VERIFIED
    assert (served.label.produce_id, served.label.propagate_id) == (before.aigc_produce_id, work.aigc_propagate_id)
    assert work.aigc_propagate_id.startswith(f"skyriff-p-{video_id}-")
    assert inspect(fakes, after.original_key).label.propagate_id == ""  # the clean download is not propagated
    with fakes.uow() as uow:
        assert uow.works.get(work.id).aigc_propagate_id == work.aigc_propagate_id
    with pytest.raises(KeyError):
        fakes.storage.get(before.watermarked_key)  # the draft's unpropagated copy is gone: one copy is served


def test_a_refused_publish_makes_no_copy(fakes, creator, make_user):
    video_id = finished_video(fakes, creator)
    blobs = set(fakes.storage.blobs)
    with pytest.raises(PermissionDenied):
        works(fakes).publish(make_user("别人"), Listing(video_id, "小猫"))
    works(fakes).publish(creator, Listing(video_id, "小猫"))
    blobs_after_publish = set(fakes.storage.blobs)
    with pytest.raises(NotAllowed):
        works(fakes).publish(creator, Listing(video_id, "再发一次"))
    assert len(blobs_after_publish - blobs) == 1 and set(fakes.storage.blobs) == blobs_after_publish


def test_a_publish_that_fails_in_its_transaction_deletes_its_copy(fakes, creator, monkeypatch):
    video_id = finished_video(fakes, creator)
    blobs, before = set(fakes.storage.blobs), video_of(fakes, video_id)

    def published_meanwhile(self, work):
        raise DuplicateEntry("another request published it first")

    monkeypatch.setattr(MemoryWorks, "add", published_meanwhile)
    with pytest.raises(NotAllowed):
        works(fakes).publish(creator, Listing(video_id, "小猫"))
    assert set(fakes.storage.blobs) == blobs and video_of(fakes, video_id) == before


def test_a_video_stored_before_labels_gets_its_produce_id_when_published(fakes, creator):
    video_id = finished_video(fakes, creator)
    with fakes.uow() as uow:
        video = uow.videos.get(video_id)
        data = fakes.storage.get(video.watermarked_key).split(b"\x00skyriff-fake-aigc\x00")[0]
        fakes.storage.put(video.watermarked_key, data, "video/mp4")  # as stored before labels existed
        video.aigc_produce_id = None
        uow.videos.save(video)
        uow.commit()
    work = works(fakes).publish(creator, Listing(video_id, "小猫"))
    served = inspect(fakes, work.play_key)
    assert served.verdict is Verdict.VERIFIED
    assert served.label.produce_id == video_of(fakes, video_id).aigc_produce_id
    assert served.label.produce_id.startswith(f"skyriff-t-{video.task_id}-")


def test_every_clean_download_link_is_recorded_with_who_when_and_where(fakes, creator):
    video_id = finished_video(fakes, creator)
    first = fakes.clock.now()
    assets(fakes).download_clean(creator, video_id, "203.0.113.7")
    fakes.clock.advance(minutes=5)
    assets(fakes).download_clean(creator, video_id, "::ffff:198.51.100.2")  # the free second link counts too
    with fakes.uow() as uow:
        records = uow.clean_downloads.find(video_id, None, 10)
    assert [(r.user_id, r.video_id, r.created_at, r.client_ip) for r in records] == [
        (creator, video_id, fakes.clock.now(), "198.51.100.2"), (creator, video_id, first, "203.0.113.7")]


def test_a_refused_clean_download_records_nothing(fakes, creator, make_user):
    video_id = finished_video(fakes, creator)
    with pytest.raises(PermissionDenied):
        assets(fakes).download_clean(make_user("别人"), video_id, "203.0.113.7")
    wallets(fakes).spend_credits(creator, wallets(fakes).overview(creator).credits, LedgerType.GEN_SPEND, "花光")
    with pytest.raises(InsufficientCredits):
        assets(fakes).download_clean(creator, video_id, "203.0.113.7")
    with fakes.uow() as uow:
        assert uow.clean_downloads.find(None, None, 10) == []


def test_the_log_filters_by_video_and_user(fakes):
    with fakes.uow() as uow:
        for user, video in ((1, 10), (2, 10), (1, 11)):
            uow.clean_downloads.add(CleanDownloadRecord(user, video, fakes.clock.now()))
        uow.commit()
        assert [(r.user_id, r.video_id) for r in uow.clean_downloads.find(10, None, 10)] == [(2, 10), (1, 10)]
        assert [(r.user_id, r.video_id) for r in uow.clean_downloads.find(None, 1, 10)] == [(1, 11), (1, 10)]
        assert [r.id for r in uow.clean_downloads.find(None, None, 1)] == [3]


def png_with(text: dict[str, str] | None = None) -> bytes:
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_an_uploaded_images_aigc_label_is_kept_on_record(fakes, make_user):
    uid = make_user()
    labelled = assets(fakes).upload_image(uid, png_with({"AIGC": '{"Label":"1","ContentProducer":"doubao"}'}))
    plain = assets(fakes).upload_image(uid, png_with())
    with fakes.uow() as uow:
        assert (uow.assets.get_image(labelled.id).aigc_label, uow.assets.get_image(plain.id).aigc_label) == ("1", None)
