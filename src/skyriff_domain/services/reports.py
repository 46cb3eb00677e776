"""Users reporting works: one open report per user and work, grouped into the work's moderation case; resolved
`upheld` when the work is taken down, `dismissed` when an operator passes it."""
from __future__ import annotations

from datetime import timedelta

import attrs

from ..errors import InvalidRequest, PermissionDenied, TooManyRequests
from ..model.moderation import CaseKind
from ..model.report import REPORT_DETAIL_MAX, Report, ReportReason
from ..policy import Policy
from ..ports import Clock, DuplicateEntry, UnitOfWorkFactory
from ..text import clean_text
from .lookups import split_page
from .moderation_cases import case_for_work
from .works import load_work

_DAY = timedelta(days=1)


@attrs.frozen
class Filed:
    report: Report
    new: bool  # False: the user's open report on this work, answered again


@attrs.define
class Reports:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def report(self, user_id: int, work_id: int, reason: str, detail: str = "") -> Filed:
        """Not your own work (2002), only works you can see (2007); reporting again while your report is open
        answers that report. At most the policy's number of reports a day (1006)."""
        try:
            why = ReportReason(reason)
        except ValueError:
            raise InvalidRequest.not_one_of("reason", ReportReason) from None
        detail = clean_text("detail", detail, REPORT_DETAIL_MAX, multiline=True)
        now = self.clock.now()
        with self.uow() as uow:
            work = load_work(uow, work_id, user_id)
            if work.creator_id == user_id:
                raise PermissionDenied("不能举报自己的作品")
            existing = uow.reports.open_by(user_id, work_id)
            if existing is not None:
                return Filed(existing, False)
            day_start = self.policy.next_business_day_start(now) - _DAY
            if uow.reports.count_since(user_id, day_start) >= self.policy.moderation.report_limit_per_day:
                raise TooManyRequests(int((day_start + _DAY - now).total_seconds()), "今日举报次数已达上限")
            case = case_for_work(uow, work, CaseKind.REPORT, now)
            try:
                report = uow.reports.add(Report(work_id=work_id, reporter_id=user_id, reason=why, detail=detail,
                                                created_at=now, case_id=case.id))
            except DuplicateEntry:  # the same user's report racing in on another request
                existing = uow.reports.open_by(user_id, work_id)
                assert existing is not None
                return Filed(existing, False)
            uow.commit()
        return Filed(report, True)

    def mine(self, user_id: int, before_id: int | None, limit: int) -> tuple[list[Report], bool]:
        with self.uow(read_only=True) as uow:
            rows = uow.reports.page_for_user(user_id, before_id, limit + 1)
        return split_page(rows, limit)

