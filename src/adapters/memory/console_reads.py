"""The console's read model over the in-memory state: the same searches and sums as the SQL one."""
from __future__ import annotations

import copy
from collections import Counter, defaultdict
from datetime import datetime

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

from .database import MemoryDatabase

_copy = copy.deepcopy
PAID = (PaymentStatus.PAID, PaymentStatus.REFUNDED)


def _within(at: datetime | None, start: datetime, end: datetime) -> bool:
    return at is not None and start <= at < end


class MemoryConsoleReads(ConsoleReads):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _s(self):
        return self.db.state

    def users_by_nickname(self, fragment: str, limit: int) -> list[User]:
        needle = fragment.casefold()
        rows = sorted((u for u in self._s.users.values() if needle in u.nickname.casefold()), key=lambda u: -u.id)
        return _copy(rows[:limit])

    def payments(self, query: PaymentQuery, before_id: int | None, limit: int) -> list[Payment]:
        def keep(p: Payment) -> bool:
            return ((query.payment_id is None or p.id == query.payment_id)
                    and (not query.out_trade_no or p.out_trade_no == query.out_trade_no)
                    and (query.user_id is None or p.user_id == query.user_id)
                    and (query.status is None or p.status is query.status)
                    and (query.since is None or p.created_at >= query.since)
                    and (query.until is None or p.created_at < query.until)
                    and (before_id is None or p.id < before_id))
        return _copy(sorted(filter(keep, self._s.payments.values()), key=lambda p: -p.id)[:limit])

    def tasks(self, query: TaskQuery, before_id: int | None, limit: int) -> list[GenerationTask]:
        def keep(t: GenerationTask) -> bool:
            return ((query.status is None or t.status is query.status)
                    and (not query.provider or t.provider == query.provider)
                    and (query.user_id is None or t.user_id == query.user_id)
                    and (query.created_before is None or (t.status in UNFINISHED
                                                          and t.created_at < query.created_before))
                    and (before_id is None or t.id < before_id))
        return _copy(sorted(filter(keep, self._s.tasks.values()), key=lambda t: -t.id)[:limit])

    def reports_on_works_of(self, creator_id: int, limit: int) -> list[Report]:
        works = {w.id for w in self._s.works.values() if w.creator_id == creator_id}
        rows = sorted((r for r in self._s.reports.values() if r.work_id in works), key=lambda r: -r.id)
        return _copy(rows[:limit])

    def reports_on_work(self, work_id: int, limit: int) -> list[Report]:
        return _copy(sorted((r for r in self._s.reports.values() if r.work_id == work_id), key=lambda r: -r.id)[:limit])

    def tip_sources(self, user_id: int, limit: int) -> list[tuple[int, int]]:
        sums: Counter = Counter()
        for _, _, from_user, to_user, amount, _ in self._s.tips:
            if to_user == user_id:
                sums[from_user] += amount
        return sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    def new_users(self, start: datetime, end: datetime) -> int:
        return sum(1 for u in self._s.users.values() if _within(u.created_at, start, end))

    def paid(self, start: datetime, end: datetime) -> tuple[int, Cny]:
        rows = [p for p in self._s.payments.values() if p.status in PAID and _within(p.paid_at, start, end)]
        return len({p.user_id for p in rows}), sum((p.amount for p in rows), Cny(0))

    def credit_flows(self, start: datetime, end: datetime) -> dict[LedgerType, tuple[int, int, int]]:
        flows: dict[LedgerType, list[int]] = defaultdict(lambda: [0, 0, 0])
        for e in self._s.ledger:
            if e.account is Account.CREDITS and _within(e.created_at, start, end):
                column = 2 if e.amount.minor < 0 else 0 if e.cost.minor > 0 else 1
                flows[e.type][column] += e.amount.minor
        return {t: (paid, free, out) for t, (paid, free, out) in flows.items()}

    def task_counts(self, start: datetime, end: datetime) -> dict[tuple[str, TaskStatus], int]:
        return dict(Counter((t.provider or "", t.status) for t in self._s.tasks.values()
                            if _within(t.created_at, start, end)))

    def task_timings(self, start: datetime, end: datetime, limit: int) -> list[TaskTiming]:
        rows = sorted((t for t in self._s.tasks.values() if t.status.finished and _within(t.finished_at, start, end)),
                      key=lambda t: t.finished_at, reverse=True)[:limit]
        return [TaskTiming(t.provider or "", t.status, (t.finished_at - t.created_at).total_seconds()) for t in rows]

    def refunds(self, start: datetime, end: datetime) -> tuple[int, Cny]:
        rows = [r for r in self._s.refunds.values()
                if r.status is not RefundStatus.FAILED and _within(r.created_at, start, end)]
        return len(rows), sum((r.amount for r in rows), Cny(0))

    def withdrawal_totals(self, status: WithdrawalStatus) -> tuple[int, Cny]:
        rows = [w for w in self._s.withdrawals.values() if w.status is status]
        return len(rows), sum((w.amount for w in rows), Cny(0))

    def open_cases(self) -> int:
        return sum(1 for c in self._s.cases.values() if c.status is CaseStatus.OPEN)
