"""The one rule for free text users type (nicknames, bios, titles, prompts, notes, payee names): no control,
format or invisible characters, NFC, trimmed, within its length."""
from __future__ import annotations

import unicodedata

from .errors import InvalidRequest

# Cc: C0 controls, DEL and the C1 controls; Cf: format characters (zero-width space/joiners, BOM U+FEFF,
# bidirectional overrides, soft hyphen); Co: private use; Cs: lone surrogates; Zl/Zp: U+2028/U+2029,
# which act as line breaks without being ordinary newlines.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})
# Letters and marks that render as nothing, used to fake an empty or look-alike name: Hangul fillers,
# the combining grapheme joiner, Khmer inherent vowels, Mongolian free variation selectors.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f")


def clean_text(field: str, value: object, max_len: int, multiline: bool = False, min_len: int = 0) -> str:
    """The text as stored: NFC, trimmed, `min_len`..`max_len` characters. Only multi-line fields keep
    newlines (CR LF and CR become LF). Anything else invisible is refused with 2000 naming `field`, not
    silently dropped: the user sees exactly what is kept."""
    if not isinstance(value, str):
        raise InvalidRequest(field, "需为字符串")
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in text:
        if char == "\n" and multiline:
            continue
        if char in INVISIBLE or unicodedata.category(char) in REFUSED_CATEGORIES:
            raise InvalidRequest(field, f"不能包含控制字符或不可见字符（U+{ord(char):04X}）")
    text = text.strip()
    if not min_len <= len(text) <= max_len:
        if min_len == 0:
            raise InvalidRequest(field, f"不能超过{max_len}个字符")
        raise InvalidRequest(field, "必填" if not text else f"需为{min_len}-{max_len}个字符")
    return text
