"""Real-name identity: the resident ID number's own rules (GB 11643: 18 characters, a real birth date, the check
digit), the masks under which a name and a number are ever shown, and age — what minors' limits go by.

The number and the name are kept encrypted (see the PersonalDataCipher port); only their masks and the birth
date leave a verification record, and `mask_id_number` is the one renderer of a number."""
from __future__ import annotations

from datetime import date, datetime

import attrs

from ..errors import InvalidRequest
from ..text import clean_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_DIGITS = "10X98765432"  # the check character for a weighted sum ≡ 0…10 (mod 11)
ADULT_AGE = 18
NAME_MAX = 30


def check_id_number(number: object, today: date) -> date:
    """The birth date of a well-formed resident ID number; 2000 naming `id_number` otherwise. A lower-case x
    is read as X."""
    if not isinstance(number, str):
        raise InvalidRequest("id_number", "需为字符串")
    number = number.strip().upper()
    if len(number) != 18 or not number.isascii() or not number[:17].isdigit() or not (
            number[17].isdigit() or number[17] == "X"):
        raise InvalidRequest("id_number", "需为18位居民身份证号码")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidRequest("id_number", "出生日期无效") from None
    if not date(1900, 1, 1) <= born <= today:
        raise InvalidRequest("id_number", "出生日期无效")
    if CHECK_DIGITS[sum(int(d) * w for d, w in zip(number, WEIGHTS)) % 11] != number[17]:
        raise InvalidRequest("id_number", "校验码不正确")
    return born


def normalize_id_number(number: str) -> str:
    return number.strip().upper()


def clean_real_name(name: object) -> str:
    """A name as written on the ID card: 1–30 characters of text (Chinese names may hold a middle dot)."""
    text = clean_text("real_name", name, NAME_MAX, min_len=1)
    if any(c.isdigit() for c in text):
        raise InvalidRequest("real_name", "姓名不能包含数字")
    return text


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: only the first character shows."""
    return name[:1] + "*" * max(1, len(name) - 1)


def mask_id_number(number: str) -> str:
    """11010519491231002X → 1101**********002X: the one form in which a number is ever shown."""
    return number[:4] + "*" * 10 + number[-4:]


def age_on(born: date, day: date) -> int:
    """Whole years completed on `day` (a birthday counts from its own day; 29 February from 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@attrs.define
class Verification:
    """A user's verified identity: the name and number only as the cipher's tokens, the number's keyed
    fingerprint (how many accounts use one identity), and the birth date."""

    user_id: int
    name_token: str
    number_token: str
    number_fingerprint: str
    birth_date: date
    verified_at: datetime
    id: int | None = None

    def age(self, day: date) -> int:
        return age_on(self.birth_date, day)

    def is_minor(self, day: date) -> bool:
        return self.age(day) < ADULT_AGE
