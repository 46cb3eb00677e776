"""A scripted `ContentModerator` and `FrameSampler`: verdicts by marker, an outage on demand."""
from __future__ import annotations

from pathlib import Path

from skyriff_domain.model.moderation import PASSED, Decision, Verdict
from skyriff_domain.ports import ContentModerator, FrameSampler, ModerationUnavailable


class ScriptedModerator(ContentModerator):
    """Texts and images holding "[block]" or "[review]" get that verdict; `down` makes every call fail."""

    name = "scripted"

    def __init__(self) -> None:
        self.down = False
        self.texts: list[tuple[str, str]] = []
        self.images: list[bytes] = []

    def text(self, kind: str, text: str) -> Decision:
        self.texts.append((kind, text))
        return self._decide(text.encode())

    def image(self, data: bytes) -> Decision:
        self.images.append(data)
        return self._decide(data)

    def _decide(self, data: bytes) -> Decision:
        if self.down:
            raise ModerationUnavailable("scripted outage")
        for marker, verdict in ((b"[block]", Verdict.BLOCK), (b"[review]", Verdict.REVIEW)):
            if marker in data:
                return Decision(verdict, (f"scripted_{verdict.value}",), f"ref-{len(self.texts) + len(self.images)}",
                                self.name)
        return PASSED


class ScriptedFrames(FrameSampler):
    """The frames of every video are `frames` (one plain frame by default); records what it was asked."""

    def __init__(self) -> None:
        self.frames: list[bytes] = [b"frame"]
        self.calls: list[tuple[float, int]] = []

    def sample(self, mp4: Path, interval_seconds: float, max_frames: int) -> list[bytes]:
        self.calls.append((interval_seconds, max_frames))
        return list(self.frames[:max_frames])
