"""The AIGC label in a PNG's text chunks or in XMP, read with the standard library alone: shared by production's
image-label reader (image_labels, which adds JPEG, WebP and EXIF through Pillow) and the kit's labeler.

XMP is searched with patterns, never given to an XML parser (no entities, no external references from untrusted
files); compressed text is inflated to at most 64 KB.
"""
from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterator

from skyriff_domain.model.aigc import METADATA_KEY

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEY = "XML:com.adobe.xmp"  # the PNG iTXt keyword XMP travels under
_NAMESPACE = re.compile(r'xmlns:([A-Za-z_][\w.-]*)\s*=\s*["\']http://www\.tc260\.org\.cn/ns/AIGC/1\.0/?["\']')
_CDATA = re.compile(r"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.DOTALL)
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
