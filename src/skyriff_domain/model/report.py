"""Users' reports of works and creators' appeals against takedowns."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from .moderation import DECISION_REASON_MAX, OPERATOR_NAME_MAX, Operator

REPORT_DETAIL_MAX = 500
APPEAL_REASON_MAX = 500


class ReportReason(enum.StrEnum):
    PORN = "porn"
    VIOLENCE = "violence"
    POLITICS = "politics"
    FRAUD = "fraud"
    COPYRIGHT = "copyright"
    MINOR_SAFETY = "minor_safety"
    NO_AI_LABEL = "no_ai_label"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the work was taken down
    DISMISSED = "dismissed"  # an operator passed the work


@attrs.define
class Report:
    """One user's report of one work; at most one open per user and work. `case_id` is the queue item the report
    joined (reports are grouped by work)."""

    work_id: int
    reporter_id: int
    reason: ReportReason
    detail: str
    created_at: datetime
    case_id: int | None = None
    status: ReportStatus = ReportStatus.OPEN
    resolved_at: datetime | None = None
    id: int | None = None


class AppealStatus(enum.StrEnum):
    OPEN = "open"
    GRANTED = "granted"  # the work is restored
    DENIED = "denied"


@attrs.define
class Appeal:
    """A creator's appeal against the takedown recorded by `case_id`; one per takedown."""

    work_id: int
    user_id: int
    case_id: int
    reason: str
    created_at: datetime
    status: AppealStatus = AppealStatus.OPEN
    decided_at: datetime | None = None
    decided_by: str | None = None
    operator_id: int | None = None
    decision_reason: str = ""
    id: int | None = None

    def decide(self, status: AppealStatus, operator: Operator, reason: str, now: datetime) -> None:
        assert status is not AppealStatus.OPEN and self.status is AppealStatus.OPEN
        self.status, self.decided_at, self.decided_by = status, now, operator.name[:OPERATOR_NAME_MAX]
        self.operator_id, self.decision_reason = operator.id, reason[:DECISION_REASON_MAX]
