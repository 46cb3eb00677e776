"""Moderation of listings and profiles, and what a work in review is to its creator and to everyone else."""
import pytest

from skyriff_domain.errors import ContentRefused, NotFound
from skyriff_domain.model.catalog import ImageAsset
from skyriff_domain.model.media import PublishStatus
from skyriff_domain.model.moderation import CaseKind, Operator, ReviewStatus
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.works import Listing
from tests.support.usecases import (
    creation,
    finished_video,
    moderation,
    pay,
    profiles,
    runner,
    tipping,
    works,
)

OPERATOR = Operator("alice")


@pytest.fixture
def creator(fakes, make_user, catalog):
    uid = make_user("创作者")
    pay(fakes, uid, "credits_6")
    return uid


@pytest.fixture
def fan(fakes, make_user, catalog):
    uid = make_user("粉丝")
    pay(fakes, uid, "credits_30")
    return uid


def queue(fakes):
    return moderation(fakes).queue()


@pytest.mark.parametrize("title, description, field", [("标题 [block]", "", "title"), ("标题", "描述 [block]", "description")])
def test_a_blocked_title_or_description_is_2009_and_nothing_is_published(fakes, creator, title, description, field):
    video_id = finished_video(fakes, creator)
    with pytest.raises(ContentRefused) as refused:
        works(fakes).publish(creator, Listing(video_id, title, description))
    assert refused.value.data == {"field": field}
    with fakes.uow() as uow:
        assert uow.videos.get(video_id).publish_status is PublishStatus.DRAFT
        assert not uow.users.get(creator).is_creator
    assert works(fakes).feed("discover", None, None, 10)[0] == []


def test_a_held_title_publishes_into_review_seen_by_its_creator_alone(fakes, creator, fan):
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "标题 [review]"))
    assert work.review_status is ReviewStatus.REVIEWING
    for tab in ("discover", "hot", "rank"):
        assert works(fakes).feed(tab, None, None, 10)[0] == []
    with pytest.raises(NotFound):
        works(fakes).detail(work.id, fan)
    with pytest.raises(NotFound):
        works(fakes).detail(work.id, None)
    assert works(fakes).detail(work.id, creator).entry.work.review_status is ReviewStatus.REVIEWING
    assert works(fakes).by_creator(creator, fan, None, 10)[0] == []
    assert [e.work.id for e in works(fakes).by_creator(creator, creator, None, 10)[0]] == [work.id]
    [item] = queue(fakes)
    assert (item.case.kind, item.case.work_id, item.case.excerpt) == (CaseKind.LISTING, work.id, "标题 [review]")

    moderation(fakes).pass_case(item.case.id, OPERATOR, "没问题")
    assert [e.work.id for e in works(fakes).feed("discover", None, None, 10)[0]] == [work.id]
    assert works(fakes).detail(work.id, fan).entry.work.review_status is ReviewStatus.PASSED
    assert queue(fakes) == []


def test_nobody_else_can_act_on_a_work_in_review(fakes, creator, fan):
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "[review]"))
    for act in (lambda: works(fakes).like(fan, work.id), lambda: works(fakes).favorite(fan, work.id),
                lambda: works(fakes).share(fan, work.id), lambda: tipping(fakes).tip(fan, work.id, 10),
                lambda: tipping(fakes).unlock_prompt(fan, work.id), lambda: tipping(fakes).prompt(fan, work.id)):
        with pytest.raises(NotFound):
            act()
    works(fakes).like(creator, work.id)  # the creator still can


def test_a_video_whose_prompt_is_held_publishes_into_review_under_that_case(fakes, creator, fan):
    task = creation(fakes).create_task(creator, TaskSpec("一只猫 [review]", 10, "9:16", "sora2"))
    runner(fakes).run_once()
    fakes.clock.advance(seconds=10)
    runner(fakes).run_once()
    with fakes.uow() as uow:
        video_id = uow.tasks.get(task.id).video_id
    work = works(fakes).publish(creator, Listing(video_id, "干净的标题"))
    assert work.review_status is ReviewStatus.REVIEWING
    [item] = queue(fakes)  # one case for the prompt and the work it became
    assert (item.case.kind, item.case.task_id, item.case.work_id) == (CaseKind.PROMPT, task.id, work.id)
    moderation(fakes).pass_case(item.case.id, OPERATOR)
    assert works(fakes).detail(work.id, fan).entry.work.id == work.id


@pytest.mark.parametrize("field, value", [("nickname", "坏 [block]"), ("bio", "简介 [block]")])
def test_a_blocked_nickname_or_bio_is_2009_and_unchanged(fakes, creator, field, value):
    before = profiles(fakes).get(creator)
    with pytest.raises(ContentRefused) as refused:
        profiles(fakes).update(creator, **{field: value})
    assert refused.value.data == {"field": field}
    assert profiles(fakes).get(creator) == before


def test_a_held_nickname_is_accepted(fakes, creator):
    assert profiles(fakes).update(creator, nickname="昵称 [review]").nickname == "昵称 [review]"


def avatar(fakes, owner, data: bytes) -> int:
    fakes.storage.put(f"public/images/{owner}/a.png", data, "image/png")
    with fakes.uow() as uow:
        asset = uow.assets.add_image(ImageAsset(owner, "https://cdn/a.png", len(data), 1, 1, fakes.clock.now(),
                                                f"public/images/{owner}/a.png"))
        uow.commit()
    return asset.id


def test_a_blocked_avatar_is_2009(fakes, creator):
    with pytest.raises(ContentRefused) as refused:
        profiles(fakes).update(creator, avatar_asset_id=avatar(fakes, creator, b"png [block]"))
    assert refused.value.data == {"field": "avatar_asset_id"}
    assert profiles(fakes).get(creator).avatar_url is None
    assert profiles(fakes).update(creator, avatar_asset_id=avatar(fakes, creator, b"png")).avatar_url


def test_clearing_the_avatar_needs_no_moderation(fakes, creator):
    fakes.moderator.down = True
    assert profiles(fakes).update(creator, avatar_asset_id=None).avatar_url is None
    assert fakes.moderator.images == []
