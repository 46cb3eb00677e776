"""A scripted `VideoProvider`: each submit and poll takes the next scripted outcome; by default every job
succeeds at once and downloads a few fixed bytes."""
from __future__ import annotations

from collections import deque
from pathlib import Path

from skyriff_domain.model.generation import GenerationRequest, ModelCapability, UpstreamJob, UpstreamState
from skyriff_domain.ports import VideoProvider, VideoTooLarge

ALL_SIZES = {"9:16": "720x1280", "16:9": "1280x720"}
ALL_SECONDS = {10: "10", 15: "15", 25: "25"}


class ScriptedProvider(VideoProvider):
    """Outcomes are UpstreamJob states or exceptions to raise; by default everything succeeds quickly."""

    def __init__(self, name: str = "scripted", capability: ModelCapability | None = None,
                 models: tuple[str, ...] = ("sora2", "sora2Pro")) -> None:
        self.name = name
        self.models = models
        self.cap = capability or ModelCapability("sora-2", dict(ALL_SECONDS), dict(ALL_SIZES), square_by_crop=True)
        self.submits: deque = deque()
        self.polls: deque = deque()
        self.submitted: list[GenerationRequest] = []
        self.downloads = 0
        self.video = b"\x00\x00\x00\x18ftypmp42-fake-video"  # what a download delivers

    def capability(self, model: str) -> ModelCapability | None:
        return self.cap if model in self.models else None

    def submit(self, request: GenerationRequest) -> UpstreamJob:
        self.submitted.append(request)
        outcome = self.submits.popleft() if self.submits else None
        if isinstance(outcome, Exception):
            raise outcome
        return UpstreamJob(f"{self.name}-{len(self.submitted)}", UpstreamState.QUEUED)

    def poll(self, upstream_id: str) -> UpstreamJob:
        outcome = self.polls.popleft() if self.polls else UpstreamJob(upstream_id, UpstreamState.COMPLETED, 100)
        if isinstance(outcome, Exception):
            raise outcome
        return UpstreamJob(upstream_id, outcome.state, outcome.progress, outcome.error_code, outcome.error_message)

    def download(self, upstream_id: str, into: Path, max_bytes: int) -> int:
        self.downloads += 1
        if len(self.video) > max_bytes:
            raise VideoTooLarge(f"{self.name}: {len(self.video)} bytes, over the {max_bytes}-byte cap")
        into.write_bytes(self.video)
        return len(self.video)
