"""`Fakes`: every port the use cases need, faked in memory with the standard library, on a fixed clock."""
from __future__ import annotations

import attrs

from skyriff_domain.policy import Policy
from skyriff_domain.ports import AigcLabeler, MediaProcessor, OneTimeCodes, PasswordHasher, TokenIssuer

from ...clock import FixedClock
from ...identity.fake import FakeIdentityVerifier, PlainPersonalDataCipher
from ...jobs.in_process import RecordingJobQueue
from ...payments.sandbox import SandboxGateway
from ...secret_generators import SequentialSecrets
from ...storage.memory import MemoryBlobStorage
from ..page_cache import MemoryPageCache
from ..stores import MemoryIdempotencyStore, MemoryLeases, MemoryOAuthStates, MemoryRateLimiter, MemorySmsCodes
from ..unit_of_work import MemoryUnitOfWorkFactory
from .auth import RecordingSms, ScriptedWeChat
from .media import MemoryAigcLabeler, MemoryMediaProcessor
from .moderation import ScriptedFrames, ScriptedModerator
from .operators import Pbkdf2PasswordHasher, TotpCodes
from .money_out import ScriptedPayouts, ScriptedRefunds
from .providers import ScriptedProvider
from .tokens import HmacTokenIssuer

SANDBOX_SECRET = "sandbox-test-secret"  # signs the sandbox channel's notifications (see funding.sandbox_notice)
AIGC_KEY = b"unit-test-aigc-key"  # signs the AIGC labels' ReservedCode1
TOKEN_SECRET = "unit-test-secret-of-at-least-32-bytes!"
CODE_SECRET = "code-secret"  # the HMAC key SMS codes are stored under
REDEEM_SECRET = "redeem-secret"  # the HMAC key redemption codes are stored under


def _tokens() -> HmacTokenIssuer:
    return HmacTokenIssuer(TOKEN_SECRET, Policy().auth.token_ttl)


@attrs.define
class Fakes:
    """Every port faked, shared by the use cases built over it. Fields are public: read what a fake recorded
    (`sms.sent`, `provider.submitted`, `payouts["alipay"].sent`), script what it answers next
    (`provider.polls`, `moderator.down`), move time (`clock.advance(days=1)`), or pass your own adapter:
    `Fakes(uow=SqlUnitOfWorkFactory(engine))`."""

    uow: MemoryUnitOfWorkFactory = attrs.field(factory=MemoryUnitOfWorkFactory)
    clock: FixedClock = attrs.field(factory=FixedClock)  # 2026-01-15 02:00 UTC until moved
    policy: Policy = attrs.field(factory=Policy)
    sms: RecordingSms = attrs.field(factory=RecordingSms)
    codes: MemorySmsCodes = attrs.field(factory=MemorySmsCodes)
    states: MemoryOAuthStates = attrs.field(factory=MemoryOAuthStates)
    limiter: MemoryRateLimiter = attrs.field(factory=MemoryRateLimiter)
    idempotency: MemoryIdempotencyStore = attrs.field(factory=MemoryIdempotencyStore)
    leases: MemoryLeases = attrs.field(factory=MemoryLeases)
    secrets: SequentialSecrets = attrs.field(factory=SequentialSecrets)
    wechat: ScriptedWeChat = attrs.field(factory=ScriptedWeChat)
    gateways: dict = attrs.field(factory=lambda: {"sandbox": SandboxGateway(SANDBOX_SECRET, "http://test/notify")})
    provider: ScriptedProvider = attrs.field(factory=ScriptedProvider)
    storage: MemoryBlobStorage = attrs.field(factory=MemoryBlobStorage)
    media: MediaProcessor = attrs.field(factory=MemoryMediaProcessor)
    labeler: AigcLabeler = attrs.field(factory=MemoryAigcLabeler)
    jobs: RecordingJobQueue = attrs.field(factory=RecordingJobQueue)
    sleeps: list = attrs.field(factory=list)  # what the provider router would have slept between retries
    moderator: ScriptedModerator = attrs.field(factory=ScriptedModerator)
    frames: ScriptedFrames = attrs.field(factory=ScriptedFrames)
    tokens: TokenIssuer = attrs.field(factory=_tokens)
    cipher: PlainPersonalDataCipher = attrs.field(factory=PlainPersonalDataCipher)
    verifier: FakeIdentityVerifier = attrs.field(factory=FakeIdentityVerifier)
    payouts: dict = attrs.field(factory=lambda: {m: ScriptedPayouts(m) for m in ("alipay", "wechat")})
    refund_gateways: dict = attrs.field(factory=lambda: {"sandbox": ScriptedRefunds()})
    hasher: PasswordHasher = attrs.field(factory=Pbkdf2PasswordHasher)  # operators' passwords
    totp: OneTimeCodes = attrs.field(factory=TotpCodes)  # operators' second factor
    page_cache: MemoryPageCache | None = None  # None: feed pages are not cached (each read sees every write)
