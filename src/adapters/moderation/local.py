"""The embedded default moderator: a keyword and regular-expression list, plus test markers.

Texts: "[block]" is blocked and "[review]" held, then the word list (SKYRIFF_MODERATION_WORDS, else a small
default list). Images: blocked or held when their metadata (PNG text, JPEG comment, EXIF description or comment)
holds "[block]" or "[review]", or when they show a test card (see test_cards); everything else passes.

The list file has one entry per line: `block: 词` or `review: 词` (no prefix: block), `re:` before a pattern
makes it a regular expression; `#` starts a comment. Words match case-insensitively after NFKC, ignoring
whitespace (so "代 开 发 票" is "代开发票"); patterns match the NFKC, case-folded text.
"""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import attrs
from PIL import Image

from skyriff_domain.model.moderation import PASSED, Decision, Verdict, strictest
from skyriff_domain.ports import ContentModerator, ModerationUnavailable

from .test_cards import card_verdict

MARKERS = {"[block]": Verdict.BLOCK, "[review]": Verdict.REVIEW}
MARKER_LABEL = "test_marker"
DEFAULT_WORDS = """
# The embedded default list: a few unambiguous phrases. Production uses a provider or SKYRIFF_MODERATION_WORDS.
block: 儿童色情
block: 贩卖毒品
block: 出售枪支
block: 代开发票
block: 办理假证
block: re:(买|卖)\\s*(枪|弹药)
review: 加微信
review: 加qq
review: 刷单返利
"""
_EXIF_TEXT_TAGS = (0x010E, 0x9286, 0x9C9C)  # ImageDescription, UserComment, XPComment


@attrs.frozen
class Rule:
    verdict: Verdict
    word: str | None = None  # compacted (see _compact)
    pattern: re.Pattern[str] | None = None

    @property
    def label(self) -> str:
        return f"keyword:{self.word}" if self.word is not None else f"pattern:{self.pattern.pattern}"  # type: ignore[union-attr]


def parse_rules(text: str) -> list[Rule]:
    """The rules of a word list; a malformed regular expression raises ValueError naming its line."""
    rules = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        verdict = Verdict.BLOCK
        for prefix, candidate in (("block:", Verdict.BLOCK), ("review:", Verdict.REVIEW)):
            if line.startswith(prefix):
                verdict, line = candidate, line[len(prefix):].strip()
        if line.startswith("re:"):
            try:
                rules.append(Rule(verdict, pattern=re.compile(_normal(line[3:].strip()))))
            except re.error as error:
                raise ValueError(f"moderation word list line {number}: bad pattern: {error}") from None
        elif _compact(line):
            rules.append(Rule(verdict, word=_compact(line)))
    return rules


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _compact(text: str) -> str:
    return "".join(_normal(text).split())


class LocalModerator(ContentModerator):
    name = "local"

    def __init__(self, rules: list[Rule] | None = None) -> None:
        self.rules = parse_rules(DEFAULT_WORDS) if rules is None else rules

    @classmethod
    def from_file(cls, path: str | Path | None) -> "LocalModerator":
        """The list in `path`, or the default list when no path is given."""
        return cls(parse_rules(Path(path).read_text(encoding="utf-8")) if path else None)

    def text(self, kind: str, text: str) -> Decision:
        decisions = [Decision(verdict, (MARKER_LABEL,), "", self.name)
                     for marker, verdict in MARKERS.items() if marker in text]
        normal, compact = _normal(text), _compact(text)
        for rule in self.rules:
            hit = rule.word in compact if rule.word is not None else rule.pattern.search(normal)  # type: ignore[union-attr]
            if hit:
                decisions.append(Decision(rule.verdict, (rule.label,), "", self.name))
        return strictest(decisions) if decisions else PASSED

    def image(self, data: bytes) -> Decision:
        try:
            with Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "WEBP"]) as img:
                texts = _metadata_texts(img)
                card = card_verdict(img)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            raise ModerationUnavailable(f"local: unreadable image ({type(error).__name__})") from None
        decisions = [Decision(verdict, (MARKER_LABEL,), "", self.name)
                     for marker, verdict in MARKERS.items() if any(marker in t for t in texts)]
        if card is not None:
            decisions.append(Decision(card, ("test_card",), "", self.name))
        return strictest(decisions) if decisions else PASSED


def _metadata_texts(img: Image.Image) -> list[str]:
    """Every text the file carries beside its pixels: PNG text chunks, the JPEG comment, EXIF descriptions."""
    values: list[object] = list(img.info.values())
    try:
        exif = img.getexif()
        values += [exif.get(tag) for tag in _EXIF_TEXT_TAGS]
    except (OSError, ValueError, SyntaxError):
        pass
    texts = []
    for value in values:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "ignore").replace("\x00", "")
        if isinstance(value, str):
            texts.append(value)
    return texts
