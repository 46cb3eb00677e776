"""The kit's fakes (adapters.memory.kit) as unit tests use them: with production's Pillow-backed image checks
and image-label reader, so the upload rules those implement stay covered by the use-case tests."""
from __future__ import annotations

import attrs

from adapters.media.fake import FakeAigcLabeler, PassthroughMediaProcessor
from adapters.memory import kit
from adapters.memory.kit import AIGC_KEY, SANDBOX_SECRET, RecordingSms, ScriptedWeChat

__all__ = ["AIGC_KEY", "SANDBOX_SECRET", "Fakes", "RecordingSms", "ScriptedWeChat"]


@attrs.define
class Fakes(kit.Fakes):
    """Every port faked, shared by the use cases a test builds."""

    media: PassthroughMediaProcessor = attrs.field(factory=PassthroughMediaProcessor)
    labeler: FakeAigcLabeler = attrs.field(factory=FakeAigcLabeler)
