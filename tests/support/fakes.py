"""Hand-built use cases over in-memory fakes: what unit tests use instead of the container."""
from __future__ import annotations

import attrs

from adapters.auth.jwt_tokens import JwtTokenIssuer
from adapters.auth.passwords import Argon2PasswordHasher
from adapters.auth.totp import PyotpCodes
from adapters.clock import FixedClock
from adapters.identity.fake import FakeIdentityVerifier, PlainPersonalDataCipher
from adapters.memory.stores import MemoryIdempotencyStore, MemoryOAuthStates, MemoryRateLimiter, MemorySmsCodes
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.jobs.in_process import RecordingJobQueue
from adapters.media.fake import FakeAigcLabeler, PassthroughMediaProcessor
from adapters.payments.sandbox import SandboxGateway
from adapters.storage.memory import MemoryBlobStorage
from adapters.secret_generators import SequentialSecrets
from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile
from skyriff_domain.policy import Policy
from skyriff_domain.ports import SmsSender, WeChatLogin

from .money_out import ScriptedPayouts, ScriptedRefunds
from .moderation import ScriptedFrames, ScriptedModerator
from .providers import ScriptedProvider


SANDBOX_SECRET = "sandbox-test-secret"
AIGC_KEY = b"unit-test-aigc-key"


class RecordingSms(SmsSender):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send_code(self, phone: str, code: str, ttl_minutes: int) -> None:
        self.sent.append((phone, code))

    def last_code(self, phone: str) -> str:
        return [c for p, c in self.sent if p == phone][-1]


class ScriptedWeChat(WeChatLogin):
    """Codes map to profiles the test chose; app and web have their own AppIDs."""

    def __init__(self) -> None:
        self.profiles: dict[tuple[WeChatPlatform, str], WeChatProfile] = {}
        self.exchanged: list[tuple[WeChatPlatform, str]] = []

    def app_id(self, platform: WeChatPlatform) -> str:
        return f"wx_{platform}"

    def redirect_uri(self, platform: WeChatPlatform) -> str:
        return "https://skyriff.example/wechat" if platform is WeChatPlatform.WEB else ""

    def exchange_code(self, platform: WeChatPlatform, code: str) -> WeChatProfile:
        from skyriff_domain.errors import WeChatLoginFailed

        self.exchanged.append((platform, code))
        try:
            return self.profiles[(platform, code)]
        except KeyError:
            raise WeChatLoginFailed("invalid code") from None


@attrs.define
class Fakes:
    """Every port faked, shared by the use cases a test builds."""

    uow: MemoryUnitOfWorkFactory = attrs.field(factory=MemoryUnitOfWorkFactory)
    clock: FixedClock = attrs.field(factory=FixedClock)
    policy: Policy = attrs.field(factory=Policy)
    sms: RecordingSms = attrs.field(factory=RecordingSms)
    codes: MemorySmsCodes = attrs.field(factory=MemorySmsCodes)
    states: MemoryOAuthStates = attrs.field(factory=MemoryOAuthStates)
    limiter: MemoryRateLimiter = attrs.field(factory=MemoryRateLimiter)
    idempotency: MemoryIdempotencyStore = attrs.field(factory=MemoryIdempotencyStore)
    secrets: SequentialSecrets = attrs.field(factory=SequentialSecrets)
    wechat: ScriptedWeChat = attrs.field(factory=ScriptedWeChat)
    gateways: dict = attrs.field(factory=lambda: {"sandbox": SandboxGateway(SANDBOX_SECRET, "http://test/notify")})
    provider: ScriptedProvider = attrs.field(factory=ScriptedProvider)
    storage: MemoryBlobStorage = attrs.field(factory=MemoryBlobStorage)
    media: PassthroughMediaProcessor = attrs.field(factory=PassthroughMediaProcessor)
    labeler: FakeAigcLabeler = attrs.field(factory=FakeAigcLabeler)
    jobs: RecordingJobQueue = attrs.field(factory=RecordingJobQueue)
    sleeps: list = attrs.field(factory=list)
    moderator: ScriptedModerator = attrs.field(factory=ScriptedModerator)
    frames: ScriptedFrames = attrs.field(factory=ScriptedFrames)
    tokens: JwtTokenIssuer = attrs.field(factory=lambda: JwtTokenIssuer("unit-test-secret-of-at-least-32-bytes!", Policy().auth.token_ttl))
    cipher: PlainPersonalDataCipher = attrs.field(factory=PlainPersonalDataCipher)
    verifier: FakeIdentityVerifier = attrs.field(factory=FakeIdentityVerifier)
    payouts: dict = attrs.field(factory=lambda: {m: ScriptedPayouts(m) for m in ("alipay", "wechat")})
    refund_gateways: dict = attrs.field(factory=lambda: {"sandbox": ScriptedRefunds()})
    hasher: Argon2PasswordHasher = attrs.field(factory=lambda: cheap_hasher())
    totp: PyotpCodes = attrs.field(factory=PyotpCodes)


def cheap_hasher() -> Argon2PasswordHasher:
    """Argon2id at its cheapest: the real adapter's code, without 64 MiB and three passes per test login."""
    return Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
