"""`MediaProcessor` for real: Pillow checks and fits uploaded images, ffmpeg crops, watermarks and covers videos.

Owns the upload image policy (PNG/JPEG/WebP only, size and pixel limits, full decode) and the look of
the SkyRiff watermark; the play copy and the cover also show the explicit AIGC label (see aigc.py).
"""
from __future__ import annotations

import io
import tempfile
import warnings
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.media import ImageInfo, ProcessedVideo
from skyriff_domain.ports.creation import BrokenVideo, MediaProcessor

from .aigc import beside, explicit_label, png
from .ffmpeg import MediaError, VideoProbe, input_file, probe, run_ffmpeg

ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP")

# Re-encode settings for files users keep: H.264 that every phone plays, moov up front for streaming.
_H264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
         "-c:a", "copy", "-movflags", "+faststart"]
# Even sides: yuv420p (and so libx264) rejects odd widths and heights.
_SQUARE = "crop=w='trunc(min(iw,ih)/2)*2':h='trunc(min(iw,ih)/2)*2'"


def _open(data: bytes) -> Image.Image:
    # `formats` keeps Pillow from even trying its other decoders on untrusted bytes.
    return Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))


def check_image(data: bytes, max_bytes: int, max_pixels: int) -> ImageInfo:
    """Decode an upload fully; raise InvalidRequest("file", ...) unless it is a sound PNG, JPEG or WebP."""
    if not data:
        raise InvalidRequest("file", "文件为空")
    if len(data) > max_bytes:
        raise InvalidRequest("file", f"图片不能超过 {max_bytes / (1024 * 1024):g}MB")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; a bomb is a bomb either way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(data) as img:
                fmt, (width, height) = img.format, img.size
                if fmt not in ALLOWED_FORMATS:
                    raise InvalidRequest("file", "仅支持 PNG、JPEG 或 WebP 图片")
                if width * height > max_pixels:
                    raise InvalidRequest("file", "图片尺寸过大")  # checked before any pixel is decoded
                img.verify()
            with _open(data) as img:  # verify() leaves the image unusable: decode from a fresh open
                img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidRequest("file", "图片尺寸过大") from None
    except Image.UnidentifiedImageError:
        raise InvalidRequest("file", "仅支持 PNG、JPEG 或 WebP 图片") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise InvalidRequest("file", "图片已损坏或不完整") from None
    return ImageInfo(fmt.lower(), width, height)


def parse_size(size: str) -> tuple[int, int]:
    """ "720x1280" → (720, 1280)."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise ValueError(f"size must look like 720x1280, got {size!r}") from None
    if width <= 0 or height <= 0:
        raise ValueError(f"size must be positive, got {size!r}")
    return width, height


def _font(px: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=px)  # Pillow ≥ 10.1 with FreeType: a scalable font
    except (TypeError, OSError, ImportError):
        return ImageFont.load_default()


def watermark_image(text: str, video_width: int) -> Image.Image:
    """The mark on a transparent canvas about a fifth of the video's width (rendered here, no ffmpeg fonts)."""
    px = max(12, video_width // 18)
    font = _font(px)
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font)
    pad = max(2, px // 8)
    mark = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    origin = (pad - left, pad - top)
    # A soft shadow keeps the white text readable on bright frames.
    draw.text((origin[0] + max(1, px // 16), origin[1] + max(1, px // 16)), text, font=font, fill=(0, 0, 0, 90))
    draw.text(origin, text, font=font, fill=(255, 255, 255, 160))
    if bottom - top < px / 2:
        # The size-less fallback font is ~11 px whatever we asked: scale the rendered mark instead.
        scale = px / max(1, bottom - top)
        mark = mark.resize((max(1, round(mark.width * scale)), max(1, round(mark.height * scale))),
                           Image.LANCZOS)
    return mark


class FfmpegMediaProcessor(MediaProcessor):
    def __init__(self, watermark_text: str = "SkyRiff", max_image_bytes: int = 10 * 1024 * 1024,
                 max_image_pixels: int = 40_000_000) -> None:
        self.watermark_text = watermark_text
        self.max_image_bytes = max_image_bytes
        self.max_image_pixels = max_image_pixels

    def inspect_image(self, data: bytes) -> ImageInfo:
        return check_image(data, self.max_image_bytes, self.max_image_pixels)

    def fit_image(self, data: bytes, size: str) -> bytes:
        """Centre-crop to the target aspect ratio, resize (LANCZOS) to exactly `size`.

        Output: JPEG stays JPEG (quality 92); PNG and WebP come back as PNG (lossless, keeps alpha).
        """
        info = self.inspect_image(data)
        target = parse_size(size)
        with _open(data) as img:
            img = ImageOps.exif_transpose(img)  # phone photos: crop what the user sees, not the raw sensor
            keep_jpeg = info.format == "jpeg"
            has_alpha = not keep_jpeg and (img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info)
            img = img.convert("RGBA" if has_alpha else "RGB")  # palette images would resize with NEAREST
            fitted = ImageOps.fit(img, target, Image.LANCZOS, centering=(0.5, 0.5))
        out = io.BytesIO()
        if keep_jpeg:
            fitted.save(out, "JPEG", quality=92)
        else:
            fitted.save(out, "PNG")
        return out.getvalue()

    def process_video(self, mp4: Path, crop_square: bool) -> ProcessedVideo:
        """Original (square-cropped if asked), watermarked copy, JPEG cover, and the original's size.
        ffmpeg reads the provider's file where it lies: it is never loaded whole before processing."""
        try:
            source = probe(mp4)
        except MediaError as error:
            raise BrokenVideo(str(error)) from error
        if not source.has_video:
            raise BrokenVideo("the file has no video stream")
        if not crop_square:
            return self._finish(mp4, source)
        with tempfile.TemporaryDirectory(prefix="skyriff-crop-") as workdir:
            cropped = Path(workdir, "cropped.mp4")
            cropped.write_bytes(run_ffmpeg(["-i", input_file(mp4), "-map", "0:v:0", "-map", "0:a?", "-vf", _SQUARE,
                                            *_H264, "out.mp4"]))
            return self._finish(cropped, probe(cropped))

    def _finish(self, original: Path, info: VideoProbe) -> ProcessedVideo:
        """The play copy shows `AI生成` beside the watermark in the bottom-right corner on every frame, the
        cover shows it in the same corner; the original stays clean (the paid download)."""
        label = explicit_label(min(info.width, info.height))
        margin = max(4, info.width // 40)
        marks = png(beside(label, watermark_image(self.watermark_text, info.width), margin))
        overlay = f"[0:v][1:v]overlay=W-w-{margin}:H-h-{margin}:format=auto,format=yuv420p[v]"
        watermarked = run_ffmpeg(["-i", input_file(original), "-i", "marks.png", "-filter_complex", overlay,
                                  "-map", "[v]", "-map", "0:a?", *_H264, "out.mp4"], files={"marks.png": marks})
        # 0.5 s in skips a black or fading first frame, but very short clips may not reach it.
        seek = ["-ss", "0.5"] if info.duration > 1.0 else []
        cover = run_ffmpeg([*seek, "-i", input_file(original), "-i", "label.png", "-filter_complex",
                            f"[0:v][1:v]overlay=W-w-{margin}:H-h-{margin}[v]", "-map", "[v]", "-frames:v", "1",
                            "-q:v", "3", "-update", "1", "cover.jpg"], files={"label.png": png(label)})
        return ProcessedVideo(original.read_bytes(), watermarked, cover, info.width, info.height)
