"""Opening moderation cases inside other use cases' transactions: a held prompt, a held video, a work whose listing
is held or which users report; and what the cases of a video mean for publishing it."""
from __future__ import annotations

from datetime import datetime

from ..errors import ContentRefused, NotAllowed
from ..model.generation import GenerationTask
from ..model.media import VideoAsset
from ..model.moderation import EXCERPT_MAX, PASSED, CaseKind, CaseStatus, Decision, ModerationCase
from ..model.work import Work
from ..ports import DuplicateEntry, UnitOfWork

IN_REVIEW_MESSAGE = "内容审核中"


def open_case(uow: UnitOfWork, kind: CaseKind, user_id: int, decision: Decision, now: datetime, *,
              task_id: int | None = None, video_id: int | None = None, work_id: int | None = None,
              excerpt: str = "") -> ModerationCase:
    return uow.cases.add(ModerationCase(kind=kind, user_id=user_id, opened_at=now, task_id=task_id,
                                        video_id=video_id, work_id=work_id, labels=decision.labels,
                                        reference=decision.reference[:128], excerpt=excerpt[:EXCERPT_MAX]))


def hold_prompt(uow: UnitOfWork, task: GenerationTask, decision: Decision, now: datetime) -> ModerationCase:
    """The task runs; an operator looks at its prompt (the excerpt is what its owner sees, never upstream)."""
    assert task.id is not None
    return open_case(uow, CaseKind.PROMPT, task.user_id, decision, now, task_id=task.id, excerpt=task.prompt)


def hold_output(uow: UnitOfWork, task: GenerationTask, video: VideoAsset, decision: Decision,
                now: datetime) -> ModerationCase:
    """The video is its owner's, but it cannot be published until an operator passes it."""
    return open_case(uow, CaseKind.OUTPUT, task.user_id, decision, now, task_id=task.id, video_id=video.id,
                     excerpt=task.prompt)


def gate_publish(uow: UnitOfWork, video: VideoAsset) -> ModerationCase | None:
    """What the video's cases say about publishing it: a taken-down prompt or video is refused (2009), a video
    still held waits (2008 内容审核中). Returns the open case of its held prompt, if any: the work then waits in
    review under that case."""
    cases = uow.cases.for_content(video.task_id, video.id)
    if any(c.status is CaseStatus.TAKEN_DOWN for c in cases):
        raise ContentRefused("video_id")
    if any(c.status is CaseStatus.OPEN and c.kind is CaseKind.OUTPUT for c in cases):
        raise NotAllowed(IN_REVIEW_MESSAGE)
    return next((c for c in cases if c.status is CaseStatus.OPEN and c.kind is CaseKind.PROMPT), None)


def hold_work(uow: UnitOfWork, work: Work, prompt_case: ModerationCase | None, decision: Decision,
              now: datetime) -> ModerationCase:
    """A new work waits in review: under its prompt's open case (which now covers the work too), else under a
    listing case of its own. One open case per work, so a pass or a takedown decides it once."""
    assert work.id is not None
    if prompt_case is None:
        return open_case(uow, CaseKind.LISTING, work.creator_id, decision, now, video_id=work.video_id,
                         work_id=work.id, excerpt=work.title)
    prompt_case.work_id = work.id
    prompt_case.video_id = prompt_case.video_id or work.video_id
    prompt_case.add_labels(decision.labels)
    uow.cases.save(prompt_case)
    return prompt_case


def case_for_work(uow: UnitOfWork, work: Work, kind: CaseKind, now: datetime) -> ModerationCase:
    """The work's open case, or a new one: reports on a work are grouped under one case. Two first reports at
    once both try to open it; the loser joins the winner's."""
    assert work.id is not None
    case = uow.cases.open_for_work(work.id)
    if case is not None:
        return case
    try:
        return open_case(uow, kind, work.creator_id, PASSED, now, video_id=work.video_id, work_id=work.id,
                         excerpt=work.title)
    except DuplicateEntry:
        case = uow.cases.open_for_work(work.id)
        assert case is not None, "an open case was reported as a duplicate but cannot be found"
        return case

