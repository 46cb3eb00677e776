"""The kit's fakes (adapters.memory.kit) as unit tests use them: with production's Pillow-backed image checks and
image-label reader, Argon2id passwords (at their cheapest) and pyotp's one-time codes, so the rules those
implement stay covered by the use-case tests."""
from __future__ import annotations

import attrs

from adapters.auth.passwords import Argon2PasswordHasher
from adapters.auth.totp import PyotpCodes
from adapters.media.fake import FakeAigcLabeler, PassthroughMediaProcessor
from adapters.memory import kit
from adapters.memory.kit import AIGC_KEY, SANDBOX_SECRET, RecordingSms, ScriptedWeChat

__all__ = ["AIGC_KEY", "SANDBOX_SECRET", "Fakes", "RecordingSms", "ScriptedWeChat", "cheap_hasher"]


def cheap_hasher() -> Argon2PasswordHasher:
    """Argon2id at its cheapest: the real adapter's code, without 64 MiB and three passes per test login."""
    return Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@attrs.define
class Fakes(kit.Fakes):
    """Every port faked, shared by the use cases a test builds."""

    media: PassthroughMediaProcessor = attrs.field(factory=PassthroughMediaProcessor)
    labeler: FakeAigcLabeler = attrs.field(factory=FakeAigcLabeler)
    hasher: Argon2PasswordHasher = attrs.field(factory=cheap_hasher)
    totp: PyotpCodes = attrs.field(factory=PyotpCodes)
