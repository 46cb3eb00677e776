"""Moderation of what goes in (prompts, remix additions) and what comes out (the generated video's frames)."""
import pytest

from skyriff_domain.errors import ContentRefused, NotAllowed
from skyriff_domain.model.generation import TaskStatus
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.moderation import CaseKind, CaseStatus, Operator, ReviewStatus, Verdict
from skyriff_domain.money import Credits
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.task_runner import BLOCKED_OUTPUT_MESSAGE
from skyriff_domain.services.works import Listing
from tests.support.usecases import creation, finished_video, moderation, pay, remixes, runner, wallets, works

OPERATOR = Operator("alice")


@pytest.fixture
def user(fakes, make_user, catalog):
    uid = make_user()
    pay(fakes, uid, "credits_30")  # 600 credits
    return uid


def cases(fakes):
    with fakes.uow() as uow:
        return uow.cases.queue(100)


def task_of(fakes, task_id):
    with fakes.uow() as uow:
        return uow.tasks.get(task_id)


def run_to_end(fakes):
    runner(fakes).run_once()
    fakes.clock.advance(seconds=10)
    runner(fakes).run_once()


def test_a_blocked_prompt_is_2009_and_nothing_is_charged_or_created(fakes, user):
    with pytest.raises(ContentRefused) as refused:
        creation(fakes).create_task(user, TaskSpec("一只猫 [block]", 10, "9:16", "sora2"))
    assert (refused.value.code, refused.value.data) == (2009, {"field": "prompt"})
    assert wallets(fakes).overview(user).credits == Credits(600)
    with fakes.uow() as uow:
        assert uow.tasks.page_for_user(user, None, None, 10) == []
    assert cases(fakes) == [] and fakes.jobs.created == []


def test_a_held_prompt_runs_and_flags_the_task_for_an_operator(fakes, user):
    task = creation(fakes).create_task(user, TaskSpec("一只猫 [review]", 10, "9:16", "sora2"))
    assert wallets(fakes).overview(user).credits == Credits(590)
    [case] = cases(fakes)
    assert (case.kind, case.task_id, case.user_id, case.labels, case.excerpt) == (
        CaseKind.PROMPT, task.id, user, ("scripted_review",), "一只猫 [review]")
    run_to_end(fakes)
    assert task_of(fakes, task.id).status is TaskStatus.SUCCESS


def test_the_prompt_is_moderated_after_it_is_cleaned(fakes, user):
    creation(fakes).create_task(user, TaskSpec("  一只猫\r\n在跑  ", 10, "9:16", "sora2"))
    assert fakes.moderator.texts == [("prompt", "一只猫\n在跑")]


@pytest.fixture
def work(fakes, user, make_user, catalog):
    creator = make_user("创作者")
    pay(fakes, creator, "credits_6")
    return works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品", remix_fee=2))


def test_a_blocked_remix_addition_is_2009_before_any_charge(fakes, user, work):
    before = wallets(fakes).overview(work.creator_id)
    with pytest.raises(ContentRefused) as refused:
        remixes(fakes).remix(user, work.id, "加点 [block]", 10, "9:16", "sora2")
    assert refused.value.data == {"field": "prompt_delta"}
    assert wallets(fakes).overview(user).credits == Credits(600)
    assert wallets(fakes).overview(work.creator_id) == before


def test_the_assembled_remix_prompt_is_moderated_too(fakes, user, work):
    """What the provider is sent includes the work's generation prompt, which the remixer may not see."""
    fakes.uow.db.state.works[work.id].generation_prompt = "隐藏的 [block] 提示词"  # blocked by today's rules
    with pytest.raises(ContentRefused) as refused:
        remixes(fakes).remix(user, work.id, "更快一点", 10, "9:16", "sora2")
    assert refused.value.data == {"field": "prompt"}
    assert wallets(fakes).overview(user).credits == Credits(600)
    assert ("prompt", "隐藏的 [block] 提示词\n更快一点") in fakes.moderator.texts


def test_a_held_remix_runs_flagged(fakes, user, work):
    result = remixes(fakes).remix(user, work.id, "[review] 更快", 10, "9:16", "sora2")
    [case] = cases(fakes)
    assert (case.kind, case.task_id) == (CaseKind.PROMPT, result.task.id)


def test_a_blocked_output_fails_the_task_and_refunds_it_exactly_once(fakes, user):
    fakes.frames.frames = [b"ok", b"[block] frame", b"never looked at"]
    task = creation(fakes).create_task(user, TaskSpec("一只猫", 10, "9:16", "sora2"))
    run_to_end(fakes)
    t = task_of(fakes, task.id)
    assert (t.status, t.error_message, t.refunded, t.video_id) == (
        TaskStatus.FAILURE, BLOCKED_OUTPUT_MESSAGE, True, None)
    assert fakes.moderator.images == [b"ok", b"[block] frame"]  # the first blocked frame decides
    assert fakes.storage.blobs == {}
    assert wallets(fakes).overview(user).credits == Credits(600)
    runner(fakes).run_once()
    entries, _ = wallets(fakes).ledger_page(user, "credits", None, 50)
    assert [e.type for e in entries].count(LedgerType.GEN_REFUND) == 1
    assert LedgerAudit(fakes.uow).verify() == []


def test_frames_are_sampled_every_two_seconds_at_most_eight(fakes, user):
    creation(fakes).create_task(user, TaskSpec("一只猫", 10, "9:16", "sora2"))
    run_to_end(fakes)
    assert fakes.frames.calls == [(2.0, 8)]


def test_a_held_output_is_its_owners_but_waits_for_an_operator_before_publishing(fakes, user):
    fakes.frames.frames = [b"[review] frame"]
    task = creation(fakes).create_task(user, TaskSpec("一只猫", 10, "9:16", "sora2"))
    run_to_end(fakes)
    t = task_of(fakes, task.id)
    assert t.status is TaskStatus.SUCCESS and t.video_id is not None
    [case] = cases(fakes)
    assert (case.kind, case.task_id, case.video_id) == (CaseKind.OUTPUT, task.id, t.video_id)
    with pytest.raises(NotAllowed, match="内容审核中"):
        works(fakes).publish(user, Listing(t.video_id, "作品"))
    moderation(fakes).pass_case(case.id, OPERATOR)
    work = works(fakes).publish(user, Listing(t.video_id, "作品"))
    assert work.review_status is ReviewStatus.PASSED


def test_an_output_taken_down_can_never_be_published(fakes, user):
    fakes.frames.frames = [b"[review] frame"]
    task = creation(fakes).create_task(user, TaskSpec("一只猫", 10, "9:16", "sora2"))
    run_to_end(fakes)
    [case] = cases(fakes)
    moderation(fakes).take_down(case.id, OPERATOR, "暴力内容")
    with pytest.raises(ContentRefused):
        works(fakes).publish(user, Listing(task_of(fakes, task.id).video_id, "作品"))


def test_an_unreachable_moderator_holds_the_output_for_review_by_default(fakes, user):
    fakes.moderator.down = True
    task = creation(fakes).create_task(user, TaskSpec("一只猫", 10, "9:16", "sora2"))  # prompt: held too
    run_to_end(fakes)
    assert task_of(fakes, task.id).status is TaskStatus.SUCCESS
    assert sorted(c.kind for c in cases(fakes)) == [CaseKind.OUTPUT, CaseKind.PROMPT]
    assert all(c.labels == ("moderation_unavailable",) and c.status is CaseStatus.OPEN for c in cases(fakes))


@pytest.mark.parametrize("on_error, outcome", [(Verdict.BLOCK, TaskStatus.FAILURE), (Verdict.PASS, TaskStatus.SUCCESS)])
def test_what_an_unreachable_moderator_means_is_a_setting(fakes, user, on_error, outcome):
    import attrs

    fakes.policy = attrs.evolve(fakes.policy, moderation=attrs.evolve(fakes.policy.moderation, on_error=on_error))
    task = creation(fakes).create_task(user, TaskSpec("一只猫", 10, "9:16", "sora2"))
    fakes.moderator.down = True
    run_to_end(fakes)
    assert task_of(fakes, task.id).status is outcome
    assert cases(fakes) == []
