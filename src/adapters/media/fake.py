"""`MediaProcessor` and `AigcLabeler` for fast unit tests: the kit's (adapters.memory.kit.media), with the
production image checks.

Images are validated with Pillow (the same `check_image` as production) so upload rules stay tested, and
image labels are read as production reads them (XMP in JPEG and WebP, EXIF); videos pass through untouched
with a fixed tiny JPEG as the cover, and the labeler keeps the `AIGC` value in a trailer it can read back (any
bytes will do, so tests need no real MP4).
"""
from __future__ import annotations

from skyriff_domain.model.media import ImageInfo

from ..memory.kit.media import MemoryAigcLabeler, MemoryMediaProcessor
from .image_labels import read_image_label
from .processor import check_image


class PassthroughMediaProcessor(MemoryMediaProcessor):
    def inspect_image(self, data: bytes) -> ImageInfo:
        return check_image(data, self.max_image_bytes, self.max_image_pixels)


class FakeAigcLabeler(MemoryAigcLabeler):
    """Behaves like the ffmpeg labeler (one entry, replaced on relabel) on any bytes."""

    def inspect_image(self, data: bytes) -> str | None:
        return read_image_label(data)
