"""Moderation cases, reports, appeals and sanctions, with their row mappings. The unique rules (one open case per
work, one open report per user and work, one appeal per takedown) are partial unique indexes: a racing second
insert fails inside a savepoint and answers DuplicateEntry."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, literal_column, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyriff_domain.model.moderation import CaseKind, CaseStatus, ModerationCase
from skyriff_domain.model.report import Appeal, AppealStatus, Report, ReportReason, ReportStatus
from skyriff_domain.model.sanction import Sanction, SanctionKind
from skyriff_domain.ports import (
    AppealRepository,
    CaseRepository,
    DuplicateEntry,
    ReportRepository,
    SanctionRepository,
)

from ..models import DbAppeal, DbModerationCase, DbSanction, DbWorkReport

cases = DbModerationCase.__table__
reports = DbWorkReport.__table__
appeals = DbAppeal.__table__
sanctions = DbSanction.__table__
# Inlined, not bound: the partial indexes' predicate must be provable when PostgreSQL plans the query.
_CASE_OPEN = cases.c.status == literal_column(f"'{CaseStatus.OPEN.value}'")
_REPORT_OPEN = reports.c.status == literal_column(f"'{ReportStatus.OPEN.value}'")


def case_from_row(r: Any) -> ModerationCase:
    return ModerationCase(id=r.id, kind=CaseKind(r.kind), user_id=r.user_id, opened_at=r.opened_at,
                          task_id=r.task_id, video_id=r.video_id, work_id=r.work_id, labels=tuple(r.labels or ()),
                          reference=r.reference, excerpt=r.excerpt, status=CaseStatus(r.status),
                          decided_at=r.decided_at, decided_by=r.decided_by, operator_id=r.operator_id,
                          decision_reason=r.decision_reason)


def case_values(c: ModerationCase) -> dict[str, Any]:
    return {"kind": c.kind.value, "user_id": c.user_id, "opened_at": c.opened_at, "task_id": c.task_id,
            "video_id": c.video_id, "work_id": c.work_id, "labels": list(c.labels), "reference": c.reference,
            "excerpt": c.excerpt, "status": c.status.value, "decided_at": c.decided_at, "decided_by": c.decided_by,
            "operator_id": c.operator_id, "decision_reason": c.decision_reason}


def report_from_row(r: Any) -> Report:
    return Report(id=r.id, work_id=r.work_id, reporter_id=r.reporter_id, reason=ReportReason(r.reason),
                  detail=r.detail, created_at=r.created_at, case_id=r.case_id, status=ReportStatus(r.status),
                  resolved_at=r.resolved_at)


def appeal_from_row(r: Any) -> Appeal:
    return Appeal(id=r.id, work_id=r.work_id, user_id=r.user_id, case_id=r.case_id, reason=r.reason,
                  created_at=r.created_at, status=AppealStatus(r.status), decided_at=r.decided_at,
                  decided_by=r.decided_by, operator_id=r.operator_id, decision_reason=r.decision_reason)


def appeal_values(a: Appeal) -> dict[str, Any]:
    return {"work_id": a.work_id, "user_id": a.user_id, "case_id": a.case_id, "reason": a.reason,
            "created_at": a.created_at, "status": a.status.value, "decided_at": a.decided_at,
            "decided_by": a.decided_by, "operator_id": a.operator_id, "decision_reason": a.decision_reason}


def sanction_from_row(r: Any) -> Sanction:
    return Sanction(id=r.id, user_id=r.user_id, kind=SanctionKind(r.kind), reason=r.reason, until=r.until,
                    created_at=r.created_at, decided_by=r.decided_by, operator_id=r.operator_id)


class _Repo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _insert(self, stmt, what: str) -> int:
        """Insert in a savepoint, so a unique rule's violation leaves the transaction usable."""
        try:
            with self.conn.begin_nested():
                return self.conn.execute(stmt).scalar_one()
        except IntegrityError as exc:
            raise DuplicateEntry(what) from exc


class SqlCases(_Repo, CaseRepository):
    def add(self, case: ModerationCase) -> ModerationCase:
        case.id = self._insert(insert(cases).values(case_values(case)).returning(cases.c.id),
                               f"open case for work {case.work_id}")
        return case

    def get(self, case_id: int) -> ModerationCase | None:
        row = self.conn.execute(select(cases).where(cases.c.id == case_id)).first()
        return case_from_row(row) if row else None

    def get_for_update(self, case_id: int) -> ModerationCase | None:
        row = self.conn.execute(select(cases).where(cases.c.id == case_id).with_for_update()).first()
        return case_from_row(row) if row else None

    def save(self, case: ModerationCase) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(update(cases).where(cases.c.id == case.id).values(case_values(case)))
        except IntegrityError as exc:
            raise DuplicateEntry(f"open case for work {case.work_id}") from exc

    def open_for_work(self, work_id: int) -> ModerationCase | None:
        row = self.conn.execute(select(cases).where(cases.c.work_id == work_id, _CASE_OPEN)).first()
        return case_from_row(row) if row else None

    def for_content(self, task_id: int | None, video_id: int | None) -> list[ModerationCase]:
        found: dict[int, ModerationCase] = {}
        for column, value in ((cases.c.task_id, task_id), (cases.c.video_id, video_id)):
            if value is not None:  # two indexed lookups rather than an OR the planner may scan for
                for row in self.conn.execute(select(cases).where(column == value)):
                    found[row.id] = case_from_row(row)
        return [found[k] for k in sorted(found)]

    def latest_for_work(self, work_id: int, status: CaseStatus) -> ModerationCase | None:
        row = self.conn.execute(select(cases).where(cases.c.work_id == work_id, cases.c.status == status.value)
                                .order_by(cases.c.id.desc()).limit(1)).first()
        return case_from_row(row) if row else None

    def queue(self, limit: int) -> list[ModerationCase]:
        stmt = select(cases).where(_CASE_OPEN).order_by(cases.c.opened_at, cases.c.id).limit(limit)
        return [case_from_row(r) for r in self.conn.execute(stmt)]


class SqlReports(_Repo, ReportRepository):
    def add(self, report: Report) -> Report:
        values = {"work_id": report.work_id, "reporter_id": report.reporter_id, "case_id": report.case_id,
                  "reason": report.reason.value, "detail": report.detail, "status": report.status.value,
                  "created_at": report.created_at, "resolved_at": report.resolved_at}
        report.id = self._insert(insert(reports).values(values).returning(reports.c.id),
                                 f"open report by {report.reporter_id} on work {report.work_id}")
        return report

    def open_by(self, reporter_id: int, work_id: int) -> Report | None:
        row = self.conn.execute(select(reports).where(reports.c.reporter_id == reporter_id,
                                                      reports.c.work_id == work_id, _REPORT_OPEN)).first()
        return report_from_row(row) if row else None

    def page_for_user(self, reporter_id: int, before_id: int | None, limit: int) -> list[Report]:
        stmt = select(reports).where(reports.c.reporter_id == reporter_id).order_by(reports.c.id.desc()).limit(limit)
        if before_id is not None:
            stmt = stmt.where(reports.c.id < before_id)
        return [report_from_row(r) for r in self.conn.execute(stmt)]

    def count_since(self, reporter_id: int, since: datetime) -> int:
        return int(self.conn.execute(select(func.count()).select_from(reports).where(
            reports.c.reporter_id == reporter_id, reports.c.created_at >= since)).scalar_one())

    def resolve_open(self, work_id: int, status: ReportStatus, now: datetime) -> int:
        result = self.conn.execute(update(reports).where(reports.c.work_id == work_id, _REPORT_OPEN)
                                   .values(status=status.value, resolved_at=now))
        return result.rowcount

    def open_reasons(self, case_ids: list[int]) -> dict[int, dict[str, int]]:
        if not case_ids:
            return {}
        rows = self.conn.execute(select(reports.c.case_id, reports.c.reason, func.count()).where(
            reports.c.case_id.in_(case_ids), _REPORT_OPEN).group_by(reports.c.case_id, reports.c.reason))
        out: dict[int, dict[str, int]] = {}
        for case_id, reason, count in rows:
            out.setdefault(case_id, {})[reason] = int(count)
        return out


class SqlAppeals(_Repo, AppealRepository):
    def add(self, appeal: Appeal) -> Appeal:
        appeal.id = self._insert(insert(appeals).values(appeal_values(appeal)).returning(appeals.c.id),
                                 f"appeal of case {appeal.case_id}")
        return appeal

    def get_for_update(self, appeal_id: int) -> Appeal | None:
        row = self.conn.execute(select(appeals).where(appeals.c.id == appeal_id).with_for_update()).first()
        return appeal_from_row(row) if row else None

    def for_case(self, case_id: int) -> Appeal | None:
        row = self.conn.execute(select(appeals).where(appeals.c.case_id == case_id)).first()
        return appeal_from_row(row) if row else None

    def save(self, appeal: Appeal) -> None:
        self.conn.execute(update(appeals).where(appeals.c.id == appeal.id).values(appeal_values(appeal)))

    def page(self, status: AppealStatus | None, limit: int) -> list[Appeal]:
        stmt = select(appeals).order_by(appeals.c.id).limit(limit)
        if status is not None:
            stmt = stmt.where(appeals.c.status == status.value)
        return [appeal_from_row(r) for r in self.conn.execute(stmt)]


class SqlSanctions(_Repo, SanctionRepository):
    def add(self, sanction: Sanction) -> Sanction:
        sanction.id = self.conn.execute(insert(sanctions).values(
            user_id=sanction.user_id, kind=sanction.kind.value, reason=sanction.reason, until=sanction.until,
            created_at=sanction.created_at, decided_by=sanction.decided_by, operator_id=sanction.operator_id,
        ).returning(sanctions.c.id)).scalar_one()
        return sanction

    def suspended_until(self, user_id: int, now: datetime) -> datetime | None:
        return self.conn.execute(select(func.max(sanctions.c.until)).where(
            sanctions.c.user_id == user_id, sanctions.c.kind == SanctionKind.SUSPENSION.value,
            sanctions.c.until > now)).scalar_one()

    def for_user(self, user_id: int) -> list[Sanction]:
        stmt = select(sanctions).where(sanctions.c.user_id == user_id).order_by(sanctions.c.id)
        return [sanction_from_row(r) for r in self.conn.execute(stmt)]
