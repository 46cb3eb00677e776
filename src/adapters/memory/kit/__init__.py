"""The testing kit: every use case of `skyriff_domain` over in-memory fakes, with the standard library and attrs
only, the way this project's own unit tests build them (tests/support is a thin layer over this package).

    from adapters.memory.kit import build_use_cases, new_user, pay

    uc = build_use_cases()                       # Fakes() + every use case; the clock is fixed until moved
    alice = new_user(uc.fakes, "13800138000")
    pay(uc.fakes, alice, "credits_30")           # 600 credits bought through the sandbox channel
    uc.wallets.overview(alice).credits           # Credits(600)

See docs/library.md: installing the domain alone, swapping in the SQL adapters, writing an adapter for a port.
"""
from __future__ import annotations

from .auth import RecordingSms, ScriptedWeChat
from .fakes import AIGC_KEY, CODE_SECRET, REDEEM_SECRET, SANDBOX_SECRET, TOKEN_SECRET, Fakes
from .funding import buy_pack, buy_pack_on, finished_video, new_user, pay, sandbox_notice, verify
from .media import MemoryAigcLabeler, MemoryMediaProcessor
from .moderation import ScriptedFrames, ScriptedModerator
from .money_out import ADULT_ID, ScriptedPayouts, ScriptedRefunds, id_number
from .operators import Pbkdf2PasswordHasher, TotpCodes
from .providers import ScriptedProvider
from .tokens import HmacTokenIssuer
from .use_cases import UseCases, build_use_cases

__all__ = [
    "ADULT_ID", "AIGC_KEY", "CODE_SECRET", "REDEEM_SECRET", "SANDBOX_SECRET", "TOKEN_SECRET", "Fakes",
    "HmacTokenIssuer", "MemoryAigcLabeler", "MemoryMediaProcessor", "Pbkdf2PasswordHasher", "RecordingSms",
    "ScriptedFrames", "ScriptedModerator", "TotpCodes",
    "ScriptedPayouts", "ScriptedProvider", "ScriptedRefunds", "ScriptedWeChat", "UseCases", "build_use_cases",
    "buy_pack", "buy_pack_on", "finished_video", "id_number", "new_user", "pay", "sandbox_notice", "verify",
]
