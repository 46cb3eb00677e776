"""What the AIGC labels keep in the database behaves alike on memory, SQLite and PostgreSQL: the clean-download
log, a video's ProduceID, a work's PropagateID, an upload's Label."""
from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.clock import FixedClock
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.catalog import ImageAsset
from skyriff_domain.model.media import CleanDownloadRecord, VideoAsset
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.model.work import Work
from skyriff_domain.money import Credits
from skyriff_domain.ports import DuplicateEntry
from skyriff_domain.services.registration import NewUser, register
from tests.support.rows import stored_video

CLOCK = FixedClock()


def user(uow, phone: str) -> int:
    with uow() as unit:
        uid = register(unit, NewUser("u", phone), [Identity(IdentityKind.PHONE, phone)], CLOCK.now()).id
        unit.commit()
    return uid


def video(uow, owner: int, produce_id: str | None) -> VideoAsset:
    return stored_video(uow, owner, produce_id, CLOCK.now())


def test_the_clean_download_log_keeps_who_what_when_and_where(backend):
    uow = backend.uow
    alice, bob = user(uow, "13800000001"), user(uow, "13800000002")
    first, second = video(uow, alice, "skyriff-t-1-aa").id, video(uow, bob, None).id
    with uow() as unit:
        for n, (who, what, ip) in enumerate([(alice, first, "203.0.113.7"), (bob, second, None),
                                             (alice, first, "2001:db8::1"), (alice, second, "x" * 80)]):
            added = unit.clean_downloads.add(CleanDownloadRecord(who, what, CLOCK.now() + timedelta(minutes=n), ip))
            assert added.id is not None
        unit.commit()
    with uow(read_only=True) as unit:
        rows = unit.clean_downloads.find(None, None, 10)
        assert [(r.user_id, r.video_id, r.client_ip, r.created_at) for r in rows] == [
            (alice, second, "x" * 64, CLOCK.now() + timedelta(minutes=3)),
            (alice, first, "2001:db8::1", CLOCK.now() + timedelta(minutes=2)),
            (bob, second, None, CLOCK.now() + timedelta(minutes=1)),
            (alice, first, "203.0.113.7", CLOCK.now())]
        assert [r.id for r in unit.clean_downloads.find(first, alice, 10)] == [rows[1].id, rows[3].id]
        assert [r.user_id for r in unit.clean_downloads.find(second, None, 1)] == [alice]


def test_a_record_rolled_back_with_its_transaction_is_gone(backend):
    uow = backend.uow
    alice = user(uow, "13800000003")
    vid = video(uow, alice, None).id
    with uow() as unit:
        unit.clean_downloads.add(CleanDownloadRecord(alice, vid, CLOCK.now(), "203.0.113.7"))  # no commit
    with uow(read_only=True) as unit:
        assert unit.clean_downloads.find(vid, None, 10) == []


def test_label_ids_and_upload_labels_round_trip(backend):
    uow = backend.uow
    alice = user(uow, "13800000004")
    stored, legacy = video(uow, alice, "skyriff-t-9-0011223344556677"), video(uow, alice, None)
    with uow() as unit:
        assert unit.videos.get(stored.id).aigc_produce_id == "skyriff-t-9-0011223344556677"
        work = unit.works.add(Work(creator_id=alice, video_id=stored.id, title="t", description="", prompt="p",
                                   is_prompt_locked=False, prompt_price=Credits(0), remix_fee=Credits(0),
                                   created_at=CLOCK.now(), generation_prompt="p",
                                   aigc_propagate_id="skyriff-p-1-8899aabbccddeeff"))
        image = unit.assets.add_image(ImageAsset(alice, "http://x/i.png", 10, 1, 1, CLOCK.now(), "public/i.png",
                                                 aigc_label="2"))
        unit.commit()
    with uow(read_only=True) as unit:
        assert unit.works.get(work.id).aigc_propagate_id == "skyriff-p-1-8899aabbccddeeff"
        assert unit.works.entry(work.id, None).work.aigc_propagate_id == "skyriff-p-1-8899aabbccddeeff"
        assert unit.assets.get_image(image.id).aigc_label == "2"
        assert unit.videos.get(legacy.id).aigc_produce_id is None


def test_the_database_refuses_a_produce_id_twice(sql_engine):
    """A unique index backs "one ProduceID, one video" (the ids carry 64 random bits: this only guards against
    a bug that reuses one; the in-memory fake has no such index)."""
    uow = SqlUnitOfWorkFactory(sql_engine)
    alice = user(uow, "13800000005")
    video(uow, alice, "skyriff-t-1-same")
    with pytest.raises(DuplicateEntry):
        video(uow, alice, "skyriff-t-1-same")
