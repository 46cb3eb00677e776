"""Media without Pillow or ffmpeg: image headers read with the standard library, videos passed through, and the
AIGC label kept in a trailer. The kit's `MediaProcessor` and `AigcLabeler`; production decodes with Pillow and
ffmpeg (adapters.media), and tests/unit/test_kit_media.py holds both to the same answers on real images."""
from __future__ import annotations

import base64
import struct
from pathlib import Path

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.aigc import METADATA_KEY
from skyriff_domain.model.media import ImageInfo, ProcessedVideo
from skyriff_domain.ports import AigcLabeler
from skyriff_domain.ports.creation import MediaProcessor

from ...media.png_text import MAX_VALUE, PNG_SIGNATURE, XMP_KEY, png_metadata, xmp_label

# A 9x16 grey JPEG: the cover of every video processed here.
COVER_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19i"
    "Z2hnPk1xeXBkeFxlZ2P/wAALCAAQAAkBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAI"
    "AQEAAD8AAP/Z")
UNSUPPORTED = "仅支持 PNG、JPEG 或 WebP 图片"
BROKEN = "图片已损坏或不完整"
TOO_LARGE = "图片尺寸过大"
_TRAILER = b"\x00skyriff-fake-aigc\x00"
# JPEG start-of-frame markers (C0-CF) that carry the size; C4, C8 and CC are other segments.
_SOF = {m for m in range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}


class _Broken(Exception):
    pass


def image_info(data: bytes, max_bytes: int = 10 * 1024 * 1024, max_pixels: int = 40_000_000) -> ImageInfo:
    """Format and size from the headers of a PNG, JPEG or WebP; InvalidRequest("file", …) for anything else,
    with the production check's messages. Pixels are not decoded: a file whose headers are sound passes."""
    if not data:
        raise InvalidRequest("file", "文件为空")
    if len(data) > max_bytes:
        raise InvalidRequest("file", f"图片不能超过 {max_bytes / (1024 * 1024):g}MB")
    reader = _png_size if data.startswith(PNG_SIGNATURE) else _jpeg_size if data.startswith(b"\xff\xd8\xff") else \
        _webp_size if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else None
    if reader is None:
        raise InvalidRequest("file", UNSUPPORTED)
    try:
        fmt, width, height = reader(data)
    except (_Broken, struct.error, IndexError):
        raise InvalidRequest("file", BROKEN) from None
    if width <= 0 or height <= 0:
        raise InvalidRequest("file", BROKEN)
    if width * height > max_pixels:
        raise InvalidRequest("file", TOO_LARGE)
    return ImageInfo(fmt, width, height)


def _png_size(data: bytes) -> tuple[str, int, int]:
    length, kind = struct.unpack(">I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        raise _Broken()
    width, height = struct.unpack(">II", data[16:24])
    return "png", width, height


def _jpeg_size(data: bytes) -> tuple[str, int, int]:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise _Broken()
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return "jpeg", width, height
        if marker in (0xD9, 0xDA) or length < 2:  # image data or its end before any frame header
            raise _Broken()
        at += 2 + length
    raise _Broken()


def _webp_size(data: bytes) -> tuple[str, int, int]:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return "webp", width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:
        (bits,) = struct.unpack("<I", data[21:25])
        return "webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return "webp", width, height
    raise _Broken()


class MemoryMediaProcessor(MediaProcessor):
    """Images are checked by their headers; a video passes through untouched, with a fixed tiny cover and the
    size the caller says providers deliver."""

    def __init__(self, max_image_bytes: int = 10 * 1024 * 1024, max_image_pixels: int = 40_000_000,
                 video_size: tuple[int, int] = (720, 1280)) -> None:
        self.max_image_bytes = max_image_bytes
        self.max_image_pixels = max_image_pixels
        self.video_size = video_size

    def inspect_image(self, data: bytes) -> ImageInfo:
        return image_info(data, self.max_image_bytes, self.max_image_pixels)

    def fit_image(self, data: bytes, size: str) -> bytes:
        return data

    def process_video(self, mp4: Path, crop_square: bool) -> ProcessedVideo:
        data = mp4.read_bytes()
        width, height = self.video_size
        if crop_square:
            width = height = min(width, height)
        return ProcessedVideo(data, data, COVER_JPEG, width, height)


class MemoryAigcLabeler(AigcLabeler):
    """Behaves like the ffmpeg labeler (one `AIGC` entry, replaced on relabel) on any bytes; reads an image's
    label from a PNG's text chunks and XMP, as production does (JPEG and WebP metadata, and EXIF, need Pillow)."""

    def label(self, mp4: bytes, value: str) -> bytes:
        return mp4.split(_TRAILER)[0] + _TRAILER + value.encode("utf-8")

    def inspect(self, media: bytes | Path) -> str | None:
        data = media.read_bytes() if isinstance(media, Path) else media
        return data.rsplit(_TRAILER, 1)[1].decode("utf-8") if _TRAILER in data else None

    def inspect_image(self, data: bytes) -> str | None:
        texts, _exif = png_metadata(data) if data.startswith(PNG_SIGNATURE) else ({}, None)
        candidates = [texts.get(METADATA_KEY), xmp_label(texts[XMP_KEY]) if XMP_KEY in texts else None]
        return next((c.strip()[:MAX_VALUE] for c in candidates if isinstance(c, str) and c.strip()), None)
