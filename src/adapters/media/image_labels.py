"""Reading the AIGC label other producers put in images: a PNG text chunk keyed `AIGC`, XMP in the TC260
namespace (`<TC260:AIGC>{json}</TC260:AIGC>` or an attribute; PNG iTXt, JPEG APP1, WebP chunk), or an EXIF
UserComment holding the JSON.

Only metadata is read, never pixels (the upload was decoded once already): PNG chunks are walked here (Pillow
would decode the whole image to reach text after the image data), JPEG and WebP metadata comes from Pillow's
header parsing. XMP is searched with patterns, never given to an XML parser (no entities, no external
references from untrusted files); compressed text is inflated to at most 64 KB.
"""
from __future__ import annotations

import html
import io
import re
import struct
import zlib
from collections.abc import Iterator

from PIL import Image

from skyriff_domain.model.aigc import METADATA_KEY

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEY = "XML:com.adobe.xmp"  # the PNG iTXt keyword XMP travels under
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
        text = body.decode("utf-16-le" if endian == "<" else "utf-16-be", "replace")
        return text.lstrip("\ufeff").rstrip("\x00")
    return body.decode("utf-8", "replace").rstrip("\x00")


def _exif_comment(exif: Image.Exif) -> str | None:
    return user_comment(exif.get_ifd(EXIF_IFD).get(USER_COMMENT), exif.endian)


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if len(body) < length or kind == b"IEND":
            return
        yield kind, body
        pos += 12 + length


def _inflate(data: bytes) -> bytes:
    return zlib.decompressobj().decompress(data, MAX_VALUE)


def png_metadata(data: bytes) -> tuple[dict[str, str], bytes | None]:
    """The text chunks (tEXt, zTXt, iTXt; the first of a keyword wins) and the eXIf chunk of a PNG."""
    texts: dict[str, str] = {}
    exif = None
    for kind, body in _png_chunks(data):
        try:
            if kind == b"eXIf":
                exif = exif or body
                continue
            if kind not in (b"tEXt", b"zTXt", b"iTXt"):
                continue
            keyword, _, rest = body.partition(b"\0")
            if kind == b"tEXt":
                value = rest.decode("latin-1")
            elif kind == b"zTXt":
                value = _inflate(rest[1:]).decode("latin-1")
            else:  # iTXt: compression flag, method, language tag, translated keyword, text
                compressed, rest = rest[:1] == b"\x01", rest[2:]
                text = rest.split(b"\0", 2)[-1]
                value = (_inflate(text) if compressed else text).decode("utf-8", "replace")
        except zlib.error:
            continue
        texts.setdefault(keyword.decode("latin-1"), value)
    return texts, exif


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
