"""Background work on Celery: the API side enqueues by name, and a real `celery worker` process (Redis broker,
test PostgreSQL database, embedded fake provider) takes a task from create to SUCCESS, or to a refunded FAILURE."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from adapters.jobs.celery_queue import CeleryJobQueue
from skyriff_domain.model.generation import GenerationTask, TaskStatus
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.money import Credits
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.registration import NewUser, register

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("SKYRIFF_TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")  # a DB index for tests
SLOW_BROKER_URL = os.environ.get("SKYRIFF_TEST_CELERY_SLOW_BROKER_URL", "redis://127.0.0.1:6379/12")
REQUIRE_REDIS = os.environ.get("SKYRIFF_TEST_REQUIRE_REDIS") == "1"
QUEUE = f"skyriff-test-{uuid.uuid4().hex[:12]}"  # this session's own queue (tests/support/celery_test_app.py)


class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, list]] = []

    def send_task(self, name: str, args=None, **options) -> None:
        self.sent.append((name, args))


def test_enqueueing_sends_tasks_by_name():
    sender = RecordingSender()
    queue = CeleryJobQueue(sender)
    queue.task_created(7)
    queue.task_changed(8)
    assert sender.sent == [("skyriff.submit_task", [7]), ("skyriff.poll_task", [8])]


def test_a_broker_failure_never_fails_the_request(caplog):
    class Down:
        def send_task(self, *args, **kwargs):
            raise ConnectionError("broker down")

    queue = CeleryJobQueue(Down())
    assert queue.task_created(7) is None  # no exception: the beat's worker_pass finds the stored task instead
    assert queue.task_changed(8) is None
    failures = [r for r in caplog.records if r.name == "skyriff.worker"]
    assert [r.getMessage() for r in failures] == [
        "could not enqueue skyriff.submit_task for task 7; the worker pass will pick it up",
        "could not enqueue skyriff.poll_task for task 8; the worker pass will pick it up"]
    assert all(r.exc_info and isinstance(r.exc_info[1], ConnectionError) for r in failures)


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=10).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no usable Redis here"
        reason = f"Redis not reachable at {BROKER_URL}: {exc}"
        if REQUIRE_REDIS:
            pytest.fail(f"{reason} (SKYRIFF_TEST_REQUIRE_REDIS=1)")
        pytest.skip(reason)


class Worker:
    """A `celery worker` subprocess; its log goes to a file so a full pipe can never block it."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.name = f"test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"  # what `inspect` addresses it by
        command = [sys.executable, "-m", "celery", "-A", "tests.support.celery_test_app", "worker", "--pool=threads",
                   "--concurrency=2", "--loglevel=INFO", "-Q", QUEUE, "-n", self.name,
                   "--without-mingle", "--without-gossip", "--without-heartbeat"]  # mingle alone costs a second
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"celery worker exited with {self.process.returncode}:\n{self.tail()}")
            if " ready." in self.log_path.read_text(errors="replace"):
                return
            time.sleep(0.1)
        pytest.fail(f"celery worker not ready after {timeout:.0f} s:\n{self.tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish, held ones go back
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def sender(broker_url: str = BROKER_URL):
    """The API side's Celery app (the container's CeleryJobQueue sends through it), sending to QUEUE."""
    from entrypoints.celery_app import app_for

    app = app_for(broker_url)
    app.conf.task_default_queue = QUEUE
    return app


def purge_queue(broker_url: str = BROKER_URL) -> None:
    """Drop what is left in this session's queue (never another session's)."""
    sender(broker_url).control.purge()


def forget_queue(broker_url: str = BROKER_URL) -> None:
    """Delete the Redis keys of this session's queue and its bindings, so sessions leave nothing behind."""
    import redis

    client = redis.Redis.from_url(broker_url, socket_connect_timeout=10)
    try:
        keys = list(client.scan_iter(match=f"*{QUEUE}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(scope="module")
def worker_env(postgres_url, tmp_path_factory) -> dict[str, str]:
    redis_or_skip()
    data = tmp_path_factory.mktemp("celery-worker")
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SKYRIFF_")}  # no stray local settings
    return {**inherited,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH")])),
            "SKYRIFF_DATABASE_URL": postgres_url, "SKYRIFF_AUTO_MIGRATE": "false", "SKYRIFF_DATA_DIR": str(data),
            "SKYRIFF_STORAGE_DIR": str(data / "storage"), "SKYRIFF_FAKE_VIDEO_SECONDS": "2",
            "SKYRIFF_JWT_SECRET": "celery-test-jwt-secret-long-enough!!", "SKYRIFF_SMS_CODE_SECRET": "sms-secret",
            "SKYRIFF_FILES_SECRET": "files-secret", "SKYRIFF_JOB_QUEUE": "celery", "SKYRIFF_EMBEDDED_WORKER": "false",
            "SKYRIFF_CELERY_BROKER_URL": BROKER_URL, "SKYRIFF_TEST_CELERY_QUEUE": QUEUE}


@pytest.fixture(scope="module")
def worker(worker_env, tmp_path_factory):
    purge_queue()
    process = Worker(worker_env, tmp_path_factory.mktemp("celery-log") / "worker.log")
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()
        purge_queue()
        forget_queue()


@pytest.fixture
def app_container(worker_env, pg_engine):
    """The API side: the same settings as the worker, so create_task enqueues through CeleryJobQueue."""
    from dependency_injector import providers

    from entrypoints.container import Container
    from entrypoints.settings import Settings

    sender()  # the app the container's job queue sends through, pointed at this session's queue
    container = Container(settings=Settings.from_env(worker_env))
    container.engine.override(providers.Object(pg_engine))
    assert isinstance(container.job_queue(), CeleryJobQueue)
    return container


def make_user(container, phone: str, credits: int) -> int:
    with container.uow()() as uow:
        user = register(uow, NewUser("u", phone), [Identity(IdentityKind.PHONE, phone)], container.clock().now())
        uow.commit()
    container.wallets().grant_credits(user.id, Credits(credits), LedgerType.RECHARGE, "充值")
    return user.id


def wait_finished(container, worker: Worker, task_id: int, timeout: float = 120.0) -> GenerationTask:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with container.uow()() as uow:
            task = uow.tasks.get(task_id)
        if task.status.finished:
            return task
        time.sleep(0.5)
    pytest.fail(f"task {task_id} still {task.status} after {timeout:.0f} s; worker log:\n{worker.tail()}")


def assert_ledger_clean(container) -> None:
    assert [str(p) for p in container.ledger_audit().verify()] == []


@pytest.mark.postgres
def test_worker_takes_a_task_to_success(worker, app_container):
    uid = make_user(app_container, "13800138001", 100)
    task = app_container.creation().create_task(uid, TaskSpec("一只在月光下弹吉他的猫", 10, "9:16", "sora2"))
    done = wait_finished(app_container, worker, task.id)
    assert (done.status, done.progress) == (TaskStatus.SUCCESS, 100), worker.tail()
    assert done.video_id is not None
    with app_container.uow()() as uow:
        video = uow.videos.get(done.video_id)
    storage = app_container.storage()  # the worker stored the files: two MP4s and a JPEG cover
    assert [storage.get(key)[4:8] for key in (video.original_key, video.watermarked_key)] == [b"ftyp"] * 2
    assert storage.get(video.cover_key)[:3] == b"\xff\xd8\xff"
    assert app_container.wallets().overview(uid).credits == Credits(100) - task.cost
    assert_ledger_clean(app_container)


@pytest.mark.postgres
def test_worker_refunds_a_failed_task(worker, app_container):
    uid = make_user(app_container, "13800138002", 100)
    task = app_container.creation().create_task(uid, TaskSpec("[fail] 违规内容", 10, "9:16", "sora2"))
    done = wait_finished(app_container, worker, task.id)
    assert (done.status, done.refunded, done.video_id) == (TaskStatus.FAILURE, True, None), worker.tail()
    assert app_container.wallets().overview(uid).credits == Credits(100)
    assert_ledger_clean(app_container)


# --- one poll chain per task ------------------------------------------------------------------------------

@pytest.fixture
def slow_env(worker_env) -> dict[str, str]:
    """A broker of its own and a fake provider that takes ten minutes: the task stays in progress, polled by
    its chain about once a second, for as long as the test looks at it."""
    return {**worker_env, "SKYRIFF_FAKE_VIDEO_SECONDS": "600", "SKYRIFF_CELERY_BROKER_URL": SLOW_BROKER_URL}


@pytest.fixture
def slow_worker(slow_env, pg_engine, tmp_path):
    purge_queue(SLOW_BROKER_URL)
    process = Worker(slow_env, tmp_path / "worker.log")
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()  # before pg_engine empties the database under it
        purge_queue(SLOW_BROKER_URL)
        forget_queue(SLOW_BROKER_URL)


def wait_until(check, what, worker: Worker, timeout: float = 30.0):
    """`check()`'s first true value; fails after `timeout` with `what` (a string, or a callable making one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what() if callable(what) else what} after {timeout:.0f} s; worker log:\n{worker.tail()}")


def scheduled_links(sender, worker: Worker, task_id: int) -> int:
    """How many poll messages for the task wait on the worker's timer: one per live chain."""
    replies = sender.control.inspect(destination=[worker.name], timeout=10.0).scheduled() or {}
    return sum(1 for entry in replies.get(worker.name, [])
               if entry["request"]["name"] == "skyriff.poll_task" and entry["request"]["args"][0] == task_id)


@pytest.mark.postgres
def test_nudges_and_redelivered_links_never_start_a_second_poll_chain(slow_worker, slow_env, pg_engine):
    from dependency_injector import providers
    from sqlalchemy import text

    from entrypoints.celery_app import app_for
    from entrypoints.container import Container
    from entrypoints.settings import Settings

    container = Container(settings=Settings.from_env(slow_env))
    container.engine.override(providers.Object(pg_engine))
    sender = app_for(SLOW_BROKER_URL)
    uid = make_user(container, "13800138003", 100)
    task = container.creation().create_task(uid, TaskSpec("一只慢慢弹吉他的猫", 10, "9:16", "sora2"))

    def chain_token():
        with pg_engine.connect() as conn:
            return conn.execute(text("SELECT count FROM rate_counters WHERE key = :k"),
                                {"k": f"lease:poll-chain:{task.id}"}).scalar()

    token = wait_until(chain_token, "no poll chain started", slow_worker)
    # Five webhook nudges, and the chain's current link delivered twice more (a redelivery after a crash).
    sent = [sender.send_task("skyriff.poll_task", args=[task.id]) for _ in range(5)]
    sent += [sender.send_task("skyriff.poll_task", args=[task.id, token]) for _ in range(2)]
    wait_until(lambda: all(f"skyriff.poll_task[{m.id}] succeeded" in slow_worker.log_path.read_text(errors="replace")
                           for m in sent), "the nudges were not all handled", slow_worker)
    seen: list[int] = []

    def settled_on_one_chain() -> bool:
        seen.append(scheduled_links(sender, slow_worker, task.id))
        return len(seen) >= 3 and max(seen[-3:]) == 1

    wait_until(settled_on_one_chain, lambda: f"not one chain: links waiting {seen}", slow_worker)
    with container.uow()() as uow:
        assert not uow.tasks.get(task.id).status.finished
