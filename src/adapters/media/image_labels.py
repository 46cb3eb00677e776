"""Reading the AIGC label other producers put in images: a PNG text chunk keyed `AIGC`, XMP in the TC260
namespace (`<TC260:AIGC>{json}</TC260:AIGC>` or an attribute; PNG iTXt, JPEG APP1, WebP chunk), or an EXIF
UserComment holding the JSON.

Only metadata is read, never pixels (the upload was decoded once already): PNG chunks are walked by png_text
(Pillow would decode the whole image to reach text after the image data; the kit shares those readers), JPEG and
WebP metadata comes from Pillow's header parsing.
"""
from __future__ import annotations

import io
import struct

from PIL import Image

from skyriff_domain.model.aigc import METADATA_KEY

from .png_text import MAX_VALUE, PNG_SIGNATURE, XMP_KEY, png_metadata, xmp_label

EXIF_IFD, USER_COMMENT = 0x8769, 0x9286


def user_comment(value: object, endian: str | None = ">") -> str | None:
    """An EXIF UserComment as text: an 8-byte character code, then ASCII, UCS-2 in the file's byte order
    (UNICODE) or undefined bytes (read as UTF-8)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, bytes):
        return None
    code, body = value[:8], value[8:]
    if code.startswith(b"UNICODE"):
        text = body.decode("utf-16-le" if endian == "<" else "utf-16-be", "replace")
        return text.lstrip("\ufeff").rstrip("\x00")
    return body.decode("utf-8", "replace").rstrip("\x00")


def _exif_comment(exif: Image.Exif) -> str | None:
    return user_comment(exif.get_ifd(EXIF_IFD).get(USER_COMMENT), exif.endian)


def read_image_label(data: bytes) -> str | None:
    """The AIGC label text an image carries, or None (also for anything that is not a readable image: the
    upload's own checks have refused those already)."""
    candidates: list[object] = []
    if data.startswith(PNG_SIGNATURE):
        texts, exif_data = png_metadata(data)
        candidates += [texts.get(METADATA_KEY), xmp_label(texts[XMP_KEY]) if XMP_KEY in texts else None]
        comment = _png_exif_comment(exif_data) if exif_data else None
    else:
        try:
            with Image.open(io.BytesIO(data), formats=["JPEG", "WEBP"]) as img:  # headers only, no pixels
                xmp, comment = img.info.get("xmp"), _exif_comment(img.getexif())
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError, struct.error):
            return None
        candidates.append(xmp_label(xmp) if xmp else None)
    if comment and METADATA_KEY in comment:  # a UserComment is free text: only one naming AIGC is a label
        candidates.append(comment)
    return next((c.strip()[:MAX_VALUE] for c in candidates if isinstance(c, str) and c.strip()), None)


def _png_exif_comment(data: bytes) -> str | None:
    exif = Image.Exif()
    try:
        exif.load(data)
        return _exif_comment(exif)
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):  # a broken EXIF block holds no label
        return None
