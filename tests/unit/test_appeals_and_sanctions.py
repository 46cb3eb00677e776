"""Appeals against takedowns, and sanctions on users: warnings, suspended publishing, bans."""
from datetime import timedelta

import pytest

from adapters.memory.page_cache import MemoryPageCache
from skyriff_domain.errors import InvalidRequest, NotAllowed, NotFound, PermissionDenied, UserBanned
from skyriff_domain.model.moderation import Operator, ReviewStatus
from skyriff_domain.model.report import AppealStatus
from skyriff_domain.model.sanction import SanctionKind
from skyriff_domain.services.works import Listing
from tests.support.usecases import (
    appeals,
    authenticator,
    finished_video,
    moderation,
    pay,
    sanctions,
    works,
)

OPERATOR = Operator("alice")


@pytest.fixture
def creator(fakes, make_user, catalog):
    uid = make_user("创作者")
    pay(fakes, uid, "credits_6")
    return uid


@pytest.fixture
def fan(fakes, make_user):
    return make_user("粉丝")


@pytest.fixture
def taken_down(fakes, creator):
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))
    moderation(fakes).take_down_work(work.id, OPERATOR, "误判的下架")
    return work


def test_the_creator_appeals_a_takedown_and_a_grant_restores_the_work(fakes, creator, fan, taken_down):
    lodged = appeals(fakes).appeal(creator, taken_down.id, "这是原创动画，没有违规")
    assert lodged.new and lodged.appeal.status is AppealStatus.OPEN
    again = appeals(fakes).appeal(creator, taken_down.id, "再说一次")
    assert (again.new, again.appeal.id) == (False, lodged.appeal.id)
    assert [a.id for a in appeals(fakes).list()] == [lodged.appeal.id]
    cache = MemoryPageCache()
    granted = appeals(fakes, cache).grant(lodged.appeal.id, Operator("carol", 3), "复核通过")
    assert (granted.status, granted.decided_by, granted.operator_id, granted.decided_at) == (
        AppealStatus.GRANTED, "carol", 3, fakes.clock.now())
    assert cache.generation() == 1  # the restored work shows in the feed at once
    work = works(fakes).detail(taken_down.id, fan).entry.work
    assert (work.review_status, work.review_note) == (ReviewStatus.PASSED, "")
    assert appeals(fakes).list() == []


def test_a_denied_appeal_leaves_the_work_down_and_cannot_be_repeated(fakes, creator, fan, taken_down):
    lodged = appeals(fakes).appeal(creator, taken_down.id, "请复核")
    appeals(fakes).deny(lodged.appeal.id, OPERATOR, "确有违规")
    with pytest.raises(NotFound):
        works(fakes).detail(taken_down.id, fan)
    with pytest.raises(NotAllowed):
        appeals(fakes).appeal(creator, taken_down.id, "再请复核")
    with pytest.raises(NotAllowed):
        appeals(fakes).grant(lodged.appeal.id, OPERATOR)
    assert [a.status for a in appeals(fakes).list(None)] == [AppealStatus.DENIED]


def test_only_the_creator_of_a_taken_down_work_may_appeal(fakes, creator, fan, taken_down):
    with pytest.raises(NotFound):  # to anyone else the work does not exist
        appeals(fakes).appeal(fan, taken_down.id, "不是我的")
    live = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "正常作品"))
    with pytest.raises(PermissionDenied):
        appeals(fakes).appeal(fan, live.id, "不是我的")
    with pytest.raises(NotAllowed):
        appeals(fakes).appeal(creator, live.id, "没有下架")
    with pytest.raises(InvalidRequest):
        appeals(fakes).appeal(creator, taken_down.id, "")
    with pytest.raises(NotFound):
        appeals(fakes).grant(999, OPERATOR)


def test_a_new_takedown_after_a_granted_appeal_may_be_appealed_again(fakes, creator, taken_down):
    first = appeals(fakes).appeal(creator, taken_down.id, "请复核")
    appeals(fakes).grant(first.appeal.id, OPERATOR)
    moderation(fakes).take_down_work(taken_down.id, OPERATOR, "又发现问题")
    second = appeals(fakes).appeal(creator, taken_down.id, "再请复核")
    assert second.new and second.appeal.id != first.appeal.id


def test_a_suspension_stops_publishing_until_it_ends(fakes, creator):
    video = finished_video(fakes, creator)
    sanction = sanctions(fakes).suspend(creator, 3, Operator("bob"), "多次违规")
    assert (sanction.kind, sanction.until, sanction.decided_by) == (
        SanctionKind.SUSPENSION, fakes.clock.now() + timedelta(days=3), "bob")
    with pytest.raises(NotAllowed) as refused:
        works(fakes).publish(creator, Listing(video, "作品"))
    assert (refused.value.code, refused.value.data) == (2008, {"until": sanction.until})
    fakes.clock.advance(days=3)
    assert works(fakes).publish(creator, Listing(video, "作品")).id


def test_a_shorter_suspension_does_not_cut_a_longer_one(fakes, creator):
    long = sanctions(fakes).suspend(creator, 30, OPERATOR, "严重违规")
    sanctions(fakes).suspend(creator, 1, OPERATOR, "轻微违规")
    with pytest.raises(NotAllowed) as refused:
        works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))
    assert refused.value.data == {"until": long.until}


def test_a_ban_locks_the_user_out_at_once(fakes, creator):
    token = fakes.tokens.issue(creator, fakes.clock.now())
    assert authenticator(fakes).authenticate(token).id == creator
    sanctions(fakes).ban(creator, OPERATOR, "诈骗")
    with pytest.raises(UserBanned):
        authenticator(fakes).authenticate(token)


def test_every_sanction_is_recorded_with_who_when_and_why(fakes, creator):
    sanctions(fakes).warn(creator, Operator("bob"), "标题党")
    fakes.clock.advance(hours=1)
    sanctions(fakes).ban(creator, Operator("carol", 9), "屡教不改")
    history = sanctions(fakes).history(creator)
    assert [(s.kind, s.decided_by, s.operator_id, s.reason) for s in history] == [
        (SanctionKind.WARNING, "bob", None, "标题党"), (SanctionKind.BAN, "carol", 9, "屡教不改")]
    assert history[1].created_at - history[0].created_at == timedelta(hours=1)


@pytest.mark.parametrize("call", [lambda s, u: s.warn(u, OPERATOR, ""), lambda s, u: s.suspend(u, 0, OPERATOR, "x"),
                                  lambda s, u: s.suspend(u, 4000, OPERATOR, "x")])
def test_sanctions_need_a_reason_and_a_sane_length(fakes, creator, call):
    with pytest.raises(InvalidRequest):
        call(sanctions(fakes), creator)


def test_sanctioning_nobody_is_2007(fakes):
    with pytest.raises(NotFound):
        sanctions(fakes).warn(999, OPERATOR, "x")
