"""The media adapter against the real bundled ffmpeg and Pillow: tiny clips, hand-made hostile images."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from adapters.media.fake import PassthroughMediaProcessor
from adapters.media.ffmpeg import INPUT, MediaError, make_test_mp4, probe, run_ffmpeg
from adapters.media.processor import FfmpegMediaProcessor
from skyriff_domain.errors import InvalidRequest
from skyriff_domain.ports import BrokenVideo


@pytest.fixture(scope="module")
def clip() -> bytes:
    return make_test_mp4(seconds=1.0, width=240, height=426 // 2 * 2, text="SkyRiff test")


@pytest.fixture(scope="module")
def processor() -> FfmpegMediaProcessor:
    return FfmpegMediaProcessor()


def as_file(tmp_path, data: bytes):
    """The provider's download as the task runner hands it over: a file."""
    path = tmp_path / "upstream.mp4"
    path.write_bytes(data)
    return path


def _image(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 90)).save(out, fmt)
    return out.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A 1x1 PNG whose IHDR claims another size, CRC fixed so only the size is a lie."""
    data = bytearray(_image("PNG", (1, 1)))
    ihdr = 8  # chunk length at 8, type at 12, data at 16..29, CRC at 29
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[ihdr + 4:29])))
    return bytes(data)


# --- ffmpeg helpers ---------------------------------------------------------------------------

def test_make_test_mp4_is_a_real_h264_clip() -> None:
    probed = probe(make_test_mp4(seconds=2.0, width=360, height=640))
    assert probed.has_video and probed.codec == "h264"
    assert (probed.width, probed.height) == (360, 640)
    assert probed.duration == pytest.approx(2.0, abs=0.15)


def test_probe_rejects_garbage() -> None:
    with pytest.raises(MediaError):
        probe(b"definitely not a video" * 10)


def test_run_ffmpeg_reports_stderr_on_failure() -> None:
    with pytest.raises(MediaError, match="ffmpeg"):
        run_ffmpeg(["-i", INPUT, "out.mp4"], b"garbage")


def test_run_ffmpeg_times_out() -> None:
    with pytest.raises(MediaError, match="timed out"):
        run_ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=640x640:rate=30", "-f", "null", "-"], timeout=0.3)


def test_ffmpeg_binary_can_be_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKYRIFF_FFMPEG", "/nonexistent/ffmpeg")
    with pytest.raises(MediaError, match="cannot run ffmpeg"):
        make_test_mp4(seconds=0.2)


# --- process_video --------------------------------------------------------------------------

def test_process_video_keeps_size_and_watermarks(processor: FfmpegMediaProcessor, clip: bytes, tmp_path) -> None:
    result = processor.process_video(as_file(tmp_path, clip), crop_square=False)
    assert result.original == clip
    assert (result.width, result.height) == (240, 426)
    assert result.watermarked != clip
    marked = probe(result.watermarked)
    assert marked.has_video and marked.codec == "h264" and (marked.width, marked.height) == (240, 426)
    assert marked.duration == pytest.approx(1.0, abs=0.15)
    with Image.open(io.BytesIO(result.cover)) as cover:
        assert cover.format == "JPEG" and cover.size == (240, 426)


def test_process_video_crops_to_square(processor: FfmpegMediaProcessor, clip: bytes, tmp_path) -> None:
    result = processor.process_video(as_file(tmp_path, clip), crop_square=True)
    assert (result.width, result.height) == (240, 240)
    for video in (result.original, result.watermarked):
        probed = probe(video)
        assert probed.codec == "h264" and (probed.width, probed.height) == (240, 240)
    with Image.open(io.BytesIO(result.cover)) as cover:
        assert cover.size == (240, 240)


def test_process_video_keeps_audio(processor: FfmpegMediaProcessor, tmp_path) -> None:
    with_audio = run_ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x160:rate=12:duration=0.6",
                             "-f", "lavfi", "-i", "sine=duration=0.6", "-c:v", "libx264", "-preset", "ultrafast",
                             "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "out.mp4"])
    assert probe(with_audio).has_audio
    result = processor.process_video(as_file(tmp_path, with_audio), crop_square=True)
    assert probe(result.original).has_audio and probe(result.watermarked).has_audio
    assert Image.open(io.BytesIO(result.cover)).size == (160, 160)  # short clip: first frame


@pytest.mark.parametrize("data", [b"", b"\x00" * 1000, b"not a video at all", _image("PNG")[:40]])
def test_process_video_rejects_non_video(processor: FfmpegMediaProcessor, data: bytes, tmp_path) -> None:
    with pytest.raises(BrokenVideo):  # the task fails at once: processing it again would fail again
        processor.process_video(as_file(tmp_path, data), crop_square=False)


def test_process_video_reads_a_path_with_odd_characters(processor: FfmpegMediaProcessor, clip: bytes,
                                                        tmp_path) -> None:
    odd = tmp_path / "a:b c" / "concat:x|y.mp4"  # ffmpeg would read "concat:" as a protocol
    odd.parent.mkdir()
    odd.write_bytes(clip)
    assert probe(odd).has_video and processor.process_video(odd, crop_square=False).original == clip


# --- images -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "expected"), [("PNG", "png"), ("JPEG", "jpeg"), ("WEBP", "webp")])
def test_inspect_accepts_png_jpeg_webp(processor: FfmpegMediaProcessor, fmt: str, expected: str) -> None:
    info = processor.inspect_image(_image(fmt, (64, 48)))
    assert (info.format, info.width, info.height) == (expected, 64, 48)
    assert info.content_type == f"image/{expected}"


def _truncated_png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((200, 200), 64).save(out, "PNG")  # noise: the pixel data cannot shrink to nothing
    return out.getvalue()[:-400]


def _eleven_mb() -> bytes:
    png = _image("PNG")
    return png + b"\x00" * (11 * 1024 * 1024 - len(png))


HOSTILE = {
    "gif": lambda: _image("GIF", mode="P"),
    "bmp": lambda: _image("BMP"),
    "text": lambda: "这不是图片 just text".encode() * 20,
    "truncated_png": _truncated_png,
    "empty": lambda: b"",
    "eleven_mb": _eleven_mb,
    "bomb_png": lambda: _png_declaring(50_000, 50_000),
    "over_our_limit": lambda: _png_declaring(8_000, 6_000),  # 48 MP: under Pillow's limit, over ours
}


@pytest.mark.parametrize("name", HOSTILE)
def test_inspect_rejects_hostile_files(processor: FfmpegMediaProcessor, name: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        processor.inspect_image(HOSTILE[name]())
    assert caught.value.field == "file"


def test_inspect_rejects_real_image_over_a_small_pixel_limit() -> None:
    small = FfmpegMediaProcessor(max_image_pixels=10_000)
    data = _image("PNG", (200, 200))  # legit and tiny on disk, but 40,000 pixels
    with pytest.raises(InvalidRequest):
        small.inspect_image(data)
    assert FfmpegMediaProcessor().inspect_image(data).width == 200


@pytest.mark.parametrize("source", [(300, 500), (800, 300), (720, 1280)])
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_fit_image_gives_exact_size(processor: FfmpegMediaProcessor, source: tuple[int, int], fmt: str) -> None:
    for size, expected in (("720x1280", (720, 1280)), ("1280x720", (1280, 720))):
        fitted = processor.fit_image(_image(fmt, source), size)
        with Image.open(io.BytesIO(fitted)) as img:
            assert img.size == expected
            assert img.format == ("JPEG" if fmt == "JPEG" else "PNG")


def test_fit_image_crops_the_centre(processor: FfmpegMediaProcessor) -> None:
    img = Image.new("RGB", (300, 100), (255, 0, 0))
    img.paste((0, 0, 255), (100, 0, 200, 100))  # blue middle third, red sides
    out = io.BytesIO()
    img.save(out, "PNG")
    with Image.open(io.BytesIO(processor.fit_image(out.getvalue(), "50x50"))) as fitted:
        rgb = fitted.convert("RGB")
        for x in (0, 25, 49):  # LANCZOS rings a little at the edges: blue, not exactly (0, 0, 255)
            red, _, blue = rgb.getpixel((x, 25))
            assert red < 16 and blue > 240


# --- the fake -------------------------------------------------------------------------------

def test_passthrough_validates_images_and_passes_video_through(tmp_path) -> None:
    fake = PassthroughMediaProcessor()
    assert fake.inspect_image(_image("PNG")).format == "png"
    with pytest.raises(InvalidRequest):
        fake.inspect_image(_image("GIF", mode="P"))
    assert fake.fit_image(b"abc", "720x1280") == b"abc"
    result = fake.process_video(as_file(tmp_path, b"mp4"), crop_square=True)
    # A square crop reports a square size, as the ffmpeg processor does (the fake used to say 720x1280).
    assert (result.original, result.watermarked, result.width, result.height) == (b"mp4", b"mp4", 720, 720)
    assert Image.open(io.BytesIO(result.cover)).format == "JPEG"
