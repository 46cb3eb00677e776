"""The kit's media fakes read images with the standard library; on real files made by Pillow they answer as
production's Pillow checks do (format, size, refusals, AIGC labels in PNG text and XMP)."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from adapters.media.fake import FakeAigcLabeler, PassthroughMediaProcessor
from adapters.memory.kit import MemoryAigcLabeler, MemoryMediaProcessor
from skyriff_domain.errors import InvalidRequest

LABEL = '{"Label":"1","ContentProducer":"doubao"}'
XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/">'
       f'<TC260:AIGC>{LABEL}</TC260:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>')


def image(fmt: str, size=(64, 32), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 128).save(out, fmt, **save)
    return out.getvalue()


REAL = {
    "png": image("PNG"), "png-grey": image("PNG", (7, 300), "L"), "jpeg": image("JPEG"),
    "jpeg-progressive": image("JPEG", (33, 17), progressive=True), "jpeg-exif": image("JPEG", exif=b"Exif\x00\x00MM"),
    "webp-lossy": image("WEBP", (51, 19)), "webp-lossless": image("WEBP", (51, 19), lossless=True),
    "webp-alpha": image("WEBP", (20, 40), "RGBA"),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_format_and_size_as_pillow_decodes_them(name):
    data = REAL[name]
    assert MemoryMediaProcessor().inspect_image(data) == PassthroughMediaProcessor().inspect_image(data)


@pytest.mark.parametrize("data", [b"", b"GIF89a not really", image("GIF"), image("BMP"), REAL["png"][:20],
                                  REAL["jpeg"][:40], REAL["webp-lossy"][:22], b"\xff\xd8\xff\xd9"],
                         ids=["empty", "text", "gif", "bmp", "png-truncated", "jpeg-truncated", "webp-truncated",
                              "jpeg-no-frame"])
def test_what_is_not_a_sound_image_is_refused_on_the_file_field(data):
    for processor in (MemoryMediaProcessor(), PassthroughMediaProcessor()):
        with pytest.raises(InvalidRequest) as err:
            processor.inspect_image(data)
        assert err.value.field == "file"


def test_size_limits_hold():
    with pytest.raises(InvalidRequest, match="图片尺寸过大"):
        MemoryMediaProcessor(max_image_pixels=64 * 32 - 1).inspect_image(REAL["png"])
    with pytest.raises(InvalidRequest, match="不能超过"):
        MemoryMediaProcessor(max_image_bytes=10).inspect_image(REAL["png"])


def png_with(**texts: str) -> bytes:
    info = PngInfo()
    for key, value in texts.items():
        info.add_itxt(key, value, zip=True) if key.startswith("XML") else info.add_text(key, value)
    return image("PNG", pnginfo=info)


@pytest.mark.parametrize("data", [png_with(AIGC=LABEL), png_with(**{"XML:com.adobe.xmp": XMP}), png_with(),
                                  REAL["jpeg"]], ids=["png-text", "png-xmp", "png-plain", "jpeg-plain"])
def test_image_labels_read_as_production_reads_them(data):
    assert MemoryAigcLabeler().inspect_image(data) == FakeAigcLabeler().inspect_image(data)


def test_video_labels_replace_each_other():
    labeler = MemoryAigcLabeler()
    once = labeler.label(b"mp4 bytes", "first")
    assert labeler.inspect(labeler.label(once, "second")) == "second" and labeler.inspect(b"mp4 bytes") is None


def test_a_processed_video_keeps_its_bytes_and_gets_a_jpeg_cover(tmp_path):
    path = tmp_path / "v.mp4"
    path.write_bytes(b"video")
    processed = MemoryMediaProcessor().process_video(path, crop_square=True)
    assert (processed.width, processed.height) == (720, 720)
    assert Image.open(io.BytesIO(processed.cover)).format == "JPEG"
