"""The embedded default provider: no network, a job finishes after a few polls and yields a real MP4 of the
requested duration and ratio (at a tiny size, 180x320 or 320x180, so making it stays fast).

Stateless on purpose: the job id encodes when it started and what was asked, so any worker process (or a
restarted server) can answer polls. Prompts containing "[fail]" fail upstream (content policy), "[reject]"
are refused at submission — handy for trying the failure and refund paths by hand. "[block-output]" and
"[review-output]" deliver a video painted as a test card (see adapters.moderation.test_cards) that the local
moderator blocks or holds, so output moderation can be tried on the embedded defaults too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from skyriff_domain.model.generation import GenerationRequest, ModelCapability, UpstreamJob, UpstreamState
from skyriff_domain.model.moderation import Verdict
from skyriff_domain.ports import Clock, PollFailed, SubmitRejected, VideoProvider, VideoTooLarge

_DURATIONS = {10: "10", 15: "15", 25: "25"}
_SIZES = {"9:16": "180x320", "16:9": "320x180"}  # 1:1 is cropped from the portrait one (square_by_crop)
CONTENT_POLICY = "提示词或参考图不符合内容规范"
# The job id is fake-{started ms}-{width}-{height}-{mode}-{seconds}; mode 0 is a normal video, 1 fails upstream,
# 2 and 3 a video painted as a test card.
_FAILS, _CARDS = 1, {2: Verdict.BLOCK, 3: Verdict.REVIEW}
_OUTPUT_MARKERS = {"[block-output]": 2, "[review-output]": 3}


class FakeVideoProvider(VideoProvider):
    def __init__(self, clock: Clock, make_mp4: Callable[[float, int, int], bytes], seconds_to_finish: float = 6.0,
                 name: str = "fake", make_card: Callable[[float, int, int, Verdict], bytes] | None = None) -> None:
        self.name = name
        self.clock = clock
        self.make_mp4 = make_mp4
        self.make_card = make_card
        self.seconds_to_finish = seconds_to_finish
        self._capability = ModelCapability("fake-sora", dict(_DURATIONS), dict(_SIZES), square_by_crop=True)

    def capability(self, model: str) -> ModelCapability | None:
        return self._capability if model in ("sora2", "sora2Pro") else None

    def submit(self, request: GenerationRequest) -> UpstreamJob:
        if "[reject]" in request.prompt:
            raise SubmitRejected(CONTENT_POLICY)
        started = int(self.clock.now().timestamp() * 1000)
        size = self._capability.size_for(request.ratio).replace("x", "-")
        mode = next((m for marker, m in _OUTPUT_MARKERS.items() if marker in request.prompt), 0)
        mode = _FAILS if "[fail]" in request.prompt else mode
        seconds = self._capability.seconds[request.duration_sec]  # what was asked, as the provider says it
        return UpstreamJob(f"fake-{started}-{size}-{mode}-{seconds}", UpstreamState.QUEUED, 0,
                           poll_after_seconds=1.0)

    def poll(self, upstream_id: str) -> UpstreamJob:
        started, _, _, mode, _ = self._parse(upstream_id)
        elapsed = self.clock.now().timestamp() - started / 1000
        if elapsed < 1:
            return UpstreamJob(upstream_id, UpstreamState.QUEUED, 0, poll_after_seconds=1.0)
        if mode == _FAILS and elapsed >= 2:
            return UpstreamJob(upstream_id, UpstreamState.FAILED, 0, "content_policy", CONTENT_POLICY)
        if elapsed < self.seconds_to_finish:
            progress = int(elapsed / self.seconds_to_finish * 100)
            return UpstreamJob(upstream_id, UpstreamState.IN_PROGRESS, progress, poll_after_seconds=1.0)
        return UpstreamJob(upstream_id, UpstreamState.COMPLETED, 100)

    def download(self, upstream_id: str, into: Path, max_bytes: int) -> int:
        _, width, height, mode, seconds = self._parse(upstream_id)
        card = _CARDS.get(mode)
        video = self.make_card(seconds, width, height, card) if card and self.make_card else \
            self.make_mp4(seconds, width, height)
        if len(video) > max_bytes:
            raise VideoTooLarge(f"{self.name}: {len(video)} bytes, over the {max_bytes}-byte cap")
        into.write_bytes(video)
        return len(video)

    @staticmethod
    def _parse(upstream_id: str) -> tuple[int, int, int, int, float]:
        """started, width, height, mode, seconds (jobs from before the duration was encoded last 2 s)."""
        try:
            _, started, width, height, mode, *rest = upstream_id.split("-")
            seconds = float(rest[0]) if rest else 2.0
            if len(rest) > 1 or not 0 < seconds <= 60:
                raise ValueError(upstream_id)
            return int(started), int(width), int(height), int(mode), seconds
        except ValueError:
            raise PollFailed(f"not a fake job id: {upstream_id}") from None
