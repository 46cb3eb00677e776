"""The unit of work: one transaction across repositories; nothing is written unless `commit` is called."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Callable

from .community import (
    DailyTaskRepository,
    RankingRepository,
    ReactionRepository,
    ShareRepository,
    TipRepository,
    WorkRepository,
)
from .money_out import RefundRepository, VerificationRepository
from .creation_repositories import CleanDownloadLog, ProjectRepository, TaskRepository, VideoRepository
from .moderation import AppealRepository, CaseRepository, ReportRepository, SanctionRepository
from .console_reads import ConsoleReads
from .operators import AuditLog, LedgerCheckRepository, OperatorRepository, OperatorSessionRepository
from .commerce import PaymentEventRepository, PaymentRepository, ReferralRepository, SubscriptionRepository, WithdrawalRepository
from .redemption import RedemptionRepository
from .repositories import (
    AssetRepository,
    CoinLotRepository,
    FollowRepository,
    LedgerRepository,
    ProductRepository,
    UserRepository,
    WalletRepository,
)


class UnitOfWork(ABC):
    users: UserRepository
    follows: FollowRepository
    wallets: WalletRepository
    ledger: LedgerRepository
    coin_lots: CoinLotRepository
    assets: AssetRepository
    products: ProductRepository
    payments: PaymentRepository
    subscriptions: SubscriptionRepository
    referrals: ReferralRepository
    withdrawals: WithdrawalRepository
    tasks: TaskRepository
    videos: VideoRepository
    projects: ProjectRepository
    clean_downloads: CleanDownloadLog
    works: WorkRepository
    reactions: ReactionRepository
    shares: ShareRepository
    tips: TipRepository
    daily_tasks: DailyTaskRepository
    rankings: RankingRepository
    verifications: VerificationRepository
    refunds: RefundRepository
    cases: CaseRepository
    reports: ReportRepository
    appeals: AppealRepository
    sanctions: SanctionRepository
    payment_events: PaymentEventRepository
    operators: OperatorRepository
    operator_sessions: OperatorSessionRepository
    audit: AuditLog
    ledger_checks: LedgerCheckRepository
    console: ConsoleReads  # the console's read model (searches and sums)
    redemptions: RedemptionRepository

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()
        self.close()

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None:
        """Undo everything not committed (a no-op after commit)."""

    def close(self) -> None:
        """Release the connection."""


# Call with read_only=True where a use case only reads: SQL adapters may then skip the transaction
# (autocommit), saving two round trips per request on the hottest paths. snapshot=True: several reads that must
# agree (an audit) see one consistent snapshot of the database.
UnitOfWorkFactory = Callable[..., UnitOfWork]
