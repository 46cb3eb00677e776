"""OpenAIVideoProvider end to end against the local fake of the OpenAI Video API (tests/support/fake_video_api.py)."""
from __future__ import annotations

import io
import json
import logging
import socket
import tomllib

import pytest
from PIL import Image

from adapters.providers.openai_video import (
    CONTENT_POLICY_MESSAGE,
    NOT_FOUND_MESSAGE,
    OpenAIVideoConfig,
    OpenAIVideoProvider,
)
from skyriff_domain.model.generation import GenerationRequest, ModelCapability, ReferenceImage, UpstreamState
from skyriff_domain.ports.creation import PollFailed, SubmitNotStarted, SubmitRejected, SubmitUnknown, VideoTooLarge
from tests.support.fake_video_api import (
    SAMPLE_MP4,
    FakeVideoApi,
    moderation_rejected,
    rate_limited,
    raw,
    rejected,
    server_error,
    stall,
)
from tests.support.http_server import PATIENT_TIMEOUT, SHORT_TIMEOUT

KEY = "sk-relay-test-0123456789abcdef"
CAP = 200 * 1024 * 1024
PROMPT = "一只橘猫在雨夜的霓虹街头弹吉他 secret-prompt-marker"
SORA2 = ModelCapability("sora-2", seconds={10: "10", 15: "15", 25: "25"},
                        sizes={"9:16": "720x1280", "16:9": "1280x720"}, square_by_crop=True)
REVERSE = ModelCapability("sora-video", model_by_duration={10: "sora-video-portrait-10s", 15: "sora-video-portrait-15s"},
                          sizes={"9:16": "720x1280"})
PLAIN = {
    "name": "relay-a", "base_url": "https://relay.example/v1/", "api_key": KEY,
    "models": {
        "sora2": {"model": "sora-2", "seconds": {"10": "10", "15": "15", "25": "25"},
                  "sizes": {"9:16": "720x1280", "16:9": "1280x720"}, "square_by_crop": True, "model_by_duration": {}},
        "sora2Pro": {"model": "sora-video", "sizes": {"9:16": "720x1280"},
                     "model_by_duration": {"10": "sora-video-portrait-10s", "15": "sora-video-portrait-15s"}},
    },
    "timeout": 20,
}


@pytest.fixture
def api():
    with FakeVideoApi(KEY, models=("sora-2", "sora-video-portrait-10s", "sora-video-portrait-15s"),
                      seconds=("10", "15", "25"), sizes=("720x1280", "1280x720")) as fake:
        yield fake


def provider(url: str, timeout: float = PATIENT_TIMEOUT, fitter=None) -> OpenAIVideoProvider:
    config = OpenAIVideoConfig("relay-a", url, KEY, {"sora2": SORA2, "sora2Pro": REVERSE}, timeout=timeout,
                               connect_timeout=PATIENT_TIMEOUT, download_timeout=PATIENT_TIMEOUT)
    return OpenAIVideoProvider(config, image_fitter=fitter)


def request(duration: int = 15, ratio: str = "16:9", model: str = "sora2", reference=None) -> GenerationRequest:
    return GenerationRequest(PROMPT, model, duration, ratio, reference)


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(out, "PNG")
    return out.getvalue()


def test_submit_poll_download_happy_path(api, tmp_path):
    video = provider(api.url)
    job = video.submit(request())
    assert job.upstream_id in api.jobs and job.state is UpstreamState.QUEUED and job.progress == 0
    call = api.creates[0]
    assert call.fields == {"prompt": PROMPT, "model": "sora-2", "seconds": "15", "size": "1280x720"}
    assert call.headers["authorization"] == f"Bearer {KEY}"
    assert call.headers["content-type"].startswith("multipart/form-data")
    seen = [video.poll(job.upstream_id) for _ in range(5)]
    assert [(j.state, j.progress) for j in seen] == [
        (UpstreamState.QUEUED, 0), (UpstreamState.IN_PROGRESS, 30), (UpstreamState.IN_PROGRESS, 60),
        (UpstreamState.IN_PROGRESS, 90), (UpstreamState.COMPLETED, 100)]
    assert seen[-1].error_message is None and seen[-1].poll_after_seconds is None
    into = tmp_path / "video.mp4"
    assert video.download(job.upstream_id, into, CAP) == len(SAMPLE_MP4) and into.read_bytes() == SAMPLE_MP4
    content = api.requests[-1]
    assert content.path.endswith("/content") and content.query == {"variant": ["video"]}
    assert content.headers["accept"] == "application/binary"


def test_reference_image_is_fitted_and_sent_as_input_reference(api):
    calls = []

    def fitter(data: bytes, size: str) -> bytes:
        calls.append((data, size))
        return png(tuple(map(int, size.split("x"))))

    original = png((300, 300))
    job = provider(api.url, fitter=fitter).submit(
        request(10, "9:16", reference=ReferenceImage(original, "image/png")))
    assert calls == [(original, "720x1280")]
    upload = api.creates[0].files["input_reference"]
    assert (upload.filename, upload.content_type) == ("reference.png", "image/png")
    assert Image.open(io.BytesIO(upload.data)).size == (720, 1280)
    assert job.upstream_id in api.jobs


def test_unfitted_reference_is_refused_by_the_api_like_the_real_one(api):
    with pytest.raises(SubmitRejected, match="Inpaint image must match"):
        provider(api.url).submit(request(10, "9:16", reference=ReferenceImage(png((64, 64)), "image/png")))


def test_relay_with_duration_in_model_name_sends_no_seconds(api):
    provider(api.url).submit(request(10, "9:16", model="sora2Pro"))
    assert api.creates[0].fields == {"prompt": PROMPT, "model": "sora-video-portrait-10s", "size": "720x1280"}


def test_square_by_crop_asks_for_the_portrait_size(api):
    provider(api.url).submit(request(25, "1:1"))
    assert api.creates[0].fields["size"] == "720x1280"


def test_unservable_request_is_a_programming_error(api):
    with pytest.raises(ValueError):
        provider(api.url).submit(request(25, "9:16", model="sora2Pro"))
    with pytest.raises(ValueError):
        provider(api.url).submit(request(15, "16:9", model="nope"))
    assert api.create_calls == 0


def test_moderation_failure_maps_to_the_content_policy_message(api):
    video = provider(api.url)
    api.fail_next_job("moderation_blocked", "blocked")
    job = video.submit(request())
    final = [video.poll(job.upstream_id) for _ in range(5)][-1]
    assert final.state is UpstreamState.FAILED
    assert (final.error_code, final.error_message) == ("moderation_blocked", CONTENT_POLICY_MESSAGE)


def test_other_failures_carry_the_upstream_message(api):
    video = provider(api.url)
    api.fail_next_job("internal_error", "GPU exploded")
    job = video.submit(request())
    final = [video.poll(job.upstream_id) for _ in range(5)][-1]
    assert (final.state, final.error_message) == (UpstreamState.FAILED, "视频生成失败：GPU exploded")


@pytest.mark.parametrize("fault, message", [
    (rejected("Invalid value: 'x'."), "视频生成请求被拒绝：Invalid value: 'x'."),
    (moderation_rejected(), CONTENT_POLICY_MESSAGE),
    (rejected("Incorrect API key provided: sk-rel***cdef", status=401, code="invalid_api_key"),
     "视频生成请求被拒绝：视频服务暂不可用"),
    (rejected("x" * 300, status=422), "视频生成请求被拒绝：" + "x" * 99 + "…"),
])
def test_definitive_rejections(api, fault, message):
    api.script_creates(fault)
    with pytest.raises(SubmitRejected) as raised:
        provider(api.url).submit(request())
    assert str(raised.value) == message
    assert not api.jobs


def test_bad_literal_is_rejected_by_the_fake_with_an_error_envelope():
    with FakeVideoApi(KEY) as fake:  # default fake: official seconds 4/8/12 only
        with pytest.raises(SubmitRejected, match="Invalid value: '15'"):
            provider(fake.url).submit(request())


def test_429_is_not_started_with_retry_after(api):
    api.script_creates(rate_limited(retry_after="7"), rate_limited(retry_after=None, retry_after_ms="1500"))
    video = provider(api.url)
    with pytest.raises(SubmitNotStarted) as first:
        video.submit(request())
    with pytest.raises(SubmitNotStarted) as second:
        video.submit(request())
    assert (first.value.retry_after, second.value.retry_after) == (7.0, 1.5)
    assert video.submit(request()).upstream_id in api.jobs


def test_should_retry_header_means_not_started(api):
    api.script_creates(server_error(503, should_retry="true"))
    with pytest.raises(SubmitNotStarted):
        provider(api.url).submit(request())


def test_connection_refused_is_not_started():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SubmitNotStarted):
        provider(f"http://127.0.0.1:{port}/v1").submit(request())


def test_read_timeout_after_create_is_unknown_and_never_resent(api, caplog):
    api.script_creates(stall())
    with caplog.at_level(logging.WARNING, "skyriff.providers"), pytest.raises(SubmitUnknown):
        provider(api.url, timeout=SHORT_TIMEOUT).submit(request())
    assert api.create_calls == 1 and len(api.jobs) == 1  # it exists upstream: only a reconcile can find it
    warning = caplog.records[-1]
    assert warning.levelno == logging.WARNING and "relay-a" in warning.getMessage()
    assert "model=sora-2 seconds=15 size=1280x720 prompt_sha256=" in warning.getMessage()


@pytest.mark.parametrize("fault", [server_error(500), server_error(502), raw(200, b'{"object": "video"}')])
def test_5xx_or_malformed_success_is_unknown(api, fault):
    api.script_creates(fault)
    with pytest.raises(SubmitUnknown):
        provider(api.url).submit(request())
    assert api.create_calls == 1


def test_poll_500_is_poll_failed_then_recovers(api):
    video = provider(api.url)
    job = video.submit(request())
    api.script_polls(server_error(500), rate_limited(), raw(200, b"<html>gateway</html>"))
    for _ in range(3):
        with pytest.raises(PollFailed):
            video.poll(job.upstream_id)
    assert video.poll(job.upstream_id).state is UpstreamState.QUEUED


def test_unknown_status_string_keeps_polling(api):
    video = provider(api.url)
    job = video.submit(request())
    api.jobs[job.upstream_id].status_override = "Rendering"
    assert video.poll(job.upstream_id).state is UpstreamState.IN_PROGRESS


@pytest.mark.parametrize("raw_status, state", [
    ("SUCCEEDED", UpstreamState.COMPLETED), ("Pending", UpstreamState.QUEUED),
    ("running", UpstreamState.IN_PROGRESS), ("cancelled", UpstreamState.FAILED),
])
def test_relay_status_spellings(api, raw_status, state):
    video = provider(api.url)
    job = video.submit(request())
    api.jobs[job.upstream_id].status_override = raw_status
    assert video.poll(job.upstream_id).state is state


def test_progress_strings_are_tolerated(api):
    video = provider(api.url)
    job = video.submit(request())
    api.script_polls(raw(200, json.dumps({"id": job.upstream_id, "status": "in_progress", "progress": "65%"})
                         .encode(), {"Content-Type": "application/json"}))
    assert video.poll(job.upstream_id).progress == 65


def test_poll_of_unknown_id_is_failed(api):
    job = provider(api.url).poll("video_missing")
    assert (job.state, job.error_message) == (UpstreamState.FAILED, NOT_FOUND_MESSAGE)


def test_html_404_is_a_wrong_url_not_a_missing_job(api):
    api.script_polls(raw(404, b"<html>not found</html>"))
    with pytest.raises(PollFailed):
        provider(api.url).poll("video_x")


def test_poll_after_header(api):
    video = provider(api.url)
    job = video.submit(request())
    api.poll_after_ms = 2500
    assert video.poll(job.upstream_id).poll_after_seconds == 2.5


def test_download_must_be_an_mp4(api, tmp_path):
    video = provider(api.url)
    job = video.submit(request())
    with pytest.raises(PollFailed):  # not finished yet: the fake answers 400
        video.download(job.upstream_id, tmp_path / "v.mp4", CAP)
    for _ in range(5):
        video.poll(job.upstream_id)
    for body in (b"<html>oops</html>", b"", b"\x00\x00"):
        api.content = body
        with pytest.raises(PollFailed):
            video.download(job.upstream_id, tmp_path / "v.mp4", CAP)


def finished_job(api, video) -> str:
    job = video.submit(request())
    for _ in range(5):
        video.poll(job.upstream_id)
    return job.upstream_id


@pytest.mark.parametrize("content_length", [True, False])
def test_a_download_over_the_cap_is_refused_and_never_held_in_memory(api, tmp_path, content_length):
    """A broken relay serving a huge body: refused from its Content-Length, or once the cap is passed
    when it sends none; what reached the disk is never more than the cap."""
    video = provider(api.url)
    upstream_id = finished_job(api, video)
    api.content = SAMPLE_MP4 + b"\x00" * (3 * 1024 * 1024)
    api.content_length = content_length
    into = tmp_path / "v.mp4"
    with pytest.raises(VideoTooLarge) as refused:
        video.download(upstream_id, into, 1024 * 1024)
    assert "relay-a" in str(refused.value) and KEY not in str(refused.value)
    assert not into.exists() or into.stat().st_size <= 1024 * 1024


def test_a_body_without_content_length_within_the_cap_is_saved(api, tmp_path):
    video = provider(api.url)
    upstream_id = finished_job(api, video)
    api.content = SAMPLE_MP4 + b"\x00" * (2 * 1024 * 1024 + 7)  # over one chunk
    api.content_length = False
    into = tmp_path / "v.mp4"
    assert video.download(upstream_id, into, len(api.content)) == len(api.content)
    assert into.read_bytes() == api.content


def test_from_dict_parses_json_and_toml_shapes():
    expected = OpenAIVideoConfig("relay-a", "https://relay.example/v1", KEY, {"sora2": SORA2, "sora2Pro": REVERSE},
                                 timeout=20.0)
    assert OpenAIVideoConfig.from_dict(json.loads(json.dumps(PLAIN))) == expected
    toml = f'''
name = "relay-a"
base_url = "https://relay.example/v1"
api_key = "{KEY}"
timeout = 20
[models.sora2]
model = "sora-2"
seconds = {{ 10 = "10", 15 = "15", 25 = "25" }}
sizes = {{ "9:16" = "720x1280", "16:9" = "1280x720" }}
square_by_crop = true
[models.sora2Pro]
model = "sora-video"
sizes = {{ "9:16" = "720x1280" }}
model_by_duration = {{ 10 = "sora-video-portrait-10s", 15 = "sora-video-portrait-15s" }}
'''
    assert OpenAIVideoConfig.from_dict(tomllib.loads(toml)) == expected
    assert KEY not in repr(expected)
    with pytest.raises(ValueError):
        OpenAIVideoConfig.from_dict({**PLAIN, "models": {"sora2": {"model": "sora-2"}}})


def test_logs_never_contain_the_key_or_the_prompt(api, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    video = provider(api.url)
    job = video.submit(request())
    for _ in range(5):
        video.poll(job.upstream_id)
    video.download(job.upstream_id, tmp_path / "v.mp4", CAP)
    api.jobs[job.upstream_id].status_override = "weird"
    video.poll(job.upstream_id)
    api.script_creates(moderation_rejected(), server_error(), stall(), rejected(f"bad key {KEY}", status=403))
    impatient = provider(api.url, timeout=SHORT_TIMEOUT)  # only the stalled create should time out
    for client, error in ((video, SubmitRejected), (video, SubmitUnknown), (impatient, SubmitUnknown),
                          (video, SubmitRejected)):
        with pytest.raises(error) as raised:
            client.submit(request())
        assert KEY not in str(raised.value)
    assert caplog.records and KEY not in caplog.text and "secret-prompt-marker" not in caplog.text
    assert PROMPT not in caplog.text
