"""The console's dashboard: today and each of the last 7 business days — new and paying users, GMV, credits sold,
spent and granted, refunds, tasks by status — each provider's success rate and median time, what waits for
operators (withdrawals, the moderation queue) and the last ledger check."""
from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs

from ..model.audit import LedgerCheck
from ..model.generation import TaskStatus
from ..model.ledger import LedgerType
from ..model.withdrawal import WithdrawalStatus
from ..money import Cny
from ..policy import Policy
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory

T = LedgerType
SPENT = (T.GEN_SPEND, T.REMIX_SPEND, T.TIP_SPEND, T.PROMPT_UNLOCK_SPEND, T.DOWNLOAD_SPEND)
GIVEN_BACK = (T.GEN_REFUND, T.PAYMENT_REFUND)  # neither granted nor sold: spends or purchases undone
DAYS = 7
TIMINGS_MAX = 20_000


@attrs.frozen
class DayFigures:
    day: date
    new_users: int = 0
    paying_users: int = 0
    gmv: Cny = Cny(0)
    credits_sold: int = 0  # credits that came in with a cost: packs, activations, card claims
    credits_spent: int = 0  # net of generation refunds
    credits_granted: int = 0  # free credits: rewards, bonuses, operators' grants, codes (what a code delivers too)
    refunds: int = 0
    refunded: Cny = Cny(0)
    tasks: dict[TaskStatus, int] = attrs.field(factory=dict)

    @property
    def task_total(self) -> int:
        return sum(self.tasks.values())


@attrs.frozen
class ProviderFigures:
    provider: str
    succeeded: int
    failed: int
    median_seconds: float | None  # of the successful ones

    @property
    def success_rate(self) -> float | None:
        finished = self.succeeded + self.failed
        return self.succeeded / finished if finished else None


@attrs.frozen
class Waiting:
    withdrawals: int
    withdrawals_amount: Cny
    open_cases: int
    oldest_case_seconds: int | None
    overdue: bool


@attrs.frozen
class DashboardView:
    days: list[DayFigures]  # the last 7 business days and today, oldest first
    providers: list[ProviderFigures]  # over the same 8 days
    waiting: Waiting
    last_check: LedgerCheck | None
    now: datetime

    @property
    def today(self) -> DayFigures:
        return self.days[-1]

    @property
    def week(self) -> DayFigures:
        """The last 7 days before today, summed."""
        past = self.days[:-1]
        tasks: dict[TaskStatus, int] = {}
        for d in past:
            for status, n in d.tasks.items():
                tasks[status] = tasks.get(status, 0) + n
        return DayFigures(past[0].day, sum(d.new_users for d in past), sum(d.paying_users for d in past),
                          sum((d.gmv for d in past), Cny(0)), sum(d.credits_sold for d in past),
                          sum(d.credits_spent for d in past), sum(d.credits_granted for d in past),
                          sum(d.refunds for d in past), sum((d.refunded for d in past), Cny(0)), tasks)


@attrs.define
class Dashboard:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def view(self) -> DashboardView:
        now = self.clock.now()
        today = self.policy.business_day(now)
        bounds = [(today - timedelta(days=back), self._start(today - timedelta(days=back))) for back in
                  range(DAYS, -1, -1)]
        with self.uow(read_only=True) as uow:
            days = [self._day(uow, day, start, self._start(day + timedelta(days=1))) for day, start in bounds]
            providers = _providers(uow.console.task_timings(bounds[0][1], now + timedelta(seconds=1), TIMINGS_MAX))
            count, amount = uow.console.withdrawal_totals(WithdrawalStatus.APPLIED)
            oldest = uow.cases.queue(1)
            waited = int((now - oldest[0].opened_at).total_seconds()) if oldest else None
            waiting = Waiting(count, amount, uow.console.open_cases(), waited,
                              waited is not None and waited > self.policy.moderation.overdue_after.total_seconds())
            checks = uow.ledger_checks.latest(1)
        return DashboardView(days, providers, waiting, checks[0] if checks else None, now)

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=ZoneInfo(self.policy.business_timezone))

    @staticmethod
    def _day(uow: UnitOfWork, day: date, start: datetime, end: datetime) -> DayFigures:
        reads = uow.console
        payers, gmv = reads.paid(start, end)
        flows = reads.credit_flows(start, end)
        refunds, refunded = reads.refunds(start, end)
        tasks: dict[TaskStatus, int] = {}
        for (_, status), n in reads.task_counts(start, end).items():
            tasks[status] = tasks.get(status, 0) + n
        return DayFigures(
            day, reads.new_users(start, end), payers, gmv,
            credits_sold=sum(paid for t, (paid, _, _) in flows.items() if t not in GIVEN_BACK),
            credits_spent=-sum(flows.get(t, (0, 0, 0))[2] for t in SPENT) - sum(flows.get(T.GEN_REFUND, (0, 0, 0))[:2]),
            credits_granted=sum(free for t, (_, free, _) in flows.items() if t not in GIVEN_BACK),
            refunds=refunds, refunded=refunded, tasks=tasks)


def _providers(timings) -> list[ProviderFigures]:
    by: dict[str, list] = {}
    for t in timings:
        by.setdefault(t.provider or "-", []).append(t)
    out = []
    for provider in sorted(by):
        ok = [t.seconds for t in by[provider] if t.status is TaskStatus.SUCCESS]
        failed = sum(1 for t in by[provider] if t.status is TaskStatus.FAILURE)
        out.append(ProviderFigures(provider, len(ok), failed, statistics.median(ok) if ok else None))
    return out
