"""Reading the AIGC label other producers put in images: a PNG text chunk keyed `AIGC`, XMP in the TC260
namespace (`<TC260:AIGC>{json}</TC260:AIGC>` or an attribute; JPEG APP1, PNG iTXt, WebP chunk), or an EXIF
UserComment holding the JSON. XMP is searched with patterns, never given to an XML parser (no entities, no
external references from untrusted files)."""
from __future__ import annotations

import html
import io
import re

from PIL import Image

from skyriff_domain.model.aigc import METADATA_KEY

FORMATS = ["PNG", "JPEG", "WEBP"]
TC260_NAMESPACE = "http://www.tc260.org.cn/ns/AIGC/1.0/"
_NAMESPACE = re.compile(r'xmlns:([A-Za-z_][\w.-]*)\s*=\s*["\']http://www\.tc260\.org\.cn/ns/AIGC/1\.0/?["\']')
_CDATA = re.compile(r"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.DOTALL)
EXIF_IFD, USER_COMMENT = 0x8769, 0x9286
MAX_VALUE = 64 * 1024  # a label is a few hundred bytes; anything far longer is not one


def xmp_label(xmp: str | bytes) -> str | None:
    """The TC260 `AIGC` property of an XMP packet (element or attribute, any prefix), unescaped."""
    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else xmp
    for prefix in dict.fromkeys(_NAMESPACE.findall(text)):
        name = re.escape(f"{prefix}:{METADATA_KEY}")
        element = re.search(rf"<{name}(?:\s[^>]*)?>(.*?)</{name}\s*>", text, re.DOTALL)
        if element:
            cdata = _CDATA.match(element[1])
            return cdata[1] if cdata else html.unescape(element[1])
        attribute = re.search(rf"\s{name}\s*=\s*(\"([^\"]*)\"|'([^']*)')", text)
        if attribute:
            return html.unescape(attribute[2] if attribute[2] is not None else attribute[3])
    return None


def user_comment(value: object, endian: str | None = ">") -> str | None:
    """An EXIF UserComment as text: an 8-byte character code, then ASCII, UCS-2 in the file's byte order
    (UNICODE) or undefined bytes (read as UTF-8)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, bytes):
        return None
    code, body = value[:8], value[8:]
    if code.startswith(b"UNICODE"):
        return body.decode("utf-16-le" if endian == "<" else "utf-16-be", "replace").lstrip("\ufeff").rstrip("\x00")
    return body.decode("utf-8", "replace").rstrip("\x00")


def read_image_label(data: bytes) -> str | None:
    """The AIGC label text an image carries, or None (also for anything that is not a readable image: the
    upload's own checks have refused those already)."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as img:
            texts = dict(getattr(img, "text", {}) or {})  # PNG: every text chunk, after the image data too
            info = dict(img.info)
            exif = img.getexif()
            comment = user_comment(exif.get_ifd(EXIF_IFD).get(USER_COMMENT), exif.endian)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return None
    candidates = [texts.get(METADATA_KEY), info.get(METADATA_KEY)]
    for xmp in (info.get("xmp"), texts.get("XML:com.adobe.xmp"), info.get("XML:com.adobe.xmp")):
        if xmp:
            candidates.append(xmp_label(xmp))
    if comment and METADATA_KEY in comment:
        candidates.append(comment.strip())
    return next((c[:MAX_VALUE] for c in candidates if isinstance(c, str) and c.strip()), None)
