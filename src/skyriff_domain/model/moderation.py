"""Moderation in our terms: what a moderator decided about one text or image, the review state of a work, and
the cases that stand in the operators' queue until someone decides them (with who, when and why)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Iterable

import attrs

from .operator import Operator  # who decided: re-exported, decisions name it


class Verdict(enum.StrEnum):
    PASS = "pass"
    REVIEW = "review"  # held for an operator
    BLOCK = "block"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Verdict.PASS: 0, Verdict.REVIEW: 1, Verdict.BLOCK: 2}


@attrs.frozen
class Decision:
    """One moderator's answer. `reference` is the provider's id of the check (Tencent's RequestId), so an
    operator can look the decision up with them; labels are the provider's, as given."""

    verdict: Verdict
    labels: tuple[str, ...] = ()
    reference: str = ""
    provider: str = ""

    @property
    def blocked(self) -> bool:
        return self.verdict is Verdict.BLOCK

    @property
    def held(self) -> bool:
        return self.verdict is Verdict.REVIEW


PASSED = Decision(Verdict.PASS)


def strictest(decisions: Iterable[Decision]) -> Decision:
    """The most severe verdict of several checks (frames of a video, title and description), with every label
    that led to it; PASSED when there were none."""
    decisions = list(decisions)
    if not decisions:
        return PASSED
    worst = max(decisions, key=lambda d: d.verdict.severity)
    labels = tuple(dict.fromkeys(l for d in decisions if d.verdict is worst.verdict for l in d.labels))
    return attrs.evolve(worst, labels=labels)


class ReviewStatus(enum.StrEnum):
    """Where a work stands with moderation; only PASSED works are shown to anyone but their creator."""

    PASSED = "passed"
    REVIEWING = "reviewing"
    TAKEN_DOWN = "taken_down"


class CaseKind(enum.StrEnum):
    PROMPT = "prompt"  # a generation prompt held for review (the task runs; its video waits for the decision)
    OUTPUT = "output"  # a generated video held for review (it cannot be published until passed)
    LISTING = "listing"  # a work's title or description held for review
    REPORT = "report"  # users reported a work
    OPERATOR = "operator"  # an operator acted on a work nobody had reported


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    PASSED = "passed"
    TAKEN_DOWN = "taken_down"


OPERATOR_NAME_MAX = 64
DECISION_REASON_MAX = 500
EXCERPT_MAX = 200


@attrs.define
class ModerationCase:
    """One item of the moderation queue: a piece of content (a task's prompt or video, a work) held for an
    operator, oldest first. The content it is about is named by whichever of task, video and work it has; a
    case that learns its work later (a held prompt whose video is published) gets `work_id` then."""

    kind: CaseKind
    user_id: int  # whose content it is
    opened_at: datetime
    task_id: int | None = None
    video_id: int | None = None
    work_id: int | None = None
    labels: tuple[str, ...] = ()
    reference: str = ""  # the moderator's reference of the check that opened it
    excerpt: str = ""  # what was held, for the operator (the prompt, the title)
    status: CaseStatus = CaseStatus.OPEN
    decided_at: datetime | None = None
    decided_by: str | None = None
    operator_id: int | None = None
    decision_reason: str = ""
    id: int | None = None

    def decide(self, status: CaseStatus, operator: Operator, reason: str, now: datetime) -> None:
        assert status is not CaseStatus.OPEN and self.status is CaseStatus.OPEN
        self.status, self.decided_at, self.decided_by = status, now, operator.name[:OPERATOR_NAME_MAX]
        self.operator_id, self.decision_reason = operator.id, reason[:DECISION_REASON_MAX]

    def add_labels(self, labels: Iterable[str]) -> None:
        self.labels = tuple(dict.fromkeys((*self.labels, *labels)))


@attrs.frozen
class QueueItem:
    """An open case as the queue shows it: how long it has waited and, for reported works, the reports."""

    case: ModerationCase
    waited_seconds: int
    overdue: bool
    reports: dict[str, int] = attrs.field(factory=dict)  # reason → open reports
