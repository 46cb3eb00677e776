"""The console's read model in SQL: searches with keyset pages, and sums over time windows that each read one
index range (created_at / paid_at / finished_at)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, distinct, func, select
from sqlalchemy.engine import Connection

from skyriff_domain.model.generation import GenerationTask, TaskStatus, UNFINISHED
from skyriff_domain.model.ledger import Account, LedgerType
from skyriff_domain.model.moderation import CaseStatus
from skyriff_domain.model.payment import Payment, PaymentStatus
from skyriff_domain.model.refund import RefundStatus
from skyriff_domain.model.report import Report
from skyriff_domain.model.user import User
from skyriff_domain.model.withdrawal import WithdrawalStatus
from skyriff_domain.money import Cny
from skyriff_domain.ports import ConsoleReads, PaymentQuery, TaskQuery, TaskTiming

from ..mappers import payment_from_row, task_from_row, user_from_row
from ..models import (
    DbLedgerEntry,
    DbModerationCase,
    DbPayment,
    DbRefund,
    DbTask,
    DbTip,
    DbUser,
    DbWithdrawal,
    DbWork,
    DbWorkReport,
)
from .moderation import report_from_row

users, payments, tasks = DbUser.__table__, DbPayment.__table__, DbTask.__table__
ledger, refunds, withdrawals = DbLedgerEntry.__table__, DbRefund.__table__, DbWithdrawal.__table__
cases, reports, works, tips = DbModerationCase.__table__, DbWorkReport.__table__, DbWork.__table__, DbTip.__table__
PAID = (PaymentStatus.PAID.value, PaymentStatus.REFUNDED.value)


class SqlConsoleReads(ConsoleReads):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def users_by_nickname(self, fragment: str, limit: int) -> list[User]:
        stmt = (select(users).where(func.lower(users.c.nickname).contains(fragment.lower(), autoescape=True))
                .order_by(users.c.id.desc()).limit(limit))
        return [user_from_row(r) for r in self.conn.execute(stmt)]

    def payments(self, query: PaymentQuery, before_id: int | None, limit: int) -> list[Payment]:
        stmt = select(payments).order_by(payments.c.id.desc()).limit(limit)
        c = payments.c
        for test, clause in ((query.payment_id is not None, lambda: c.id == query.payment_id),
                             (bool(query.out_trade_no), lambda: c.out_trade_no == query.out_trade_no),
                             (query.user_id is not None, lambda: c.user_id == query.user_id),
                             (query.status is not None, lambda: c.status == query.status.value),
                             (query.since is not None, lambda: c.created_at >= query.since),
                             (query.until is not None, lambda: c.created_at < query.until),
                             (before_id is not None, lambda: c.id < before_id)):
            if test:
                stmt = stmt.where(clause())
        return [payment_from_row(r) for r in self.conn.execute(stmt)]

    def tasks(self, query: TaskQuery, before_id: int | None, limit: int) -> list[GenerationTask]:
        stmt = select(tasks).order_by(tasks.c.id.desc()).limit(limit)
        c = tasks.c
        if query.status is not None:
            stmt = stmt.where(c.status == query.status.value)
        if query.provider:
            stmt = stmt.where(c.provider == query.provider)
        if query.user_id is not None:
            stmt = stmt.where(c.user_id == query.user_id)
        if query.created_before is not None:
            stmt = stmt.where(c.status.in_([s.value for s in UNFINISHED]), c.created_at < query.created_before)
        if before_id is not None:
            stmt = stmt.where(c.id < before_id)
        return [task_from_row(r) for r in self.conn.execute(stmt)]

    def reports_on_works_of(self, creator_id: int, limit: int) -> list[Report]:
        stmt = (select(reports).join(works, works.c.id == reports.c.work_id).where(works.c.creator_id == creator_id)
                .order_by(reports.c.id.desc()).limit(limit))
        return [report_from_row(r) for r in self.conn.execute(stmt)]

    def reports_on_work(self, work_id: int, limit: int) -> list[Report]:
        stmt = select(reports).where(reports.c.work_id == work_id).order_by(reports.c.id.desc()).limit(limit)
        return [report_from_row(r) for r in self.conn.execute(stmt)]

    def tip_sources(self, user_id: int, limit: int) -> list[tuple[int, int]]:
        total = func.sum(tips.c.amount)
        stmt = (select(tips.c.from_user_id, total).where(tips.c.to_user_id == user_id)
                .group_by(tips.c.from_user_id).order_by(total.desc(), tips.c.from_user_id).limit(limit))
        return [(int(fan), int(amount)) for fan, amount in self.conn.execute(stmt)]

    def new_users(self, start: datetime, end: datetime) -> int:
        return int(self.conn.execute(select(func.count()).select_from(users).where(
            users.c.created_at >= start, users.c.created_at < end)).scalar_one())

    def paid(self, start: datetime, end: datetime) -> tuple[int, Cny]:
        row = self.conn.execute(select(func.count(distinct(payments.c.user_id)),
                                       func.coalesce(func.sum(payments.c.amount_fen), 0)).where(
            payments.c.paid_at >= start, payments.c.paid_at < end, payments.c.status.in_(PAID))).one()
        return int(row[0]), Cny(int(row[1]))

    def credit_flows(self, start: datetime, end: datetime) -> dict[LedgerType, tuple[int, int, int]]:
        amount, cost = ledger.c.amount, ledger.c.cost_fen
        stmt = (select(ledger.c.type, func.sum(case(((amount > 0) & (cost > 0), amount), else_=0)),
                       func.sum(case(((amount > 0) & (cost <= 0), amount), else_=0)),
                       func.sum(case((amount < 0, amount), else_=0)))
                .where(ledger.c.created_at >= start, ledger.c.created_at < end,
                       ledger.c.account == Account.CREDITS.value).group_by(ledger.c.type))
        return {LedgerType(t): (int(p or 0), int(f or 0), int(n or 0)) for t, p, f, n in self.conn.execute(stmt)}

    def task_counts(self, start: datetime, end: datetime) -> dict[tuple[str, TaskStatus], int]:
        stmt = (select(tasks.c.provider, tasks.c.status, func.count())
                .where(tasks.c.created_at >= start, tasks.c.created_at < end)
                .group_by(tasks.c.provider, tasks.c.status))
        return {(provider or "", TaskStatus(status)): int(n) for provider, status, n in self.conn.execute(stmt)}

    def task_timings(self, start: datetime, end: datetime, limit: int) -> list[TaskTiming]:
        stmt = (select(tasks.c.provider, tasks.c.status, tasks.c.created_at, tasks.c.finished_at)
                .where(tasks.c.finished_at >= start, tasks.c.finished_at < end)
                .order_by(tasks.c.finished_at.desc()).limit(limit))
        return [TaskTiming(p or "", TaskStatus(s), (finished - created).total_seconds())
                for p, s, created, finished in self.conn.execute(stmt)]

    def refunds(self, start: datetime, end: datetime) -> tuple[int, Cny]:
        row = self.conn.execute(select(func.count(), func.coalesce(func.sum(refunds.c.amount_fen), 0)).where(
            refunds.c.created_at >= start, refunds.c.created_at < end,
            refunds.c.status != RefundStatus.FAILED.value)).one()
        return int(row[0]), Cny(int(row[1]))

    def withdrawal_totals(self, status: WithdrawalStatus) -> tuple[int, Cny]:
        row = self.conn.execute(select(func.count(), func.coalesce(func.sum(withdrawals.c.amount_fen), 0)).where(
            withdrawals.c.status == status.value)).one()
        return int(row[0]), Cny(int(row[1]))

    def open_cases(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(cases).where(
            cases.c.status == CaseStatus.OPEN.value)).scalar_one())
