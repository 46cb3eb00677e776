import attrs
import pytest

from skyriff_domain.model.generation import TaskStatus, UpstreamJob, UpstreamState
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from skyriff_domain.ports import BrokenVideo, PollFailed, SubmitNotStarted, SubmitRejected, SubmitUnknown
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.task_outcomes import fail
from skyriff_domain.services.task_runner import BROKEN_MESSAGE, TOO_LARGE_MESSAGE
from tests.support.providers import ScriptedProvider
from tests.support.usecases import creation, runner, wallets

SPEC = TaskSpec("一只猫", 10, "9:16", "sora2")


@pytest.fixture
def user(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(100), LedgerType.RECHARGE, "充值")
    return uid


def task_of(fakes, task_id):
    with fakes.uow() as uow:
        return uow.tasks.get(task_id)


def step(fakes, *providers, seconds=6):
    fakes.clock.advance(seconds=seconds)
    return runner(fakes, *providers).run_once()


def refunds(fakes, uid):
    entries, _ = wallets(fakes).ledger_page(uid, "credits", None, 50)
    return [e for e in entries if e.type is LedgerType.GEN_REFUND]


def test_a_task_goes_queued_in_progress_success_with_a_video(fakes, user):
    fakes.provider.polls.extend([UpstreamJob("x", UpstreamState.IN_PROGRESS, 40)])
    task = creation(fakes).create_task(user, SPEC)
    assert runner(fakes).run_once().submitted == 1
    assert task_of(fakes, task.id).status is TaskStatus.QUEUED and task_of(fakes, task.id).started_at
    step(fakes)
    t = task_of(fakes, task.id)
    assert (t.status, t.progress) == (TaskStatus.IN_PROGRESS, 40)
    step(fakes)
    t = task_of(fakes, task.id)
    assert (t.status, t.progress, t.video_id is not None, t.finished_at is not None) == (
        TaskStatus.SUCCESS, 100, True, True)
    with fakes.uow() as uow:
        video = uow.videos.get(t.video_id)
    assert video.original_key.startswith("private/") and video.watermarked_key.startswith("public/")
    assert set(fakes.storage.blobs) == {video.original_key, video.watermarked_key, video.cover_key}
    assert wallets(fakes).overview(user).credits == Credits(90)


def test_upstream_failure_refunds_once(fakes, user):
    fakes.provider.polls.append(UpstreamJob("x", UpstreamState.FAILED, 0, "moderation_blocked", "提示词不符合规范"))
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    step(fakes)
    t = task_of(fakes, task.id)
    assert (t.status, t.error_message, t.refunded) == (TaskStatus.FAILURE, "提示词不符合规范", True)
    assert wallets(fakes).overview(user).credits == Credits(100)
    step(fakes)  # nothing more happens to a finished task
    assert len(refunds(fakes, user)) == 1
    assert LedgerAudit(fakes.uow).verify() == []


def test_a_definitive_rejection_fails_and_refunds(fakes, user):
    fakes.provider.submits.append(SubmitRejected("提示词或参考图不符合内容规范"))
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    t = task_of(fakes, task.id)
    assert (t.status, t.refunded, t.error_message) == (TaskStatus.FAILURE, True, "提示词或参考图不符合内容规范")
    assert len(fakes.provider.submitted) == 1


def test_a_create_of_unknown_fate_is_never_resent(fakes, user, caplog):
    fakes.provider.submits.append(SubmitUnknown("read timeout"))
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    runner(fakes).run_once()
    assert len(fakes.provider.submitted) == 1
    t = task_of(fakes, task.id)
    assert (t.status, t.refunded) == (TaskStatus.FAILURE, True)
    assert "reconcile" in caplog.text


def test_not_started_creates_are_retried_with_backoff(fakes, user):
    fakes.provider.submits.extend([SubmitNotStarted("429", retry_after=5), SubmitNotStarted("refused")])
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    assert task_of(fakes, task.id).status is TaskStatus.QUEUED
    assert len(fakes.provider.submitted) == 3 and fakes.sleeps == [5, 3.0]


def test_a_busy_provider_fails_over_to_the_next_one(fakes, user):
    first, second = ScriptedProvider("first"), ScriptedProvider("second")
    first.submits.extend([SubmitNotStarted("busy")] * 3)
    task = creation(fakes, first, second).create_task(user, SPEC)
    runner(fakes, first, second).run_once()
    t = task_of(fakes, task.id)
    assert (t.status, t.provider) == (TaskStatus.QUEUED, "second")
    step(fakes, first, second)
    assert task_of(fakes, task.id).status is TaskStatus.SUCCESS and second.downloads == 1


def test_when_every_provider_is_busy_the_task_fails_and_refunds(fakes, user):
    fakes.provider.submits.extend([SubmitNotStarted("busy")] * 3)
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    t = task_of(fakes, task.id)
    assert (t.status, t.error_message, t.refunded) == (TaskStatus.FAILURE, "服务繁忙，请稍后重试", True)


def test_a_failed_poll_is_retried_later(fakes, user):
    fakes.provider.polls.extend([PollFailed("500"), UpstreamJob("x", UpstreamState.COMPLETED, 100)])
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    step(fakes)
    assert task_of(fakes, task.id).status is TaskStatus.QUEUED
    step(fakes, seconds=5)
    assert task_of(fakes, task.id).status is TaskStatus.QUEUED  # not due yet: retry waits 15 s
    step(fakes, seconds=15)
    assert task_of(fakes, task.id).status is TaskStatus.SUCCESS


def test_no_result_after_30_minutes_fails_with_a_refund(fakes, user):
    fakes.provider.polls.extend([UpstreamJob("x", UpstreamState.IN_PROGRESS, 10)] * 1000)
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    step(fakes, seconds=29 * 60)
    assert task_of(fakes, task.id).status is TaskStatus.IN_PROGRESS
    report = step(fakes, seconds=61)
    t = task_of(fakes, task.id)
    assert (report.swept, t.status, t.error_message, t.refunded) == (1, TaskStatus.FAILURE, "生成超时，请稍后重试", True)
    assert wallets(fakes).overview(user).credits == Credits(100)


def test_a_second_ending_loses_the_compare_and_swap(fakes, user):
    """Two workers holding the same NOT_START snapshot: only the first ending refunds."""
    task = creation(fakes).create_task(user, SPEC)
    with fakes.uow() as uow:
        mine, theirs = uow.tasks.get(task.id), uow.tasks.get(task.id)
        assert fail(uow, mine, "第一次", fakes.clock.now())
        assert not fail(uow, theirs, "第二次", fakes.clock.now())
        uow.commit()
    assert len(refunds(fakes, user)) == 1
    assert task_of(fakes, task.id).error_message == "第一次"


def test_a_square_from_a_cropping_provider_is_cropped(fakes, user):
    calls = []
    fakes.media.process_video = lambda mp4, crop: calls.append(crop) or type(fakes.media).process_video(
        fakes.media, mp4, crop)
    creation(fakes).create_task(user, TaskSpec("猫", 10, "1:1", "sora2"))
    runner(fakes).run_once()
    assert fakes.provider.submitted[0].ratio == "1:1"
    step(fakes)
    assert calls == [True]


def test_a_video_over_the_size_cap_fails_the_task_with_one_refund(fakes, user):
    fakes.policy = attrs.evolve(fakes.policy, generation=attrs.evolve(fakes.policy.generation, max_video_bytes=64))
    fakes.provider.video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    step(fakes)
    t = task_of(fakes, task.id)
    assert (t.status, t.refunded, t.video_id) == (TaskStatus.FAILURE, True, None)
    assert t.error_message == TOO_LARGE_MESSAGE
    step(fakes)
    step(fakes, seconds=3600)  # later passes and the timeout sweep change nothing
    assert len(refunds(fakes, user)) == 1 and fakes.provider.downloads == 1
    assert wallets(fakes).overview(user).credits == Credits(100) and fakes.storage.blobs == {}
    assert LedgerAudit(fakes.uow).verify() == []


def test_the_downloaded_file_is_handed_to_the_media_step_and_removed_afterwards(fakes, user):
    seen = []

    def process(mp4, crop):
        seen.append((mp4, mp4.read_bytes()))
        return type(fakes.media).process_video(fakes.media, mp4, crop)

    fakes.media.process_video = process
    creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    step(fakes)
    [(path, data)] = seen
    assert data == fakes.provider.video and not path.exists()


def test_a_file_that_is_not_a_video_fails_the_task_at_once_with_one_refund(fakes, user):
    """Processing it again would fail again: no download every lease until the 30-minute sweep."""
    def broken(mp4, crop):
        raise BrokenVideo("not a media file")

    fakes.media.process_video = broken
    task = creation(fakes).create_task(user, SPEC)
    runner(fakes).run_once()
    step(fakes)
    t = task_of(fakes, task.id)
    assert (t.status, t.refunded, t.error_message) == (TaskStatus.FAILURE, True, BROKEN_MESSAGE)
    step(fakes, seconds=3600)
    assert len(refunds(fakes, user)) == 1 and fakes.provider.downloads == 1 and fakes.storage.blobs == {}
