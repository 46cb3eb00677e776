"""The screen between use cases and the moderator: verdicts, the strictest of several, and outages."""
import logging

import attrs
import pytest

from skyriff_domain.errors import ContentRefused
from skyriff_domain.model.moderation import PASSED, Decision, Verdict, strictest
from skyriff_domain.policy import ModerationPolicy
from skyriff_domain.services.screening import Screen
from tests.support.moderation import ScriptedFrames, ScriptedModerator


@pytest.fixture
def moderator():
    return ScriptedModerator()


def screen(moderator, **policy):
    return Screen(moderator, ModerationPolicy(**policy), ScriptedFrames())


def test_the_strictest_verdict_wins_with_its_labels():
    review, block = Decision(Verdict.REVIEW, ("Ad",), "r1"), Decision(Verdict.BLOCK, ("Porn",), "r2")
    assert strictest([PASSED, review, block, Decision(Verdict.BLOCK, ("Porn", "Sexy"), "r3")]) == Decision(
        Verdict.BLOCK, ("Porn", "Sexy"), "r2")
    assert strictest([]) == PASSED and strictest([PASSED, review]) == review


def test_empty_text_is_not_sent(moderator):
    assert screen(moderator).text("bio", "  ") == PASSED
    assert moderator.texts == []


@pytest.mark.parametrize("on_error", list(Verdict))
def test_an_unreachable_moderator_gets_the_policys_verdict_and_is_logged(moderator, caplog, on_error):
    moderator.down = True
    with caplog.at_level(logging.WARNING, "skyriff.moderation"):
        decision = screen(moderator, on_error=on_error).text("prompt", "一只猫")
    assert (decision.verdict, decision.labels) == (on_error, ("moderation_unavailable",))
    assert "could not check text:prompt" in caplog.text and "一只猫" not in caplog.text


def test_fields_are_refused_naming_the_first_blocked_one(moderator):
    with pytest.raises(ContentRefused) as refused:
        screen(moderator).fields({"title": "ok", "description": "[block]"})
    assert refused.value.data == {"field": "description"}
    assert screen(moderator).fields({"title": "[review]", "description": "ok"}).verdict is Verdict.REVIEW


def test_a_video_is_as_bad_as_its_worst_frame(moderator):
    s = screen(moderator)
    s.frames.frames = [b"a", b"[review]", b"b"]
    assert s.video(None).verdict is Verdict.REVIEW and len(moderator.images) == 3
    s.frames.frames = [b"[block]", b"[review]"]
    assert s.video(None).verdict is Verdict.BLOCK and moderator.images[-1] == b"[block]"


def test_the_frame_sampling_follows_the_policy(moderator):
    s = screen(moderator, frame_interval_seconds=5.0, max_frames=3)
    s.frames.frames = [b"1", b"2", b"3", b"4"]
    s.video(None)
    assert s.frames.calls == [(5.0, 3)] and moderator.images == [b"1", b"2", b"3"]


def test_without_a_frame_sampler_videos_are_not_checked(moderator):
    assert attrs.evolve(screen(moderator), frames=None).video(None) == PASSED
