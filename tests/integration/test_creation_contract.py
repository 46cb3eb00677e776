"""The creation pipeline over real databases: task repositories behave like the fakes, and two workers at
once never double-submit, double-refund or double-create a video."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from adapters.clock import FixedClock
from adapters.media.fake import PassthroughMediaProcessor
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from adapters.storage.memory import MemoryBlobStorage
from skyriff_domain.model.generation import TaskStatus, UpstreamJob, UpstreamState
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.money import Credits
from skyriff_domain.policy import Policy
from skyriff_domain.services.creation import Creation, TaskSpec
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.providers import ProviderRouter
from skyriff_domain.services.registration import NewUser, register
from skyriff_domain.services.task_runner import TaskRunner
from skyriff_domain.services.wallets import Wallets
from adapters.jobs.in_process import RecordingJobQueue
from tests.support.concurrency import run_together
from tests.support.providers import ScriptedProvider


class Pipeline:
    def __init__(self, uow, provider=None) -> None:
        self.uow, self.clock, self.policy = uow, FixedClock(), Policy()
        self.provider = provider or ScriptedProvider()
        self.router = ProviderRouter({"sora2": [self.provider], "sora2Pro": [self.provider]}, self.policy,
                                     lambda s: None)
        self.storage = MemoryBlobStorage()
        self.creation = Creation(uow, self.clock, self.policy, self.router, RecordingJobQueue())
        self.wallets = Wallets(uow, self.clock, self.policy)

    def runner(self, batch: int = 20) -> TaskRunner:
        return TaskRunner(self.uow, self.clock, self.policy, self.router, self.storage, PassthroughMediaProcessor(),
                          batch)

    def user(self, credits: int = 100, phone: str = "13800138000") -> int:
        with self.uow() as uow:
            user = register(uow, NewUser("u", phone), [Identity(IdentityKind.PHONE, phone)], self.clock.now())
            uow.commit()
        self.wallets.grant_credits(user.id, Credits(credits), LedgerType.RECHARGE, "充值")
        return user.id

    def task(self, task_id):
        with self.uow() as uow:
            return uow.tasks.get(task_id)


@pytest.fixture
def pipeline(backend):
    return Pipeline(backend.uow)


def test_task_round_trip_and_lifecycle(pipeline):
    uid = pipeline.user()
    task = pipeline.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2", note="第一个"))
    stored = pipeline.task(task.id)
    assert (stored.prompt, stored.cost, stored.note, stored.created_at) == ("猫", Credits(10), "第一个",
                                                                             pipeline.clock.now())
    pipeline.runner().run_once()
    pipeline.clock.advance(seconds=10)
    pipeline.runner().run_once()
    done = pipeline.task(task.id)
    assert (done.status, done.progress, done.provider) == (TaskStatus.SUCCESS, 100, "scripted")
    with pipeline.uow() as uow:
        video = uow.videos.get(done.video_id)
        assert (video.task_id, video.owner_id, video.clean_download_paid) == (task.id, uid, False)
        assert uow.videos.page_for_user(uid, None, None, 10)[0].id == video.id


def test_claims_are_one_time(pipeline):
    uid = pipeline.user()
    pipeline.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2"))
    with pipeline.uow() as uow:
        first = uow.tasks.claim_for_submit(pipeline.clock.now(), 10)
        uow.commit()
    with pipeline.uow() as uow:
        assert uow.tasks.claim_for_submit(pipeline.clock.now(), 10) == []
    assert len(first) == 1


def test_due_polls_are_leased(pipeline):
    uid = pipeline.user()
    pipeline.provider.polls.extend([UpstreamJob("x", UpstreamState.IN_PROGRESS, 10)] * 5)
    pipeline.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2"))
    pipeline.runner().run_once()
    pipeline.clock.advance(seconds=10)
    with pipeline.uow() as uow:
        assert len(uow.tasks.claim_due(pipeline.clock.now(), timedelta(seconds=60), 10)) == 1
        uow.commit()
    with pipeline.uow() as uow:
        assert uow.tasks.claim_due(pipeline.clock.now(), timedelta(seconds=60), 10) == []


def six_tasks(pipeline, first_phone: int) -> list[int]:
    users = [pipeline.user(100, str(first_phone + i)) for i in range(3)]
    return [pipeline.creation.create_task(u, TaskSpec("猫", 10, "9:16", "sora2")).id for u in users for _ in range(2)]


def test_claims_honour_their_batch_size(pipeline):
    """A worker pass takes at most `limit` tasks, leaving the rest to other workers (PostgreSQL once re-ran
    a LIMIT … SKIP LOCKED subquery for every row it updated, and one pass claimed the whole backlog)."""
    polled = six_tasks(pipeline, 13800138000)
    pipeline.runner().run_once()  # submits them: each is due for a poll 5 s later
    pipeline.clock.advance(seconds=10)
    due = []
    for _ in range(3):
        with pipeline.uow() as uow:
            due.append([t.id for t in uow.tasks.claim_due(pipeline.clock.now(), timedelta(seconds=60), 4)])
            uow.commit()
    assert [len(d) for d in due] == [4, 2, 0]
    assert sorted(due[0] + due[1]) == polled

    waiting = six_tasks(pipeline, 13900139000)
    claimed = []
    for _ in range(3):
        with pipeline.uow() as uow:
            claimed.append([t.id for t in uow.tasks.claim_for_submit(pipeline.clock.now(), 4)])
            uow.commit()
    assert [len(c) for c in claimed] == [4, 2, 0]
    assert sorted(claimed[0] + claimed[1]) == waiting


def test_compare_and_set_refuses_a_stale_status(pipeline):
    uid = pipeline.user()
    task = pipeline.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2"))
    with pipeline.uow() as uow:
        task.status = TaskStatus.FAILURE
        assert uow.tasks.compare_and_set(task, TaskStatus.NOT_START)
        assert not uow.tasks.compare_and_set(task, TaskStatus.NOT_START)
        uow.commit()


class PairedProvider(ScriptedProvider):
    """Holds every submit and poll until a call from the *other* worker thread is in flight too, so the two
    workers provably overlap: each call meets one from the other worker at a barrier, and the test checks
    that every call met its partner (a worker left alone waits out the barrier and is counted as unpaired)."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.meeting = threading.Barrier(2, timeout=30)
        self.paired = 0
        self.unpaired = 0
        self.calls_by_thread: dict[str, int] = {}

    def _meet(self) -> None:
        name = threading.current_thread().name
        try:
            self.meeting.wait()
            met = True
        except threading.BrokenBarrierError:
            met = False
        with self.lock:
            self.calls_by_thread[name] = self.calls_by_thread.get(name, 0) + 1
            if met:
                self.paired += 1
            else:
                self.unpaired += 1
                self.meeting.reset()

    def submit(self, request):
        self._meet()
        with self.lock:
            return super().submit(request)

    def poll(self, upstream_id):
        self._meet()
        with self.lock:
            return super().poll(upstream_id)


def run_two_workers(pipeline, rounds: int = 4, batch: int = 20) -> None:
    """`rounds` passes of two workers released together by a barrier, the clock moving 10 s between them."""
    for _ in range(rounds):
        run_together([lambda: pipeline.runner(batch).run_once()] * 2)
        pipeline.clock.advance(seconds=10)


@pytest.mark.postgres
def test_two_concurrent_workers_on_postgres(pg_engine):
    pipeline = Pipeline(SqlUnitOfWorkFactory(pg_engine), PairedProvider())
    users = [pipeline.user(100, f"1380013800{i}") for i in range(3)]
    ok = [pipeline.creation.create_task(u, TaskSpec("猫", 10, "9:16", "sora2")) for u in users for _ in range(2)]
    pipeline.provider.polls.extend([UpstreamJob("x", UpstreamState.FAILED, 0, "e", "失败")] * 3)
    # Batches of 3: each worker claims half of the 6 tasks (SKIP LOCKED), submits them while the other
    # submits its half, then polls them while the other polls its half.
    run_two_workers(pipeline, batch=3)
    provider = pipeline.provider
    assert (provider.paired, provider.unpaired) == (12, 0)  # 6 submits + 6 polls, each overlapping the other's
    assert sorted(provider.calls_by_thread.values()) == [6, 6]  # both workers did half of the work
    finished = [pipeline.task(t.id) for t in ok]
    assert all(t.status.finished for t in finished)
    assert len(pipeline.provider.submitted) == len(ok)  # each task submitted exactly once
    with pipeline.uow() as uow:
        videos = [v for u in users for v in uow.videos.page_for_user(u, None, None, 50)]
    assert len(videos) == sum(t.status is TaskStatus.SUCCESS for t in finished)
    assert len({v.task_id for v in videos}) == len(videos)  # never two videos for one task
    failed = [t for t in finished if t.status is TaskStatus.FAILURE]
    assert len(failed) == 3 and all(t.refunded for t in failed)
    for u in users:
        entries, _ = pipeline.wallets.ledger_page(u, "credits", None, 50)
        refunds = [e for e in entries if e.type is LedgerType.GEN_REFUND]
        spent = sum(t.cost.minor for t in finished if t.user_id == u and t.status is TaskStatus.SUCCESS)
        assert pipeline.wallets.overview(u).credits == Credits(100 - spent)
        assert len(refunds) == sum(1 for t in failed if t.user_id == u)
    assert LedgerAudit(pipeline.uow).verify() == []
