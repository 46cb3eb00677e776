"""In-memory unit of work: holds the database lock for its whole life and restores a snapshot on rollback."""
from __future__ import annotations

import copy

from skyriff_domain.ports import UnitOfWork

from .commerce import MemoryPayments, MemoryReferrals, MemorySubscriptions, MemoryWithdrawals
from .community import MemoryDailyTasks, MemoryRankings, MemoryReactions, MemoryShares, MemoryTips, MemoryWorks
from .creation import MemoryCleanDownloads, MemoryProjects, MemoryTasks, MemoryVideos
from .database import MemoryDatabase
from .money_out import MemoryRefunds, MemoryVerifications
from .moderation import MemoryAppeals, MemoryCases, MemoryReports, MemorySanctions
from .console_reads import MemoryConsoleReads
from .operators import (
    MemoryAuditLog,
    MemoryLedgerChecks,
    MemoryOperators,
    MemoryOperatorSessions,
    MemoryPaymentEvents,
)
from .redemption import MemoryRedemptions
from .repositories import (
    MemoryAssets,
    MemoryCoinLots,
    MemoryFollows,
    MemoryLedger,
    MemoryProducts,
    MemoryUsers,
    MemoryWallets,
)


class MemoryUnitOfWork(UnitOfWork):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db
        self.users = MemoryUsers(db)
        self.follows = MemoryFollows(db)
        self.wallets = MemoryWallets(db)
        self.ledger = MemoryLedger(db)
        self.coin_lots = MemoryCoinLots(db)
        self.assets = MemoryAssets(db)
        self.products = MemoryProducts(db)
        self.payments = MemoryPayments(db)
        self.subscriptions = MemorySubscriptions(db)
        self.referrals = MemoryReferrals(db)
        self.withdrawals = MemoryWithdrawals(db)
        self.tasks = MemoryTasks(db)
        self.videos = MemoryVideos(db)
        self.projects = MemoryProjects(db)
        self.clean_downloads = MemoryCleanDownloads(db)
        self.works = MemoryWorks(db)
        self.reactions = MemoryReactions(db)
        self.shares = MemoryShares(db)
        self.tips = MemoryTips(db)
        self.daily_tasks = MemoryDailyTasks(db)
        self.rankings = MemoryRankings(db)
        self.verifications = MemoryVerifications(db)
        self.refunds = MemoryRefunds(db)
        self.cases = MemoryCases(db)
        self.reports = MemoryReports(db)
        self.appeals = MemoryAppeals(db)
        self.sanctions = MemorySanctions(db)
        self.payment_events = MemoryPaymentEvents(db)
        self.operators = MemoryOperators(db)
        self.operator_sessions = MemoryOperatorSessions(db)
        self.audit = MemoryAuditLog(db)
        self.ledger_checks = MemoryLedgerChecks(db)
        self.console = MemoryConsoleReads(db)
        self.redemptions = MemoryRedemptions(db)
        self._snapshot = None
        self.committed = False

    def __enter__(self) -> "MemoryUnitOfWork":
        self.db.lock.acquire()
        self._snapshot = copy.deepcopy(self.db.state)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.rollback()
        finally:
            self.db.lock.release()

    def commit(self) -> None:
        self._snapshot = copy.deepcopy(self.db.state)
        self.committed = True

    def rollback(self) -> None:
        if self._snapshot is not None:
            self.db.state = self._snapshot
            self._snapshot = copy.deepcopy(self._snapshot)


class MemoryUnitOfWorkFactory:
    """Callable that opens a unit of work on one shared in-memory database."""

    def __init__(self, db: MemoryDatabase | None = None) -> None:
        self.db = db or MemoryDatabase()

    def __call__(self, read_only: bool = False, snapshot: bool = False) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db)
