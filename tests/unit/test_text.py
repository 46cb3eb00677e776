"""Free text users type: one rule (skyriff_domain.text.clean_text), applied to every field that takes it."""
from __future__ import annotations

import pytest

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.withdrawal import validate_account
from skyriff_domain.money import Credits
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.works import Listing
from skyriff_domain.text import clean_text
from tests.support.usecases import creation, finished_video, profiles, projects, remixes, wallets, works

BAD = {
    "NUL (Cc)": "\x00",
    "BEL (Cc)": "\x07",
    "tab (Cc)": "\t",
    "escape (Cc)": "\x1b",
    "DEL (Cc)": "\x7f",
    "C1 next line (Cc)": "\x85",
    "C1 CSI (Cc)": "\x9b",
    "zero-width space (Cf)": "\u200b",
    "zero-width non-joiner (Cf)": "\u200c",
    "zero-width joiner (Cf)": "\u200d",
    "word joiner (Cf)": "\u2060",
    "BOM (Cf)": "\ufeff",
    "right-to-left override (Cf)": "\u202e",
    "left-to-right isolate (Cf)": "\u2066",
    "soft hyphen (Cf)": "\u00ad",
    "private use (Co)": "\ue000",
    "supplementary private use (Co)": "\U000f0000",
    "lone surrogate (Cs)": "\ud800",
    "line separator (Zl)": "\u2028",
    "paragraph separator (Zp)": "\u2029",
    "Hangul filler (invisible letter)": "\u3164",
    "combining grapheme joiner (invisible mark)": "\u034f",
}
bad_chars = pytest.mark.parametrize("char", list(BAD.values()), ids=list(BAD))


@bad_chars
@pytest.mark.parametrize("multiline", [False, True])
def test_control_format_and_invisible_characters_are_refused(char, multiline):
    with pytest.raises(InvalidRequest) as err:
        clean_text("bio", f"做视频{char}的", 200, multiline=multiline)
    assert err.value.field == "bio" and "bio" in err.value.message
    assert f"U+{ord(char):04X}" in err.value.message


def test_newlines_only_in_multi_line_fields():
    with pytest.raises(InvalidRequest):
        clean_text("nickname", "小\n天", 20)
    for newline in ("\r", "\r\n"):
        with pytest.raises(InvalidRequest):
            clean_text("nickname", f"小{newline}天", 20)
    assert clean_text("bio", "第一行\r\n第二行\r第三行\n", 200, multiline=True) == "第一行\n第二行\n第三行"


def test_text_is_nfc_trimmed_and_measured_after_both():
    assert clean_text("nickname", "  Cafe\u0301\u3000", 4) == "Caf\u00e9"  # decomposed é → one character
    assert clean_text("title", "\u00a0小猫\u00a0", 2, min_len=1) == "小猫"
    assert clean_text("nickname", "😀👍🏽", 20) == "😀👍🏽"  # ordinary emoji (with a skin tone) are fine


def test_lengths():
    with pytest.raises(InvalidRequest) as err:
        clean_text("nickname", "   ", 20, min_len=1)
    assert err.value.data == {"field": "nickname", "reason": "必填"}
    with pytest.raises(InvalidRequest) as err:
        clean_text("nickname", "长" * 21, 20, min_len=1)
    assert err.value.data["reason"] == "需为1-20个字符"
    with pytest.raises(InvalidRequest) as err:
        clean_text("bio", "长" * 201, 200)
    assert err.value.data["reason"] == "不能超过200个字符"
    with pytest.raises(InvalidRequest):
        clean_text("bio", None, 200)


# --- every field that takes free text uses the rule ------------------------------------------------------


@pytest.fixture
def rich(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(500), LedgerType.RECHARGE, "充值")
    return uid


def _publish(fakes, uid, **listing):
    return works(fakes).publish(uid, Listing(finished_video(fakes, uid), **{"title": "作品", **listing}))


FIELDS = {
    "nickname": lambda f, u, t: profiles(f).update(u, nickname=t),
    "bio": lambda f, u, t: profiles(f).update(u, bio=t),
    "title": lambda f, u, t: _publish(f, u, title=t),
    "description": lambda f, u, t: _publish(f, u, description=t),
    "name": lambda f, u, t: projects(f).create(u, t),
    "prompt": lambda f, u, t: creation(f).create_task(u, TaskSpec(t, 10, "9:16", "sora2")),
    "note": lambda f, u, t: creation(f).create_task(u, TaskSpec("猫", 10, "9:16", "sora2", note=t)),
    "prompt_delta": lambda f, u, t: remixes(f).remix(u, _publish(f, u).id, t, 10, "9:16", "sora2"),
    "account_info.name": lambda f, u, t: validate_account("alipay", {"account": "13800138000", "name": t}),
    "account_info.bank_name": lambda f, u, t: validate_account(
        "bank_card", {"card_no": "4111111111111111", "bank_name": t, "name": "张三"}),
}
MULTILINE = {"bio", "description", "prompt", "prompt_delta", "note"}


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("char", ["\x7f", "\x85", "\u200b", "\ufeff", "\ue000", "\t"],
                         ids=["DEL", "C1", "zero-width", "BOM", "private-use", "tab"])
def test_every_text_field_refuses_invisible_characters(fakes, rich, field, char):
    with pytest.raises(InvalidRequest) as err:
        FIELDS[field](fakes, rich, f"中国{char}银行")
    assert err.value.field == field


@pytest.mark.parametrize("field", list(FIELDS))
def test_newlines_are_kept_only_in_multi_line_fields(fakes, rich, field):
    if field in MULTILINE:
        FIELDS[field](fakes, rich, "中国\n银行")
    else:
        with pytest.raises(InvalidRequest) as err:
            FIELDS[field](fakes, rich, "中国\n银行")
        assert err.value.field == field


def test_stored_text_is_nfc_and_trimmed(fakes, rich):
    decomposed = " Cafe\u0301 "
    assert profiles(fakes).update(rich, nickname=decomposed, bio=decomposed).nickname == "Caf\u00e9"
    assert profiles(fakes).get(rich).bio == "Caf\u00e9"
    work = _publish(fakes, rich, title=decomposed, description=decomposed)
    assert (work.title, work.description) == ("Caf\u00e9", "Caf\u00e9")
    assert projects(fakes).create(rich, decomposed).name == "Caf\u00e9"
    task = creation(fakes).create_task(rich, TaskSpec(decomposed, 10, "9:16", "sora2", note=decomposed))
    assert (task.prompt, task.note) == ("Caf\u00e9", "Caf\u00e9")
    remix = remixes(fakes).remix(rich, work.id, decomposed, 10, "9:16", "sora2")
    assert remix.task.prompt.endswith("\nCaf\u00e9")
    assert validate_account("alipay", {"account": "13800138000", "name": decomposed})["name"] == "Caf\u00e9"
