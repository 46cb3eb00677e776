"""The embedded fake provider delivers a real MP4 of the duration and ratio asked for (at a tiny size, so it stays
fast), test cards included; a 1:1 request is cropped square by the media step like a real provider's."""
from __future__ import annotations

import pytest

from adapters.clock import FixedClock
from adapters.media.ffmpeg import make_test_mp4, probe
from adapters.media.processor import FfmpegMediaProcessor
from adapters.moderation.test_cards import make_card_mp4
from adapters.providers.fake import FakeVideoProvider
from skyriff_domain.model.generation import GenerationRequest, UpstreamState
from skyriff_domain.ports import PollFailed


def finished(prompt: str, seconds: int, ratio: str, tmp_path):
    clock = FixedClock()
    provider = FakeVideoProvider(clock, make_test_mp4, 6.0, make_card=make_card_mp4)
    job = provider.submit(GenerationRequest(prompt, "sora2", seconds, ratio))
    clock.advance(seconds=6)
    assert provider.poll(job.upstream_id).state is UpstreamState.COMPLETED
    path = tmp_path / "video.mp4"
    provider.download(job.upstream_id, path, 50 * 1024 * 1024)
    return path


@pytest.mark.parametrize(("seconds", "ratio", "size"), [(10, "9:16", (180, 320)), (25, "16:9", (320, 180)),
                                                         (15, "1:1", (180, 320))])
def test_the_video_lasts_what_was_asked_at_the_ratio_asked(tmp_path, seconds, ratio, size):
    path = finished("一只猫", seconds, ratio, tmp_path)
    info = probe(path)
    assert info.has_video and (info.width, info.height) == size
    assert abs(info.duration - seconds) < 0.5, info.duration
    if ratio == "1:1":
        processed = FfmpegMediaProcessor().process_video(path, crop_square=True)
        assert processed.width == processed.height == 180
        assert abs(probe(processed.watermarked).duration - seconds) < 0.5


def test_a_test_card_lasts_what_was_asked_too(tmp_path):
    info = probe(finished("一只猫 [block-output]", 15, "16:9", tmp_path))
    assert (info.width, info.height) == (320, 180) and abs(info.duration - 15) < 0.5


def test_a_job_from_before_durations_were_encoded_still_polls():
    provider = FakeVideoProvider(FixedClock(), make_test_mp4)
    assert provider.poll("fake-0-360-640-0").state is UpstreamState.COMPLETED
    with pytest.raises(PollFailed):
        provider.poll("fake-0-360-640-0-10-extra")
