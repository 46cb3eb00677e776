"""SQL unit of work: one session, one transaction, every repository sharing it."""
from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from skyriff_domain.ports import UnitOfWork

from .repositories.catalog import SqlAssets, SqlProducts
from .repositories.community import SqlDailyTasks, SqlRankings, SqlReactions, SqlTips, SqlWorks
from .repositories.creation import SqlProjects, SqlTasks, SqlVideos
from .repositories.commerce import SqlPayments, SqlReferrals, SqlSubscriptions, SqlWithdrawals
from .repositories.users import SqlFollows, SqlUsers
from .repositories.wallets import SqlCoinLots, SqlLedger, SqlWallets


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, session: Session) -> None:
        self.session = session
        self.users = SqlUsers(session)
        self.follows = SqlFollows(session)
        self.wallets = SqlWallets(session)
        self.ledger = SqlLedger(session)
        self.coin_lots = SqlCoinLots(session)
        self.assets = SqlAssets(session)
        self.products = SqlProducts(session)
        self.payments = SqlPayments(session)
        self.subscriptions = SqlSubscriptions(session)
        self.referrals = SqlReferrals(session)
        self.withdrawals = SqlWithdrawals(session)
        self.tasks = SqlTasks(session)
        self.videos = SqlVideos(session)
        self.projects = SqlProjects(session)
        self.works = SqlWorks(session)
        self.reactions = SqlReactions(session)
        self.tips = SqlTips(session)
        self.daily_tasks = SqlDailyTasks(session)
        self.rankings = SqlRankings(session)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def close(self) -> None:
        self.session.close()


class SqlUnitOfWorkFactory:
    """Callable opening a new unit of work per use-case call (thread-safe: nothing is shared)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions())
