"""AIGC labels in files: the implicit `AIGC` metadata entry of MP4s (written and read with ffmpeg) and the
explicit `AI生成` label drawn on play copies and covers (Pillow, with the bundled subset font).

The label's content and signature are the domain's (skyriff_domain.model.aigc); this module only stores it.
"""
from __future__ import annotations

import functools
import io
import math
from importlib import resources
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from skyriff_domain.model.aigc import EXPLICIT_TEXT, METADATA_KEY
from skyriff_domain.ports import AigcLabeler

from .ffmpeg import INPUT, input_file, run_ffmpeg
from .image_labels import read_image_label

# GB 45438-2025: the explicit label's text is at least 5% of the shorter side of the picture tall.
MIN_TEXT_SHARE = 0.05
# With use_metadata_tags the mp4 muxer writes every global key, these three too, and the demuxer then reads
# them twice (the file type box and the tag): cleared here, so relabelling never piles up "isom;isom;…".
_BRAND_KEYS = ("major_brand", "minor_version", "compatible_brands")


def metadata_args(value: str) -> list[str]:
    """ffmpeg output options that set the one `AIGC` entry (any earlier one replaced) in an MP4."""
    cleared = [arg for key in _BRAND_KEYS for arg in ("-metadata", f"{key}=")]
    return ["-map_metadata", "0", *cleared, "-metadata", f"{METADATA_KEY}={value}",
            "-movflags", "+faststart+use_metadata_tags"]


def parse_ffmetadata(text: str) -> dict[str, str]:
    """The global entries of ffmpeg's `-f ffmetadata` output. A backslash escapes the next character
    ('=', ';', '#', '\\' and newline are escaped that way); ';' or '#' start a comment line; the global
    section ends at the first '[SECTION]'. The first of repeated keys wins."""
    entries: dict[str, str] = {}
    line: list[tuple[str, bool]] = []  # (character, escaped)
    escaped = False
    for char in text + "\n":
        if escaped:
            line.append((char, True))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char != "\n":
            line.append((char, False))
        else:
            if line and not line[0][1] and line[0][0] == "[":
                break
            if line and not (not line[0][1] and line[0][0] in ";#"):
                split = next((i for i, (c, esc) in enumerate(line) if c == "=" and not esc), None)
                if split is not None:
                    key = "".join(c for c, _ in line[:split])
                    entries.setdefault(key, "".join(c for c, _ in line[split + 1:]))
            line = []
    return entries


class FfmpegAigcLabeler(AigcLabeler):
    """Stream copies only: labelling never re-encodes a frame."""

    def __init__(self, timeout: float = 120) -> None:
        self.timeout = timeout

    def label(self, mp4: bytes, value: str) -> bytes:
        args = ["-i", INPUT, "-map", "0:v", "-map", "0:a?", "-c", "copy", *metadata_args(value), "-f", "mp4",
                "out.mp4"]
        return run_ffmpeg(args, mp4, self.timeout)

    def inspect(self, media: bytes | Path) -> str | None:
        if isinstance(media, Path):
            text = run_ffmpeg(["-i", input_file(media), "-f", "ffmetadata", "-"], timeout=self.timeout)
        else:
            text = run_ffmpeg(["-i", INPUT, "-f", "ffmetadata", "-"], media, self.timeout)
        entries = parse_ffmetadata(text.decode("utf-8", "replace"))
        if METADATA_KEY in entries:
            return entries[METADATA_KEY]
        # ffmpeg's own dictionary ignores case when it sets the key; read it the same way.
        return next((v for k, v in entries.items() if k.casefold() == METADATA_KEY.casefold()), None)

    def inspect_image(self, data: bytes) -> str | None:
        return read_image_label(data)


# --- the explicit label ----------------------------------------------------------------------------------

@functools.cache
def _font_data() -> bytes:
    return resources.files(f"{__package__}.fonts").joinpath("aigc-label.otf").read_bytes()


def label_font(px: int) -> ImageFont.FreeTypeFont:
    """The bundled subset font (see fonts/README.md): it holds exactly the glyphs of the label."""
    return ImageFont.truetype(io.BytesIO(_font_data()), px)


def glyph_height(font: ImageFont.FreeTypeFont, text: str = EXPLICIT_TEXT) -> int:
    """The ink height of the label's shortest glyph (the capitals of "AI"): what must reach 5%."""
    heights = []
    for char in text.replace(" ", ""):
        _, top, _, bottom = font.getbbox(char)
        heights.append(bottom - top)
    return min(heights)


@functools.cache
def label_size(shorter_side: int, text: str = EXPLICIT_TEXT) -> int:
    """The smallest font size whose every glyph is at least 5% of `shorter_side` tall."""
    target = max(1, math.ceil(shorter_side * MIN_TEXT_SHARE))
    px = target  # no glyph is taller than its size: step up from there (capitals are ~0.73 em here)
    while glyph_height(label_font(px), text) < target:
        px += 1
    return px


@functools.cache
def explicit_label(shorter_side: int, text: str = EXPLICIT_TEXT) -> Image.Image:
    """`AI生成` in white on a translucent dark plate, sized for a picture whose shorter side is given."""
    font = label_font(label_size(shorter_side, text))
    left, top, right, bottom = font.getbbox(text)
    pad_x, pad_y = max(4, font.size // 3), max(3, font.size // 5)
    plate = Image.new("RGBA", (right - left + 2 * pad_x, bottom - top + 2 * pad_y), (0, 0, 0, 0))
    draw = ImageDraw.Draw(plate)
    draw.rounded_rectangle((0, 0, plate.width - 1, plate.height - 1), radius=max(2, font.size // 4),
                           fill=(0, 0, 0, 110))
    draw.text((pad_x - left, pad_y - top), text, font=font, fill=(255, 255, 255, 245))
    return plate


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def beside(label: Image.Image, mark: Image.Image, gap: int) -> Image.Image:
    """The label to the left of the watermark, bottom edges aligned: one overlay for one corner."""
    canvas = Image.new("RGBA", (label.width + gap + mark.width, max(label.height, mark.height)), (0, 0, 0, 0))
    canvas.alpha_composite(label, (0, canvas.height - label.height))
    canvas.alpha_composite(mark.convert("RGBA"), (label.width + gap, canvas.height - mark.height))
    return canvas
