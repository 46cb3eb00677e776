"""The embedded moderator: test markers, the word list, image metadata and test cards."""
import io

import pytest
from PIL import Image, PngImagePlugin

from adapters.moderation.local import LocalModerator, parse_rules
from adapters.moderation.test_cards import CARDS, card_verdict
from skyriff_domain.model.moderation import Verdict
from skyriff_domain.ports import ModerationUnavailable


@pytest.mark.parametrize("text, verdict", [
    ("一只猫 [block]", Verdict.BLOCK), ("一只猫 [review]", Verdict.REVIEW), ("[review] 和 [block]", Verdict.BLOCK),
    ("一只猫", Verdict.PASS), ("[block-output] 一只猫", Verdict.PASS), ("[review-output]", Verdict.PASS),
    ("代 开 发 票", Verdict.BLOCK), ("想买  枪吗", Verdict.BLOCK), ("加ＱＱ聊", Verdict.REVIEW),
])
def test_markers_and_the_default_list(text, verdict):
    assert LocalModerator().text("prompt", text).verdict is verdict


def test_a_word_list_file_replaces_the_default(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# 评论\n坏词\nreview: 可疑\nblock: re:^\\d{11}$\n\n", encoding="utf-8")
    moderator = LocalModerator.from_file(path)
    assert moderator.text("bio", "一个坏 词").labels == ("keyword:坏词",)
    assert moderator.text("bio", "有点可疑").verdict is Verdict.REVIEW
    assert moderator.text("bio", "13800138000").verdict is Verdict.BLOCK
    assert moderator.text("bio", "代开发票").verdict is Verdict.PASS  # not on this list
    assert moderator.text("bio", "[block]").verdict is Verdict.BLOCK  # markers always apply


def test_a_bad_pattern_is_refused_at_start_naming_its_line():
    with pytest.raises(ValueError, match="line 2"):
        parse_rules("ok\nre:(unclosed\n")


def png(comment: str | None = None, colour=(10, 120, 200), size=(64, 32), halves=None) -> bytes:
    img = Image.new("RGB", size, colour)
    if halves:
        img.paste(Image.new("RGB", (size[0] // 2, size[1]), halves[1]), (size[0] // 2, 0))
        img.paste(Image.new("RGB", (size[0] // 2, size[1]), halves[0]), (0, 0))
    info = PngImagePlugin.PngInfo()
    if comment:
        info.add_text("Comment", comment)
    out = io.BytesIO()
    img.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg(comment: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (50, 50, 50)).save(out, "JPEG", comment=comment)
    return out.getvalue()


@pytest.mark.parametrize("data, verdict", [
    (png(), Verdict.PASS), (png("[block]"), Verdict.BLOCK), (png("note [review]"), Verdict.REVIEW),
    (jpeg(b"[block]"), Verdict.BLOCK), (jpeg(b"holiday"), Verdict.PASS),
    (png(halves=CARDS[Verdict.BLOCK]), Verdict.BLOCK), (png(halves=CARDS[Verdict.REVIEW]), Verdict.REVIEW),
    (png(halves=tuple(reversed(CARDS[Verdict.BLOCK]))), Verdict.PASS), (png(colour=CARDS[Verdict.BLOCK][0]), Verdict.PASS),
])
def test_images_pass_unless_their_metadata_or_a_test_card_says_otherwise(data, verdict):
    assert LocalModerator().image(data).verdict is verdict


def test_an_unreadable_image_is_the_moderator_failing():
    with pytest.raises(ModerationUnavailable):
        LocalModerator().image(b"not an image")


def test_a_test_card_survives_jpeg():
    out = io.BytesIO()
    Image.open(io.BytesIO(png(size=(360, 640), halves=CARDS[Verdict.REVIEW]))).save(out, "JPEG", quality=30)
    assert card_verdict(Image.open(io.BytesIO(out.getvalue()))) is Verdict.REVIEW
