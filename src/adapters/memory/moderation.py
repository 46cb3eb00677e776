"""In-memory moderation cases, reports, appeals and sanctions (the unit of work's lock makes them atomic)."""
from __future__ import annotations

import copy
from collections import Counter
from datetime import datetime

from skyriff_domain.model.moderation import CaseStatus, ModerationCase
from skyriff_domain.model.report import Appeal, AppealStatus, Report, ReportStatus
from skyriff_domain.model.sanction import Sanction, SanctionKind
from skyriff_domain.ports import (
    AppealRepository,
    CaseRepository,
    DuplicateEntry,
    ReportRepository,
    SanctionRepository,
)

from .database import MemoryDatabase

_copy = copy.deepcopy


class MemoryCases(CaseRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, ModerationCase]:
        return self.db.state.cases

    def add(self, case: ModerationCase) -> ModerationCase:
        if case.work_id is not None and case.status is CaseStatus.OPEN and self.open_for_work(case.work_id):
            raise DuplicateEntry(f"open case for work {case.work_id}")
        case = _copy(case)
        case.id = self.db.next_id("cases")
        self._rows[case.id] = _copy(case)
        return case

    def get(self, case_id: int) -> ModerationCase | None:
        return _copy(self._rows.get(case_id))

    def get_for_update(self, case_id: int) -> ModerationCase | None:
        return self.get(case_id)

    def save(self, case: ModerationCase) -> None:
        if case.work_id is not None and case.status is CaseStatus.OPEN:
            other = self.open_for_work(case.work_id)
            if other is not None and other.id != case.id:
                raise DuplicateEntry(f"open case for work {case.work_id}")
        self._rows[case.id] = _copy(case)

    def open_for_work(self, work_id: int) -> ModerationCase | None:
        return _copy(next((c for c in self._rows.values() if c.work_id == work_id
                           and c.status is CaseStatus.OPEN), None))

    def for_content(self, task_id: int | None, video_id: int | None) -> list[ModerationCase]:
        return _copy([c for c in sorted(self._rows.values(), key=lambda c: c.id)
                      if (task_id is not None and c.task_id == task_id)
                      or (video_id is not None and c.video_id == video_id)])

    def latest_for_work(self, work_id: int, status: CaseStatus) -> ModerationCase | None:
        found = [c for c in self._rows.values() if c.work_id == work_id and c.status is status]
        return _copy(max(found, key=lambda c: c.id)) if found else None

    def queue(self, limit: int) -> list[ModerationCase]:
        rows = sorted((c for c in self._rows.values() if c.status is CaseStatus.OPEN),
                      key=lambda c: (c.opened_at, c.id))
        return _copy(rows[:limit])


class MemoryReports(ReportRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, Report]:
        return self.db.state.reports

    def add(self, report: Report) -> Report:
        if self.open_by(report.reporter_id, report.work_id) is not None:
            raise DuplicateEntry(f"open report by {report.reporter_id} on work {report.work_id}")
        report = _copy(report)
        report.id = self.db.next_id("reports")
        self._rows[report.id] = _copy(report)
        return report

    def open_by(self, reporter_id: int, work_id: int) -> Report | None:
        return _copy(next((r for r in self._rows.values() if r.reporter_id == reporter_id and r.work_id == work_id
                           and r.status is ReportStatus.OPEN), None))

    def page_for_user(self, reporter_id: int, before_id: int | None, limit: int) -> list[Report]:
        rows = sorted((r for r in self._rows.values() if r.reporter_id == reporter_id
                       and (before_id is None or r.id < before_id)), key=lambda r: -r.id)
        return _copy(rows[:limit])

    def count_since(self, reporter_id: int, since: datetime) -> int:
        return sum(1 for r in self._rows.values() if r.reporter_id == reporter_id and r.created_at >= since)

    def resolve_open(self, work_id: int, status: ReportStatus, now: datetime) -> int:
        resolved = 0
        for report in self._rows.values():
            if report.work_id == work_id and report.status is ReportStatus.OPEN:
                report.status, report.resolved_at = status, now
                resolved += 1
        return resolved

    def open_reasons(self, case_ids: list[int]) -> dict[int, dict[str, int]]:
        counts: dict[int, Counter] = {}
        for r in self._rows.values():
            if r.case_id in case_ids and r.status is ReportStatus.OPEN:
                counts.setdefault(r.case_id, Counter())[r.reason.value] += 1
        return {case_id: dict(c) for case_id, c in counts.items()}


class MemoryAppeals(AppealRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    @property
    def _rows(self) -> dict[int, Appeal]:
        return self.db.state.appeals

    def add(self, appeal: Appeal) -> Appeal:
        if self.for_case(appeal.case_id) is not None:
            raise DuplicateEntry(f"appeal of case {appeal.case_id}")
        appeal = _copy(appeal)
        appeal.id = self.db.next_id("appeals")
        self._rows[appeal.id] = _copy(appeal)
        return appeal

    def get_for_update(self, appeal_id: int) -> Appeal | None:
        return _copy(self._rows.get(appeal_id))

    def for_case(self, case_id: int) -> Appeal | None:
        return _copy(next((a for a in self._rows.values() if a.case_id == case_id), None))

    def save(self, appeal: Appeal) -> None:
        self._rows[appeal.id] = _copy(appeal)

    def page(self, status: AppealStatus | None, limit: int) -> list[Appeal]:
        rows = sorted((a for a in self._rows.values() if status is None or a.status is status), key=lambda a: a.id)
        return _copy(rows[:limit])


class MemorySanctions(SanctionRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def add(self, sanction: Sanction) -> Sanction:
        sanction = _copy(sanction)
        sanction.id = self.db.next_id("sanctions")
        self.db.state.sanctions[sanction.id] = _copy(sanction)
        return sanction

    def suspended_until(self, user_id: int, now: datetime) -> datetime | None:
        ends = [s.until for s in self.db.state.sanctions.values() if s.user_id == user_id
                and s.kind is SanctionKind.SUSPENSION and s.until is not None and s.until > now]
        return max(ends) if ends else None

    def for_user(self, user_id: int) -> list[Sanction]:
        return _copy(sorted((s for s in self.db.state.sanctions.values() if s.user_id == user_id),
                            key=lambda s: s.id))
