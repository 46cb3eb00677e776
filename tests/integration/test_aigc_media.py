"""AIGC labels in real files: the `AIGC` metadata entry written by ffmpeg and read back by the bundled ffmpeg
itself (imageio-ffmpeg ships no ffprobe), the fake labeler held to the same contract, `AI生成` on the play
copy's frames and the cover, and labels other producers put in images."""
from __future__ import annotations

import io
import math
import subprocess
import tempfile
import zlib
from pathlib import Path

import attrs
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from PIL.PngImagePlugin import PngInfo

from adapters.media.aigc import (
    MIN_TEXT_SHARE,
    FfmpegAigcLabeler,
    _font_data,
    explicit_label,
    glyph_height,
    label_font,
    label_size,
    parse_ffmetadata,
)
from adapters.media.fake import FakeAigcLabeler
from adapters.media.ffmpeg import INPUT, MediaError, ffmpeg_exe, make_test_mp4, probe, run_ffmpeg
from adapters.media.image_labels import read_image_label, xmp_label
from adapters.media.processor import FfmpegMediaProcessor
from skyriff_domain.model.aigc import EXPLICIT_TEXT, AigcLabel
from skyriff_domain.services.aigc import AigcLabels, Verdict

KEY = b"integration-aigc-key"
VALUE = AigcLabel("1", "skyriff", "skyriff-t-1-00112233aabbccdd", "skyriff").signed(KEY).to_json()


@pytest.fixture(scope="module")
def clip() -> bytes:
    return make_test_mp4(seconds=1.0, width=240, height=426)


def read_metadata_with_ffmpeg(data: bytes) -> list[str]:
    """The global metadata lines exactly as the bundled ffmpeg prints them (`-f ffmetadata`), no adapter code."""
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir, "v.mp4")
        path.write_bytes(data)
        out = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path),
                              "-f", "ffmetadata", "-"], capture_output=True, check=True, timeout=60).stdout
    return out.decode().splitlines()


def test_the_label_is_one_metadata_entry_the_bundled_ffmpeg_reads_back(clip):
    labelled = FfmpegAigcLabeler().label(clip, VALUE)
    lines = read_metadata_with_ffmpeg(labelled)
    aigc = [line for line in lines if line.startswith("AIGC=")]
    assert aigc == ["AIGC=" + VALUE]  # nothing in our JSON needs ffmetadata's escaping
    before, after = probe(clip), probe(labelled)
    assert (after.codec, after.width, after.height) == (before.codec, before.width, before.height)
    assert after.duration == pytest.approx(before.duration, abs=0.05)


def test_relabelling_replaces_the_entry_and_piles_nothing_up(clip):
    labeler = FfmpegAigcLabeler()
    data = clip
    for n in range(3):
        data = labeler.label(data, f'{{"Label":"{n}"}}')
    lines = read_metadata_with_ffmpeg(data)
    assert [line for line in lines if line.startswith("AIGC=")] == ['AIGC={"Label":"2"}']
    assert "major_brand=isom" in lines  # once, not "isom;isom;isom"


@pytest.fixture(params=["ffmpeg", "fake"])
def labeler(request):
    return FfmpegAigcLabeler() if request.param == "ffmpeg" else FakeAigcLabeler()


def test_contract_label_then_inspect(labeler, clip, tmp_path):
    assert labeler.inspect(clip) is None
    labelled = labeler.label(clip, VALUE)
    assert labeler.inspect(labelled) == VALUE
    path = tmp_path / "labelled.mp4"
    path.write_bytes(labelled)
    assert labeler.inspect(path) == VALUE
    relabelled = labeler.label(labelled, '{"Label":"1","ProduceID":"中文 = ; # \\\\ 值"}')
    assert labeler.inspect(relabelled) == '{"Label":"1","ProduceID":"中文 = ; # \\\\ 值"}'


def test_contract_the_label_survives_nothing_but_the_bytes_it_is_in(labeler, clip):
    labelled = labeler.label(clip, VALUE)
    assert probe(labelled).has_video and len(labelled) < len(clip) + 4096


def test_the_ffmpeg_labeler_refuses_what_is_not_a_video():
    with pytest.raises(MediaError):
        FfmpegAigcLabeler().label(b"not a video at all" * 50, VALUE)
    with pytest.raises(MediaError):
        FfmpegAigcLabeler().inspect(b"not a video at all" * 50)


@pytest.mark.parametrize(("text", "entries"), [
    (";FFMETADATA1\nAIGC={\"a\":\"b\"}\nencoder=Lavf\n", {"AIGC": '{"a":"b"}', "encoder": "Lavf"}),
    (";FFMETADATA1\nAIGC=x\\=1\\;\\#\\\\y\n", {"AIGC": "x=1;#\\y"}),
    (";FFMETADATA1\nAIGC=line one\\\nline two\ntitle=t\n", {"AIGC": "line one\nline two", "title": "t"}),
    (";FFMETADATA1\n# a comment\n;another\nAIGC=first\nAIGC=second\n[STREAM]\nAIGC=stream\n", {"AIGC": "first"}),
    ("", {}),
])
def test_ffmetadata_parsing(text, entries):
    assert parse_ffmetadata(text) == entries


def test_a_tampered_label_fails_verification_in_a_real_file(clip, tmp_path):
    labels = AigcLabels(FfmpegAigcLabeler(), KEY)
    label = labels.for_video(5)
    path = tmp_path / "v.mp4"
    path.write_bytes(labels.relabel(clip, label))
    assert labels.inspect(path).verdict is Verdict.VERIFIED
    forged = attrs.evolve(label, produce_id="skyriff-t-6-" + label.produce_id.rsplit("-", 1)[1])
    path.write_bytes(FfmpegAigcLabeler().label(clip, forged.to_json()))  # ReservedCode1 kept, ProduceID changed
    result = labels.inspect(path)
    assert result.verdict is Verdict.TAMPERED and result.label.produce_id.startswith("skyriff-t-6-")


# --- the explicit label ----------------------------------------------------------------------------------

def test_the_bundled_font_has_every_glyph_of_the_label():
    cmap = TTFont(io.BytesIO(_font_data()))["cmap"].getBestCmap()
    assert all(ord(char) in cmap for char in EXPLICIT_TEXT)


@pytest.mark.parametrize("shorter_side", [90, 360, 720, 1080, 2160])
def test_every_glyph_is_at_least_five_percent_of_the_shorter_side(shorter_side):
    px, target = label_size(shorter_side), math.ceil(MIN_TEXT_SHARE * shorter_side)
    assert glyph_height(label_font(px)) >= target
    assert glyph_height(label_font(px - 1)) < target  # and no larger than needed
    plate = explicit_label(shorter_side)
    assert plate.height < 0.2 * shorter_side


def solid_clip(width: int, height: int, seconds: float = 2.5) -> bytes:
    return run_ffmpeg(["-f", "lavfi", "-i", f"color=c=0x285078:size={width}x{height}:rate=15:duration={seconds}",
                       "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "out.mp4"])


def frame(video: bytes, at: float | None) -> Image.Image:
    seek = [] if at is None else ["-ss", f"{at:g}"]
    png = run_ffmpeg([*seek, "-i", INPUT, "-frames:v", "1", "-update", "1", "f.png"], video)
    return Image.open(io.BytesIO(png)).convert("RGB")


def label_ink(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box around near-white pixels: the label's text (the watermark is translucent, the source dark)."""
    r, g, b = (channel.point(lambda v: 255 if v > 215 else 0) for channel in image.split())
    return ImageChops.multiply(ImageChops.multiply(r, g), b).getbbox()


@pytest.mark.parametrize(("width", "height"), [(360, 640), (640, 360)])
def test_the_play_copy_shows_the_label_from_the_first_frame_to_the_last_and_the_original_does_not(
        width, height, tmp_path):
    source = tmp_path / "source.mp4"
    source.write_bytes(solid_clip(width, height))
    result = FfmpegMediaProcessor().process_video(source, crop_square=False)
    shorter = min(width, height)
    for at in (None, 1.2, 2.3):  # the first frame, the middle, the end
        box = label_ink(frame(result.watermarked, at))
        assert box is not None, at
        left, top, right, bottom = box
        assert bottom - top >= MIN_TEXT_SHARE * shorter
        assert left > width / 2 and top > height * 0.8  # bottom-right corner, beside the watermark
        assert label_ink(frame(result.original, at)) is None
    cover_box = label_ink(Image.open(io.BytesIO(result.cover)).convert("RGB"))
    assert cover_box is not None and cover_box[3] - cover_box[1] >= MIN_TEXT_SHARE * shorter
    frame(result.watermarked, None).save(tmp_path / "first-frame.png")  # kept for a look when debugging


# --- labels in uploaded images -----------------------------------------------------------------------------

LABEL_JSON = '{"Label":"1","ContentProducer":"doubao","ProduceID":"f123"}'
XMP_ELEMENT = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"><TC260:AIGC>'
               + LABEL_JSON.replace('"', "&quot;") + "</TC260:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>")
XMP_ATTRIBUTE = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmlns:aigc="http://www.tc260.org.cn/'
                 'ns/AIGC/1.0" aigc:AIGC="' + LABEL_JSON.replace('"', "&quot;") + '"/></rdf:RDF></x:xmpmeta>')


def image(fmt: str, **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, fmt, **save)
    return out.getvalue()


def png_text(key: str, value: str, itxt: bool = False) -> bytes:
    info = PngInfo()
    (info.add_itxt if itxt else info.add_text)(key, value)
    return image("PNG", pnginfo=info)


def exif_comment(text: str) -> Image.Exif:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00" + text.encode()
    return exif


@pytest.mark.parametrize(("data", "expected"), [
    (png_text("AIGC", LABEL_JSON), LABEL_JSON),
    (png_text("AIGC", LABEL_JSON, itxt=True), LABEL_JSON),
    (png_text("XML:com.adobe.xmp", XMP_ELEMENT, itxt=True), LABEL_JSON),
    (image("JPEG", xmp=XMP_ELEMENT.encode()), LABEL_JSON),
    (image("WEBP", xmp=XMP_ATTRIBUTE.encode()), LABEL_JSON),
    (image("JPEG", exif=exif_comment('{"AIGC":' + LABEL_JSON + "}")), '{"AIGC":' + LABEL_JSON + "}"),
    (png_text("Comment", "made by hand"), None),
    (image("JPEG", xmp=XMP_ELEMENT.replace("tc260.org.cn", "example.com").encode()), None),
    (image("JPEG"), None),
    (b"not an image", None),
])
def test_labels_other_producers_put_in_images_are_found(data, expected):
    assert read_image_label(data) == expected
    assert FfmpegAigcLabeler().inspect_image(data) == FakeAigcLabeler().inspect_image(data) == expected


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def with_chunk_after_the_image(png: bytes, chunk: bytes) -> bytes:
    """Text chunks may follow the image data (tools append them): insert before IEND."""
    return png[:-12] + chunk + png[-12:]


def test_png_text_anywhere_compressed_or_not_is_found_without_decoding_pixels():
    plain = image("PNG")
    after = with_chunk_after_the_image(plain, png_chunk(b"zTXt", b"AIGC\0\0" + zlib.compress(LABEL_JSON.encode())))
    assert read_image_label(after) == LABEL_JSON
    itxt = b"AIGC\0\x01\0\0\0" + zlib.compress(LABEL_JSON.encode())
    assert read_image_label(with_chunk_after_the_image(plain, png_chunk(b"iTXt", itxt))) == LABEL_JSON
    at = after.index(b"IDAT")
    size = int.from_bytes(after[at - 4:at], "big")
    broken_pixels = after[:at + 4] + b"\xff" * size + after[at + 4 + size:]  # the pixels are never decoded here
    with pytest.raises(OSError):
        Image.open(io.BytesIO(broken_pixels)).load()
    assert read_image_label(broken_pixels) == LABEL_JSON
    bomb = png_chunk(b"zTXt", b"AIGC\0\0" + zlib.compress(b"x" * 50_000_000))
    assert len(read_image_label(with_chunk_after_the_image(plain, bomb))) == 64 * 1024  # inflated no further


def test_a_png_exif_user_comment_is_found():
    exif = exif_comment('{"AIGC":' + LABEL_JSON + "}")
    assert read_image_label(image("PNG", exif=exif.tobytes())) == '{"AIGC":' + LABEL_JSON + "}"
    assert read_image_label(image("PNG", exif=exif_comment("just a photo").tobytes())) is None


def test_xmp_is_searched_not_parsed():
    billion = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert xmp_label(billion + XMP_ELEMENT) == LABEL_JSON
    assert xmp_label(XMP_ELEMENT.replace("&quot;", "&b;")) == LABEL_JSON.replace('"', "&b;")  # left as written
    assert xmp_label('<x xmlns:T="http://www.tc260.org.cn/ns/AIGC/1.0/"><T:AIGC><![CDATA[{"Label":"1"}]]></T:AIGC>'
                     "</x>") == '{"Label":"1"}'
