"""`MediaProcessor` and `AigcLabeler` for fast unit tests: real image checks, no ffmpeg.

Images are still validated with Pillow (the same `check_image` as production) so upload rules stay
tested; videos pass through untouched with a fixed tiny JPEG as the cover, and the fake labeler keeps the
`AIGC` value in a trailer it can read back (any bytes will do, so tests need no real MP4).
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image

from skyriff_domain.model.media import ImageInfo, ProcessedVideo
from skyriff_domain.ports import AigcLabeler
from skyriff_domain.ports.creation import MediaProcessor

from .image_labels import read_image_label
from .processor import check_image

_TRAILER = b"\x00skyriff-fake-aigc\x00"


@functools.cache
def fake_cover() -> bytes:
    """A 9x16 grey JPEG, made once."""
    out = io.BytesIO()
    Image.new("RGB", (9, 16), (128, 128, 128)).save(out, "JPEG")
    return out.getvalue()


class PassthroughMediaProcessor(MediaProcessor):
    def __init__(self, max_image_bytes: int = 10 * 1024 * 1024, max_image_pixels: int = 40_000_000) -> None:
        self.max_image_bytes = max_image_bytes
        self.max_image_pixels = max_image_pixels

    def inspect_image(self, data: bytes) -> ImageInfo:
        return check_image(data, self.max_image_bytes, self.max_image_pixels)

    def fit_image(self, data: bytes, size: str) -> bytes:
        return data

    def process_video(self, mp4: Path, crop_square: bool) -> ProcessedVideo:
        data = mp4.read_bytes()
        return ProcessedVideo(data, data, fake_cover(), 720, 1280)


class FakeAigcLabeler(AigcLabeler):
    """Behaves like the ffmpeg labeler (one entry, replaced on relabel) on any bytes."""

    def label(self, mp4: bytes, value: str) -> bytes:
        return mp4.split(_TRAILER)[0] + _TRAILER + value.encode("utf-8")

    def inspect(self, media: bytes | Path) -> str | None:
        data = media.read_bytes() if isinstance(media, Path) else media
        return data.rsplit(_TRAILER, 1)[1].decode("utf-8") if _TRAILER in data else None

    def inspect_image(self, data: bytes) -> str | None:
        return read_image_label(data)
