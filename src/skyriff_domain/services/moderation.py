"""Operators' moderation decisions: the queue of open cases (oldest first, with how long each has waited), passing
a case, and taking a work down. Every decision records who, when and why; a decision that changes what the feed
shows purges the shared feed pages at once."""
from __future__ import annotations

from datetime import datetime

import attrs

from ..errors import NotAllowed, NotFound
from ..model.moderation import CaseKind, CaseStatus, ModerationCase, Operator, QueueItem, ReviewStatus
from ..model.report import ReportStatus
from ..policy import Policy
from ..ports import Clock, PageCache, UnitOfWork, UnitOfWorkFactory
from .moderation_cases import case_for_work
from .audit import record
from .sanctions import clean_reason
from .withheld_files import WithheldFiles

QUEUE_MAX = 1000


@attrs.define
class Moderation:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    cache: PageCache | None = None  # the feed pages every API process shares
    files: WithheldFiles | None = None  # None: a taken-down work's files stay where they are (unit tests)

    def queue(self, limit: int = 100) -> list[QueueItem]:
        """Open cases, the longest waiting first; those past the policy's limit (24 h) are marked overdue."""
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            cases = uow.cases.queue(max(1, min(limit, QUEUE_MAX)))
            reports = uow.reports.open_reasons([c.id for c in cases if c.id is not None])
        items = []
        for case in cases:
            waited = now - case.opened_at
            items.append(QueueItem(case, max(0, int(waited.total_seconds())),
                                   waited > self.policy.moderation.overdue_after, reports.get(case.id, {})))
        return items

    def get(self, case_id: int) -> ModerationCase:
        with self.uow(read_only=True) as uow:
            case = uow.cases.get(case_id)
        if case is None:
            raise NotFound("审核项不存在")
        return case

    def pass_case(self, case_id: int, operator: Operator, reason: str = "") -> ModerationCase:
        """The content is fine: a work waiting in review is shown; open reports on it are dismissed."""
        return self._decide(case_id, CaseStatus.PASSED, operator, clean_reason(reason, required=False))

    def take_down(self, case_id: int, operator: Operator, reason: str) -> ModerationCase:
        """The content goes: a work disappears from feeds and from everyone but its creator, who sees the reason;
        open reports on it are upheld. A held prompt or video without a work can no longer be published."""
        return self._decide(case_id, CaseStatus.TAKEN_DOWN, operator, clean_reason(reason))

    def take_down_work(self, work_id: int, operator: Operator, reason: str) -> ModerationCase:
        """Take down a work nobody has reported (yet): its open case — or a new one — records the decision."""
        reason = clean_reason(reason)
        with self.uow() as uow:
            work = uow.works.get(work_id)
            if work is None:
                raise NotFound("作品不存在")
            if work.review_status is ReviewStatus.TAKEN_DOWN:
                raise NotAllowed("作品已下架")
            case_id = case_for_work(uow, work, CaseKind.OPERATOR, self.clock.now()).id
            uow.commit()
        assert case_id is not None
        return self._decide(case_id, CaseStatus.TAKEN_DOWN, operator, reason)

    def _decide(self, case_id: int, status: CaseStatus, operator: Operator, reason: str) -> ModerationCase:
        now = self.clock.now()
        with self.uow() as uow:
            case = uow.cases.get_for_update(case_id)
            if case is None:
                raise NotFound("审核项不存在")
            if case.status is not CaseStatus.OPEN:
                raise NotAllowed(f"该审核项已处理（{case.status.value}）")
            case.decide(status, operator, reason, now)
            uow.cases.save(case)
            work = uow.works.get(case.work_id) if case.work_id is not None else None
            changed = case.work_id is not None and _apply_to_work(uow, case, now)
            action = "moderation.pass" if status is CaseStatus.PASSED else "moderation.takedown"
            record(uow, operator, action, "case", case_id, now, reason=reason,
                   before={"case": CaseStatus.OPEN.value, "work_id": case.work_id,
                           "work": work.review_status.value if work else None},
                   after={"case": status.value, "work": _work_status(uow, case.work_id)})
            uow.commit()
        if changed and self.cache is not None:
            self.cache.purge()
        if status is CaseStatus.TAKEN_DOWN and case.work_id is not None and self.files is not None:
            self.files.withhold(case.work_id)
        return case


def _work_status(uow: UnitOfWork, work_id: int | None) -> str | None:
    work = uow.works.get(work_id) if work_id is not None else None
    return work.review_status.value if work else None


def _apply_to_work(uow: UnitOfWork, case: ModerationCase, now: datetime) -> bool:
    """What a decided case does to its work and the reports on it; whether what others see changed."""
    assert case.work_id is not None
    work = uow.works.get(case.work_id)
    if work is None:
        return False
    if case.status is CaseStatus.TAKEN_DOWN:
        uow.reports.resolve_open(work.id, ReportStatus.UPHELD, now)
        uow.works.set_review(work.id, ReviewStatus.TAKEN_DOWN, case.decision_reason)
        return work.review_status is not ReviewStatus.TAKEN_DOWN
    uow.reports.resolve_open(work.id, ReportStatus.DISMISSED, now)
    if work.review_status is ReviewStatus.REVIEWING:
        uow.works.set_review(work.id, ReviewStatus.PASSED, "")
        return True
    return False
