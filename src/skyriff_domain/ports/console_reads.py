"""The read model behind the operators' console: searches and sums across tables that no use case needs, read on
read-only units of work (the queries in skyriff_domain.queries turn them into pages)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

import attrs

from ..model.generation import GenerationTask, TaskStatus
from ..model.ledger import LedgerType
from ..model.payment import Payment, PaymentStatus
from ..model.report import Report
from ..model.user import User
from ..model.withdrawal import WithdrawalStatus
from ..money import Cny


@attrs.frozen
class PaymentQuery:
    """Payments by any of these (all given must match); `since`/`until` bound `created_at`."""

    payment_id: int | None = None
    out_trade_no: str = ""
    user_id: int | None = None
    status: PaymentStatus | None = None
    since: datetime | None = None
    until: datetime | None = None


@attrs.frozen
class TaskQuery:
    status: TaskStatus | None = None
    provider: str = ""
    user_id: int | None = None
    created_before: datetime | None = None  # stuck tasks: unfinished and older than the timeout


@attrs.frozen
class TaskTiming:
    """A finished task: who served it, how it ended and how long it took from creation."""

    provider: str
    status: TaskStatus
    seconds: float


class ConsoleReads(ABC):
    # Searches -----------------------------------------------------------------------------------
    @abstractmethod
    def users_by_nickname(self, fragment: str, limit: int) -> list[User]:
        """Users whose nickname contains `fragment` (case-insensitive), newest first."""

    @abstractmethod
    def payments(self, query: PaymentQuery, before_id: int | None, limit: int) -> list[Payment]:
        """Newest first, ids below `before_id`."""

    @abstractmethod
    def tasks(self, query: TaskQuery, before_id: int | None, limit: int) -> list[GenerationTask]:
        """Newest first, ids below `before_id`."""

    @abstractmethod
    def reports_on_works_of(self, creator_id: int, limit: int) -> list[Report]:
        """Reports of a creator's works, newest first."""

    @abstractmethod
    def reports_on_work(self, work_id: int, limit: int) -> list[Report]:
        """A work's reports, newest first."""

    @abstractmethod
    def tip_sources(self, user_id: int, limit: int) -> list[tuple[int, int]]:
        """(fan, credits tipped) of the user's biggest tippers, the biggest first."""

    # Sums over a window [start, end) --------------------------------------------------------------
    @abstractmethod
    def new_users(self, start: datetime, end: datetime) -> int: ...

    @abstractmethod
    def paid(self, start: datetime, end: datetime) -> tuple[int, Cny]:
        """(distinct paying users, CNY collected) by payments paid in the window (refunded ones too)."""

    @abstractmethod
    def credit_flows(self, start: datetime, end: datetime) -> dict[LedgerType, tuple[int, int, int]]:
        """Credits ledger entries in the window by type: (Σ of the positive amounts that brought a cost in, Σ of the
        positive ones that came free, Σ of the negative ones)."""

    @abstractmethod
    def task_counts(self, start: datetime, end: datetime) -> dict[tuple[str, TaskStatus], int]:
        """Tasks created in the window by (provider or "", status)."""

    @abstractmethod
    def task_timings(self, start: datetime, end: datetime, limit: int) -> list[TaskTiming]:
        """Tasks finished in the window (at most `limit`, the newest)."""

    @abstractmethod
    def refunds(self, start: datetime, end: datetime) -> tuple[int, Cny]:
        """(count, CNY) of refunds requested in the window that the channel did not refuse."""

    @abstractmethod
    def withdrawal_totals(self, status: WithdrawalStatus) -> tuple[int, Cny]: ...

    @abstractmethod
    def open_cases(self) -> int: ...
