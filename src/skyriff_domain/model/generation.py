"""Generation tasks: NOT_START → QUEUED → IN_PROGRESS (progress) → SUCCESS | FAILURE, and what providers
can serve. Terminal moves are compare-and-swaps in the repository; only the winner refunds or stores a video."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ..money import Cny, Credits


class TaskStatus(enum.StrEnum):
    NOT_START = "NOT_START"  # stored and paid for, not yet accepted by a provider
    QUEUED = "QUEUED"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.SUCCESS, TaskStatus.FAILURE)


UNFINISHED = (TaskStatus.NOT_START, TaskStatus.QUEUED, TaskStatus.IN_PROGRESS)


@attrs.define
class GenerationTask:
    """One paid generation. Two prompts, kept apart by name: `prompt` is what the task's owner may see (a remix
    of someone's locked prompt shows only a placeholder and the remixer's addition); `upstream_prompt` is what
    the provider is sent — it may hold other people's locked prompts and is never rendered to anyone."""

    user_id: int
    prompt: str
    model: str  # ours: sora2 | sora2Pro
    duration_sec: int
    ratio: str  # 9:16 | 16:9 | 1:1
    cost: Credits  # everything the user paid for this task (generation plus any remix fee)
    created_at: datetime
    upstream_prompt: str = attrs.field(kw_only=True)
    status: TaskStatus = TaskStatus.NOT_START
    progress: int = 0
    project_id: int | None = None
    reference_image_asset_id: int | None = None
    note: str = ""
    provider: str | None = None
    upstream_id: str | None = None
    error_message: str | None = None
    refunded: bool = False
    video_id: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    next_poll_at: datetime | None = None
    remix_of_work_id: int | None = None
    remix_fee: Credits = Credits(0)
    cost_cny: Cny = Cny(0)  # the CNY cost the charged credits carried: what a refund gives back with them
    remix_fee_cost_cny: Cny = Cny(0)  # the part of it that paid the remix fee (the creator's share is taken of it)
    id: int | None = None


class UpstreamState(enum.StrEnum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


@attrs.frozen
class UpstreamJob:
    """A provider's view of one job, in our terms."""

    upstream_id: str
    state: UpstreamState
    progress: int = 0
    error_code: str | None = None
    error_message: str | None = None
    poll_after_seconds: float | None = None  # the provider's hint for the next poll


@attrs.frozen
class ReferenceImage:
    data: bytes
    content_type: str  # image/png | image/jpeg | image/webp


@attrs.frozen
class GenerationRequest:
    """What a provider is asked to make, in our terms; the adapter maps model, seconds and size."""

    prompt: str
    model: str
    duration_sec: int
    ratio: str
    reference_image: ReferenceImage | None = None


@attrs.frozen
class ModelCapability:
    """What one provider can make for one of our models, and how to ask for it.

    `seconds` maps our durations to the provider's `seconds` values (or `model_by_duration` to model
    names, for relays that encode duration in the model); `sizes` maps our ratios to its sizes.
    `square_by_crop`: serve 1:1 by generating at the 9:16 size and centre-cropping in the media step.
    """

    upstream_model: str
    seconds: dict[int, str] = attrs.field(factory=dict)
    sizes: dict[str, str] = attrs.field(factory=dict)
    model_by_duration: dict[int, str] = attrs.field(factory=dict)
    square_by_crop: bool = False

    def serves_duration(self, duration_sec: int) -> bool:
        return duration_sec in self.seconds or duration_sec in self.model_by_duration

    def serves_ratio(self, ratio: str) -> bool:
        return ratio in self.sizes or (ratio == "1:1" and self.square_by_crop and "9:16" in self.sizes)

    def crops_to_square(self, ratio: str) -> bool:
        return ratio == "1:1" and "1:1" not in self.sizes

    def model_for(self, duration_sec: int) -> str:
        return self.model_by_duration.get(duration_sec, self.upstream_model)

    def size_for(self, ratio: str) -> str:
        return self.sizes["9:16"] if self.crops_to_square(ratio) else self.sizes[ratio]
