"""Ports: the abstract interfaces the domain needs from the outside world; adapters implement them."""
from .aigc import AigcLabeler
from .commerce import PaymentEventRepository, PaymentRepository, ReferralRepository, SubscriptionRepository, WithdrawalRepository
from .community import (
    DailyTaskRepository,
    RankingRepository,
    ReactionFlags,
    ReactionRepository,
    ShareRepository,
    TipRepository,
    WorkRepository,
)
from .creation import (
    BlobStorage,
    JobQueue,
    MediaProcessor,
    PollFailed,
    SubmitNotStarted,
    SubmitRejected,
    SubmitUnknown,
    VideoProvider,
    BrokenVideo,
    VideoTooLarge,
)
from .money_out import RefundRepository, VerificationRepository
from .creation_repositories import CleanDownloadLog, ProjectRepository, TaskRepository, VideoRepository
from .moderation import (
    AppealRepository,
    CaseRepository,
    ContentModerator,
    FrameSampler,
    ModerationUnavailable,
    ReportRepository,
    SanctionRepository,
)
from .payments import PaymentGateway
from .redemption import RedemptionRepository
from .payouts import (
    IdentityVerifier,
    OutcomeUnknown,
    PayoutGateway,
    PersonalDataCipher,
    RefundGateway,
)
from .auth import OAuthStateStore, SmsCodeStore, SmsSender, TokenIssuer, WeChatLogin
from .repositories import (
    AssetRepository,
    CoinLotRepository,
    DuplicateEntry,
    FollowRepository,
    IdentityTaken,
    LedgerRepository,
    ProductRepository,
    UserRepository,
    WalletRepository,
)
from .system import Clock, IdempotencyRecord, IdempotencyStore, Leases, PageCache, RateLimiter, SecretGenerator
from .unit_of_work import UnitOfWork, UnitOfWorkFactory
from .console_reads import ConsoleReads, PaymentQuery, TaskQuery, TaskTiming
from .operators import (
    AuditLog,
    LedgerCheckRepository,
    OneTimeCodes,
    OperatorRepository,
    OperatorSessionRepository,
    PasswordHasher,
)

__all__ = [
    "IdentityVerifier", "OutcomeUnknown", "PayoutGateway", "PersonalDataCipher", "RefundGateway", "RefundRepository",
    "VerificationRepository",
    "AigcLabeler", "CleanDownloadLog",
    "DailyTaskRepository", "RankingRepository", "ReactionFlags", "ReactionRepository", "ShareRepository", "TipRepository",
    "WorkRepository",
    "BlobStorage", "JobQueue", "MediaProcessor", "PollFailed", "ProjectRepository", "SubmitNotStarted",
    "SubmitRejected", "SubmitUnknown", "TaskRepository", "VideoProvider", "VideoRepository", "VideoTooLarge", "BrokenVideo",
    "AssetRepository", "Clock", "CoinLotRepository", "DuplicateEntry", "FollowRepository", "IdempotencyRecord",
    "IdempotencyStore", "IdentityTaken", "Leases", "LedgerRepository", "OAuthStateStore", "PageCache", "PaymentGateway", "PaymentRepository", "ProductRepository", "ReferralRepository", "SubscriptionRepository",
    "WithdrawalRepository",
    "RateLimiter", "SecretGenerator", "SmsCodeStore", "SmsSender", "TokenIssuer", "UnitOfWork",
    "UnitOfWorkFactory", "UserRepository", "WalletRepository", "WeChatLogin",
    "AppealRepository", "CaseRepository", "ContentModerator", "FrameSampler", "ModerationUnavailable",
    "ReportRepository", "SanctionRepository", "PaymentEventRepository", "RedemptionRepository",
    "ConsoleReads", "PaymentQuery", "TaskQuery", "TaskTiming", "AuditLog", "LedgerCheckRepository", "OneTimeCodes",
    "OperatorRepository", "OperatorSessionRepository", "PasswordHasher",
]
