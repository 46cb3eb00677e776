"""SQL unit of work: one connection, one transaction, every repository sharing it. The repositories speak
SQLAlchemy Core only, so a plain Connection is enough (an ORM Session would only add per-statement cost)."""
from __future__ import annotations

from sqlalchemy import Engine

from skyriff_domain.ports import UnitOfWork

from .engine import reader
from .repositories.catalog import SqlAssets, SqlProducts
from .repositories.community import SqlDailyTasks, SqlRankings, SqlReactions, SqlShares, SqlTips, SqlWorks
from .repositories.creation import SqlCleanDownloads, SqlProjects, SqlTasks, SqlVideos
from .repositories.commerce import SqlPayments, SqlReferrals, SqlSubscriptions, SqlWithdrawals
from .repositories.money_out import SqlRefunds, SqlVerifications
from .repositories.moderation import SqlAppeals, SqlCases, SqlReports, SqlSanctions
from .repositories.console_reads import SqlConsoleReads
from .repositories.operators import (
    SqlAuditLog,
    SqlLedgerChecks,
    SqlOperators,
    SqlOperatorSessions,
    SqlPaymentEvents,
)
from .repositories.redemption import SqlRedemptions
from .repositories.users import SqlFollows, SqlUsers
from .repositories.wallets import SqlCoinLots, SqlLedger, SqlWallets


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, engine: Engine) -> None:
        self.conn = conn = engine.connect()  # a pooled connection; it begins a transaction on first use
        self.users = SqlUsers(conn)
        self.follows = SqlFollows(conn)
        self.wallets = SqlWallets(conn)
        self.ledger = SqlLedger(conn)
        self.coin_lots = SqlCoinLots(conn)
        self.assets = SqlAssets(conn)
        self.products = SqlProducts(conn)
        self.payments = SqlPayments(conn)
        self.subscriptions = SqlSubscriptions(conn)
        self.referrals = SqlReferrals(conn)
        self.withdrawals = SqlWithdrawals(conn)
        self.tasks = SqlTasks(conn)
        self.videos = SqlVideos(conn)
        self.projects = SqlProjects(conn)
        self.clean_downloads = SqlCleanDownloads(conn)
        self.works = SqlWorks(conn)
        self.reactions = SqlReactions(conn)
        self.shares = SqlShares(conn)
        self.tips = SqlTips(conn)
        self.daily_tasks = SqlDailyTasks(conn)
        self.rankings = SqlRankings(conn)
        self.verifications = SqlVerifications(conn)
        self.refunds = SqlRefunds(conn)
        self.cases = SqlCases(conn)
        self.reports = SqlReports(conn)
        self.appeals = SqlAppeals(conn)
        self.sanctions = SqlSanctions(conn)
        self.payment_events = SqlPaymentEvents(conn)
        self.operators = SqlOperators(conn)
        self.operator_sessions = SqlOperatorSessions(conn)
        self.audit = SqlAuditLog(conn)
        self.ledger_checks = SqlLedgerChecks(conn)
        self.console = SqlConsoleReads(conn)
        self.redemptions = SqlRedemptions(conn)

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


class SqlUnitOfWorkFactory:
    """Callable opening a new unit of work per use-case call (thread-safe: nothing is shared)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = reader(engine)  # PostgreSQL: autocommit; SQLite: a deferred BEGIN, no write lock
        # Several reads that must agree with each other (the ledger audit) share one REPEATABLE READ, read-only
        # transaction on PostgreSQL; on SQLite the deferred BEGIN of a reader already reads one snapshot.
        self._snapshot = (engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
                          if engine.dialect.name == "postgresql" else self._reader)

    def __call__(self, read_only: bool = False, snapshot: bool = False) -> SqlUnitOfWork:
        """A new unit of work; `read_only=True` for use cases that only read (it must never write);
        `snapshot=True` for several reads that must agree."""
        if snapshot:
            return SqlUnitOfWork(self._snapshot)
        return SqlUnitOfWork(self._reader if read_only else self.engine)
