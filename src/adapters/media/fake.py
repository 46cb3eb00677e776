"""`MediaProcessor` for fast unit tests: real image checks, no ffmpeg.

Images are still validated with Pillow (the same `check_image` as production) so upload rules stay
tested; videos pass through untouched with a fixed tiny JPEG as the cover.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image

from skyriff_domain.model.media import ImageInfo, ProcessedVideo
from skyriff_domain.ports.creation import MediaProcessor

from .processor import check_image


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
