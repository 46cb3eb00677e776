"""Checking content with the moderator before it is charged for, stored or shown: texts, images and the frames of
a generated video. A moderator that cannot answer gets the policy's `on_error` verdict, logged, so an outage
neither blocks users silently nor lets content through unseen (by default it is held for an operator)."""
from __future__ import annotations

import logging
from pathlib import Path

import attrs

from ..errors import ContentRefused
from ..model.moderation import PASSED, Decision, Verdict, strictest
from ..policy import ModerationPolicy
from ..ports import ContentModerator, FrameSampler, ModerationUnavailable

log = logging.getLogger("skyriff.moderation")
UNAVAILABLE_LABEL = "moderation_unavailable"


@attrs.define
class Screen:
    moderator: ContentModerator
    policy: ModerationPolicy
    frames: FrameSampler | None = None  # None: generated videos are not checked (unit tests of other rules)

    def text(self, kind: str, text: str) -> Decision:
        """An empty text has nothing to check."""
        if not text.strip():
            return PASSED
        try:
            return self.moderator.text(kind, text)
        except ModerationUnavailable as error:
            return self._unavailable(f"text:{kind}", error)

    def image(self, data: bytes) -> Decision:
        try:
            return self.moderator.image(data)
        except ModerationUnavailable as error:
            return self._unavailable("image", error)

    def unreadable(self, what: str) -> Decision:
        """Content we could not even hand to the moderator counts as the moderator failing."""
        return self._unavailable(what, ModerationUnavailable("content unreadable"))

    def fields(self, texts: dict[str, str]) -> Decision:
        """Several fields of one request (title and description), each checked as the kind its name says: the
        first blocked one is refused with 2009 naming it; otherwise the strictest verdict of all."""
        return strictest([refuse_blocked(self.text(field, text), field) for field, text in texts.items()])

    def video(self, mp4: Path) -> Decision:
        """Frames sampled from the video, each checked as an image: the strictest verdict wins. Stops at the
        first blocked frame (nothing after it can change the outcome)."""
        if self.frames is None:
            return PASSED
        decisions = []
        for frame in self.frames.sample(mp4, self.policy.frame_interval_seconds, self.policy.max_frames):
            decision = self.image(frame)
            decisions.append(decision)
            if decision.blocked:
                break
        return strictest(decisions)

    def _unavailable(self, what: str, error: Exception) -> Decision:
        verdict = self.policy.on_error
        log.warning("moderator %s could not check %s (%s): treated as %s", self.moderator.name, what, error,
                    verdict.value)
        return Decision(verdict, (UNAVAILABLE_LABEL,), "", self.moderator.name)


def refuse_blocked(decision: Decision, field: str) -> Decision:
    """The decision, unless it blocks: then 2009 naming the field."""
    if decision.verdict is Verdict.BLOCK:
        log.info("moderation blocked %s (%s, ref %s)", field, ",".join(decision.labels), decision.reference)
        raise ContentRefused(field)
    return decision
