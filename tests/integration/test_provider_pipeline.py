"""The whole generation path with the real OpenAI-shape adapter against local fake relays, on a real
database: retries, failover, unknown fates, flaky polls — and the money always comes out right."""
from __future__ import annotations

import attrs
import pytest

from adapters.media.ffmpeg import make_test_mp4
from adapters.providers.config import build_routes
from adapters.providers.openai_video import OpenAIVideoConfig, OpenAIVideoProvider
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.generation import ModelCapability, TaskStatus
from skyriff_domain.money import Credits
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.providers import ProviderRouter
from skyriff_domain.services.task_runner import TOO_LARGE_MESSAGE
from tests.integration.test_creation_contract import Pipeline
from tests.support.fake_video_api import FakeVideoApi, rate_limited, server_error, stall
from tests.support.http_server import PATIENT_TIMEOUT, SHORT_TIMEOUT

KEY = "sk-fake-video-key"
RELAY_CAP = ModelCapability("sora-2", {10: "10", 15: "15"}, {"9:16": "720x1280", "16:9": "1280x720"},
                            square_by_crop=True)


def relay(name: str, api: FakeVideoApi, timeout: float = PATIENT_TIMEOUT) -> OpenAIVideoProvider:
    return OpenAIVideoProvider(OpenAIVideoConfig(name, api.url, KEY, {"sora2": RELAY_CAP}, timeout=timeout,
                                                 connect_timeout=PATIENT_TIMEOUT, download_timeout=PATIENT_TIMEOUT))


@pytest.fixture
def apis():
    with FakeVideoApi(KEY, seconds=("10", "15"), sizes=("720x1280", "1280x720")) as a, \
            FakeVideoApi(KEY, seconds=("10", "15"), sizes=("720x1280", "1280x720")) as b:
        a.content = b.content = make_test_mp4(1.0, 240, 426)
        yield a, b


def pipeline_with(engine, *providers) -> Pipeline:
    pipeline = Pipeline(SqlUnitOfWorkFactory(engine))
    pipeline.router = ProviderRouter({"sora2": list(providers)}, pipeline.policy, lambda seconds: None)
    pipeline.creation.router = pipeline.router
    return pipeline


def drive(pipeline: Pipeline, passes: int = 8) -> None:
    for _ in range(passes):
        pipeline.runner().run_once()
        pipeline.clock.advance(seconds=20)


def test_success_after_a_429_on_create(sqlite_engine, apis):
    a, _ = apis
    a.script_creates(rate_limited("1"))
    p = pipeline_with(sqlite_engine, relay("a", a))
    uid = p.user()
    task = p.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2"))
    drive(p)
    done = p.task(task.id)
    assert (done.status, done.provider) == (TaskStatus.SUCCESS, "a") and a.create_calls == 2
    assert p.wallets.overview(uid).credits == Credits(90)


def test_failover_to_the_second_relay(sqlite_engine, apis):
    a, b = apis
    a.script_creates(rate_limited(), rate_limited(), rate_limited())
    p = pipeline_with(sqlite_engine, relay("a", a), relay("b", b))
    task = p.creation.create_task(p.user(), TaskSpec("猫", 15, "16:9", "sora2"))
    drive(p)
    done = p.task(task.id)
    assert (done.status, done.provider, a.create_calls, b.create_calls) == (TaskStatus.SUCCESS, "b", 3, 1)
    assert b.creates[0].fields["seconds"] == "15" and b.creates[0].fields["size"] == "1280x720"


def test_a_create_that_times_out_is_failed_refunded_and_never_resent(sqlite_engine, apis, caplog):
    a, b = apis
    a.script_creates(stall())
    p = pipeline_with(sqlite_engine, relay("a", a, timeout=SHORT_TIMEOUT), relay("b", b))
    uid = p.user()
    task = p.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2"))
    drive(p)
    done = p.task(task.id)
    assert (done.status, done.refunded) == (TaskStatus.FAILURE, True)
    assert (a.create_calls, b.create_calls) == (1, 0)  # not re-sent, not failed over: it may exist upstream
    assert p.wallets.overview(uid).credits == Credits(100)
    assert "reconcile" in caplog.text


def test_a_5xx_on_a_poll_is_retried(sqlite_engine, apis):
    a, _ = apis
    p = pipeline_with(sqlite_engine, relay("a", a))
    task = p.creation.create_task(p.user(), TaskSpec("猫", 10, "9:16", "sora2"))
    p.runner().run_once()
    a.script_polls(server_error(502))
    drive(p, passes=10)
    assert p.task(task.id).status is TaskStatus.SUCCESS


def test_a_content_policy_failure_is_refunded(sqlite_engine, apis):
    a, _ = apis
    a.fail_next_job("moderation_blocked", "blocked by moderation")
    p = pipeline_with(sqlite_engine, relay("a", a))
    uid = p.user()
    task = p.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2"))
    drive(p)
    done = p.task(task.id)
    assert (done.status, done.error_message, done.refunded) == (TaskStatus.FAILURE, "提示词或参考图不符合内容规范", True)
    assert p.wallets.overview(uid).credits == Credits(100)


@pytest.mark.parametrize("content_length", [True, False])
def test_a_video_over_the_cap_fails_the_task_with_one_refund(sqlite_engine, apis, content_length):
    """A broken relay serving a body larger than the cap (announced or not): the task fails with a readable
    message and is refunded exactly once; the body is downloaded once, never retried."""
    a, _ = apis
    a.content = a.content + b"\x00" * (2 * 1024 * 1024)
    a.content_length = content_length
    p = pipeline_with(sqlite_engine, relay("a", a))
    p.policy = attrs.evolve(p.policy, generation=attrs.evolve(p.policy.generation, max_video_bytes=1024 * 1024))
    uid = p.user()
    task = p.creation.create_task(uid, TaskSpec("猫", 10, "9:16", "sora2"))
    drive(p, passes=10)
    done = p.task(task.id)
    assert (done.status, done.refunded, done.error_message) == (TaskStatus.FAILURE, True, TOO_LARGE_MESSAGE)
    assert p.wallets.overview(uid).credits == Credits(100)
    assert sum(r.path.endswith("/content") for r in a.requests) == 1
    assert LedgerAudit(p.uow).verify() == [] and p.storage.blobs == {}


def test_routes_from_an_operator_document():
    document = {
        "providers": [
            {"name": "official", "base_url": "https://relay.test/v1", "api_key_env": "RELAY_KEY",
             "models": {"sora2": {"model": "sora-2", "seconds": {"10": "12"}, "sizes": {"9:16": "720x1280"}}}},
            {"name": "reverse", "base_url": "https://rev.test/v1", "api_key": "k",
             "models": {"sora2": {"model": "x", "model_by_duration": {"10": "sora-video-10s", "15": "sora-video-15s"},
                                  "sizes": {"9:16": "720x1280", "16:9": "1280x720"}},
                        "sora2Pro": {"model": "sora-2-pro", "seconds": {"25": "25"}, "sizes": {"9:16": "1024x1792"}}}},
        ],
        "routes": {"sora2": ["reverse", "official"]},
    }
    routes = build_routes(document, env={"RELAY_KEY": "secret"})
    assert [p.name for p in routes["sora2"]] == ["reverse", "official"]
    assert [p.name for p in routes["sora2Pro"]] == ["reverse"]
    assert routes["sora2"][1].config.api_key == "secret"
    assert routes["sora2"][0].capability("sora2").model_for(15) == "sora-video-15s"
    with pytest.raises(ValueError):
        build_routes({"providers": [], "routes": {"sora2": ["nobody"]}})
