"""Reports, the moderation queue and operators' decisions: pass, take down, with who, when and why."""
from datetime import timedelta

import attrs
import pytest

from adapters.memory.page_cache import MemoryPageCache
from adapters.shared_page_cache import MemoryGenerations, SharedPageCache
from skyriff_domain.errors import InvalidRequest, NotAllowed, NotFound, PermissionDenied, TooManyRequests
from skyriff_domain.model.moderation import CaseKind, CaseStatus, Operator, ReviewStatus
from skyriff_domain.model.report import ReportStatus
from skyriff_domain.services.works import Listing
from tests.support.usecases import finished_video, moderation, pay, reports, tipping, works

OPERATOR = Operator("alice")


@pytest.fixture
def creator(fakes, make_user, catalog):
    uid = make_user("创作者")
    pay(fakes, uid, "credits_6")
    return uid


@pytest.fixture
def fans(fakes, make_user, catalog):
    return [make_user(f"粉丝{i}") for i in range(3)]


@pytest.fixture
def work(fakes, creator):
    return works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))


def test_a_report_is_open_and_reporting_again_answers_the_same_report(fakes, work, fans):
    filed = reports(fakes).report(fans[0], work.id, "porn", "  不适内容 ")
    assert filed.new and (filed.report.status, filed.report.detail) == (ReportStatus.OPEN, "不适内容")
    again = reports(fakes).report(fans[0], work.id, "fraud")
    assert (again.new, again.report.id, again.report.reason.value) == (False, filed.report.id, "porn")


def test_reports_are_refused_on_your_own_work_on_works_you_cannot_see_and_with_bad_input(fakes, creator, work, fans):
    with pytest.raises(PermissionDenied):
        reports(fakes).report(creator, work.id, "porn")
    with pytest.raises(NotFound):
        reports(fakes).report(fans[0], 999, "porn")
    with pytest.raises(InvalidRequest) as bad:
        reports(fakes).report(fans[0], work.id, "ugly")
    assert bad.value.field == "reason"
    with pytest.raises(InvalidRequest) as long:
        reports(fakes).report(fans[0], work.id, "other", "长" * 501)
    assert long.value.field == "detail"
    hidden = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "[review]"))
    with pytest.raises(NotFound):
        reports(fakes).report(fans[0], hidden.id, "porn")


def test_a_user_may_file_a_limited_number_of_reports_a_day(fakes, creator, fans):
    fakes.policy = attrs.evolve(fakes.policy, moderation=attrs.evolve(fakes.policy.moderation,
                                                                       report_limit_per_day=2))
    ids = [works(fakes).publish(creator, Listing(finished_video(fakes, creator), f"作品{i}")).id for i in range(3)]
    reports(fakes).report(fans[0], ids[0], "porn")
    reports(fakes).report(fans[0], ids[1], "porn")
    with pytest.raises(TooManyRequests):
        reports(fakes).report(fans[0], ids[2], "porn")
    reports(fakes).report(fans[0], ids[0], "porn")  # answering an open report is not a new one
    fakes.clock.advance(days=1)
    reports(fakes).report(fans[0], ids[2], "porn")


def test_reports_on_one_work_are_one_queue_item(fakes, work, fans):
    reports(fakes).report(fans[0], work.id, "porn")
    fakes.clock.advance(minutes=5)
    reports(fakes).report(fans[1], work.id, "porn")
    reports(fakes).report(fans[2], work.id, "fraud")
    [item] = moderation(fakes).queue()
    assert (item.case.kind, item.case.work_id, item.reports) == (CaseKind.REPORT, work.id, {"porn": 2, "fraud": 1})
    assert item.waited_seconds == 300 and not item.overdue


def test_the_queue_is_oldest_first_and_flags_what_waited_past_24_hours(fakes, creator, fans):
    first = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "第一"))
    reports(fakes).report(fans[0], first.id, "porn")
    fakes.clock.advance(hours=23)
    video = finished_video(fakes, creator)  # 10 s of generation
    second = works(fakes).publish(creator, Listing(video, "[review] 第二"))
    fakes.clock.advance(hours=2)
    items = moderation(fakes).queue()
    assert [(i.case.work_id, i.overdue, i.waited_seconds) for i in items] == [
        (first.id, True, 25 * 3600 + 10), (second.id, False, 2 * 3600)]


def test_a_takedown_removes_the_work_everywhere_and_upholds_the_reports(fakes, creator, work, fans):
    reports(fakes).report(fans[0], work.id, "porn")
    reports(fakes).report(fans[1], work.id, "violence")
    works(fakes).favorite(fans[2], work.id)
    [item] = moderation(fakes).queue()
    fakes.clock.advance(minutes=30)
    case = moderation(fakes).take_down(item.case.id, Operator("bob", 7), "色情内容")
    assert (case.status, case.decided_by, case.operator_id, case.decision_reason, case.decided_at) == (
        CaseStatus.TAKEN_DOWN, "bob", 7, "色情内容", fakes.clock.now())
    for tab in ("discover", "hot", "rank"):
        assert works(fakes).feed(tab, fans[0], None, 10)[0] == []
    with pytest.raises(NotFound):
        works(fakes).detail(work.id, fans[0])
    with pytest.raises(NotFound):
        tipping(fakes).tip(fans[0], work.id, 10)
    assert works(fakes).favorites(fans[2], None, 10)[0] == []
    mine = works(fakes).detail(work.id, creator).entry.work
    assert (mine.review_status, mine.review_note) == (ReviewStatus.TAKEN_DOWN, "色情内容")
    for fan in fans[:2]:
        [report] = reports(fakes).mine(fan, None, 10)[0]
        assert (report.status, report.resolved_at) == (ReportStatus.UPHELD, fakes.clock.now())
    assert moderation(fakes).queue() == []


def test_passing_a_reported_work_dismisses_its_reports(fakes, work, fans):
    reports(fakes).report(fans[0], work.id, "other", "看着不舒服")
    [item] = moderation(fakes).queue()
    moderation(fakes).pass_case(item.case.id, OPERATOR)
    [report] = reports(fakes).mine(fans[0], None, 10)[0]
    assert report.status is ReportStatus.DISMISSED
    assert works(fakes).detail(work.id, fans[0]).entry.work.review_status is ReviewStatus.PASSED
    reports(fakes).report(fans[0], work.id, "porn")  # a new report opens a new case
    assert len(moderation(fakes).queue()) == 1


def test_a_case_is_decided_once(fakes, work, fans):
    reports(fakes).report(fans[0], work.id, "porn")
    [item] = moderation(fakes).queue()
    moderation(fakes).pass_case(item.case.id, OPERATOR)
    with pytest.raises(NotAllowed):
        moderation(fakes).take_down(item.case.id, OPERATOR, "改主意了")
    with pytest.raises(NotFound):
        moderation(fakes).pass_case(999, OPERATOR)


def test_a_takedown_needs_a_reason(fakes, work, fans):
    reports(fakes).report(fans[0], work.id, "porn")
    [item] = moderation(fakes).queue()
    with pytest.raises(InvalidRequest):
        moderation(fakes).take_down(item.case.id, OPERATOR, "  ")


def test_an_operator_may_take_down_a_work_nobody_reported(fakes, work, fans):
    case = moderation(fakes).take_down_work(work.id, OPERATOR, "巡查发现")
    assert (case.kind, case.status, case.work_id) == (CaseKind.OPERATOR, CaseStatus.TAKEN_DOWN, work.id)
    assert works(fakes).feed("discover", None, None, 10)[0] == []
    with pytest.raises(NotAllowed):
        moderation(fakes).take_down_work(work.id, OPERATOR, "again")


def test_my_reports_are_paged_newest_first(fakes, creator, fans):
    ids = [works(fakes).publish(creator, Listing(finished_video(fakes, creator), f"作品{i}")).id for i in range(3)]
    for work_id in ids:
        reports(fakes).report(fans[0], work_id, "porn")
    page, more = reports(fakes).mine(fans[0], None, 2)
    assert [r.work_id for r in page] == [ids[2], ids[1]] and more
    rest, more = reports(fakes).mine(fans[0], page[-1].id, 2)
    assert [r.work_id for r in rest] == [ids[0]] and not more
    assert reports(fakes).mine(fans[1], None, 10) == ([], False)


def test_a_takedown_in_another_process_retires_every_cached_feed_page_at_once(fakes, work, fans):
    """The API process caches feed pages; an operator's command line is another process with its own cache.
    They share only the generation counter."""
    shared = MemoryGenerations()
    api, cli = SharedPageCache(MemoryPageCache(), shared), SharedPageCache(MemoryPageCache(), shared)
    feed = works(fakes, cache=api)
    for tab in ("discover", "hot", "rank"):
        assert [e.work.id for e in feed.feed(tab, None, None, 10)[0]] == [work.id]  # cached now
    moderation(fakes, cache=cli).take_down_work(work.id, OPERATOR, "违规")
    for tab in ("discover", "hot", "rank"):
        assert feed.feed(tab, None, None, 10)[0] == []  # no clock advance: the cache alone could not know


def test_a_page_read_before_a_takedown_is_never_served_after_it(fakes, work, fans):
    """A reader that saw the old generation stores its (stale) page under the old key, which nobody reads."""
    cache = SharedPageCache(MemoryPageCache(), MemoryGenerations())
    feed = works(fakes, cache=cache)
    old = cache.generation()
    stale, _ = feed.feed("discover", None, None, 10)
    moderation(fakes, cache=cache).take_down_work(work.id, OPERATOR, "违规")
    cache.put(f"feed:{old}:discover:None:10", stale, fakes.clock.now() + timedelta(seconds=2))
    assert feed.feed("discover", None, None, 10)[0] == []


def test_a_process_asks_the_shared_generation_at_most_every_reuse_for_seconds(fakes, work, fans):
    """The API's caches re-read the counter at most every quarter second (a round trip saved per request): a
    takedown from another process reaches them within that time, one from the same process at once."""
    shared, clock = MemoryGenerations(), [100.0]
    api = SharedPageCache(MemoryPageCache(), shared, reuse_for=0.25, monotonic=lambda: clock[0])
    cli = SharedPageCache(MemoryPageCache(), shared)
    feed = works(fakes, cache=api)
    assert [e.work.id for e in feed.feed("hot", None, None, 10)[0]] == [work.id]
    moderation(fakes, cache=cli).take_down_work(work.id, OPERATOR, "违规")
    clock[0] += 0.2
    assert [e.work.id for e in feed.feed("hot", None, None, 10)[0]] == [work.id]  # within the quarter second
    clock[0] += 0.05
    assert feed.feed("hot", None, None, 10)[0] == []
    api.put("other", object(), fakes.clock.now() + timedelta(seconds=2))
    before = api.generation()
    api.purge()
    assert api.generation() == before + 1 and api.get("other", fakes.clock.now()) is None  # its own: at once
