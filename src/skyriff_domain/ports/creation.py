"""Ports of the creation pipeline: video providers, blob storage, media processing, background jobs."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path

from ..model.generation import GenerationRequest, ModelCapability, UpstreamJob
from ..model.media import ImageInfo, ProcessedVideo


class SubmitNotStarted(Exception):
    """The provider surely did not start the job (connection refused, 429, an explicit retry answer):
    safe to retry, or to try another provider."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SubmitRejected(Exception):
    """A definitive no (bad request, content policy): retrying would only fail again. The message is
    readable by users."""


class SubmitUnknown(Exception):
    """Sent, then a timeout or 5xx: the job may exist and bill. Never re-send blindly."""


class PollFailed(Exception):
    """A poll or download did not get an answer (network, 5xx, 429): polls are safe to repeat later."""


class VideoTooLarge(Exception):
    """The finished video is bigger than we accept: downloading it again would not help. The message is
    for logs (sizes, the provider's name), not for users."""


class BrokenVideo(Exception):
    """What a provider delivered is not a video we can process (no video stream, not a media file):
    processing it again would fail again. The message is for logs."""


class VideoProvider(ABC):
    name: str

    @abstractmethod
    def capability(self, model: str) -> ModelCapability | None:
        """What this provider can make for one of our models (None: not this model)."""

    @abstractmethod
    def submit(self, request: GenerationRequest) -> UpstreamJob:
        """Create the upstream job once. Raises SubmitNotStarted, SubmitRejected or SubmitUnknown."""

    @abstractmethod
    def poll(self, upstream_id: str) -> UpstreamJob:
        """The job's state; raises PollFailed when the provider cannot be asked right now."""

    @abstractmethod
    def download(self, upstream_id: str, into: Path, max_bytes: int) -> int:
        """Write the finished MP4 to the file `into` as it arrives (never whole in memory); returns its size.

        Raises PollFailed when it could not be fetched now (retry later), VideoTooLarge as soon as more than
        `max_bytes` are announced or received (the file is then incomplete).
        """


class BlobStorage(ABC):
    """Keys under `public/` may be linked directly; everything else is private (signed links only).
    Keys are plain relative paths ("public/videos/1/2-ab/play.mp4"): adapters refuse ".." and empty
    segments, backslashes, control characters and absolute keys with a ValueError."""

    @abstractmethod
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    @abstractmethod
    def get(self, key: str) -> bytes: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def public_url(self, key: str) -> str: ...

    @abstractmethod
    def signed_url(self, key: str, expires_at: datetime, filename: str | None = None) -> str:
        """A link to a private object that stops working at `expires_at`. With `filename` (letters, digits,
        ".", "_", "-"), the download is saved under that name (Content-Disposition: attachment), and links
        with different names are different links."""


class MediaProcessor(ABC):
    @abstractmethod
    def inspect_image(self, data: bytes) -> ImageInfo:
        """Decode fully; raises InvalidRequest for anything not a PNG, JPEG or WebP, or a decompression bomb."""

    @abstractmethod
    def fit_image(self, data: bytes, size: str) -> bytes:
        """Centre-crop and scale an image to a provider size like "720x1280" (reference images must match)."""

    @abstractmethod
    def process_video(self, mp4: Path, crop_square: bool) -> ProcessedVideo:
        """Read the MP4 from the file `mp4`; optionally centre-crop it to a square, then make the
        watermarked copy and the cover, both showing the explicit AIGC label (`AI生成`; the original stays
        clean). Raises BrokenVideo when the file is not a video it can process; anything else (a busy
        machine, a missing tool) is worth another try."""


class JobQueue(ABC):
    """Background work. The database is the source of truth: a worker loop also finds anything a
    queue lost, so enqueueing is a speed-up, never the only path."""

    @abstractmethod
    def task_created(self, task_id: int) -> None:
        """A paid task is waiting to be submitted to a provider."""

    def task_changed(self, task_id: int) -> None:
        """A provider said the task moved (a webhook): poll it now rather than at its next turn.
        By default nothing: the worker loop polls it on its next pass (its next poll is already due)."""
