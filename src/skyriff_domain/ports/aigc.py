"""The port that writes and reads the implicit AIGC label in media files (the label's rules live in
model/aigc.py; here only where it is stored)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path


class AigcLabeler(ABC):
    @abstractmethod
    def label(self, mp4: bytes, value: str) -> bytes:
        """The same MP4 with its one `AIGC` metadata entry set to `value` (any earlier one replaced), streams
        copied untouched. Raises an adapter error when the data is not an MP4 it can rewrite."""

    @abstractmethod
    def inspect(self, media: bytes | Path) -> str | None:
        """The `AIGC` metadata value of a video (its bytes or a path to it), or None when it has none."""

    @abstractmethod
    def inspect_image(self, data: bytes) -> str | None:
        """The AIGC label an uploaded image carries (its JSON text), or None: PNG text chunks, XMP in the
        TC260 namespace, or an EXIF UserComment, as other producers write them."""
