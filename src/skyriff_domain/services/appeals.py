"""Creators appealing a takedown, and operators granting (the work is restored) or denying the appeal; one appeal
per takedown, every decision recorded with who, when and why."""
from __future__ import annotations

import attrs

from ..errors import NotAllowed, NotFound, PermissionDenied
from ..model.moderation import CaseStatus, Operator, ReviewStatus
from ..model.report import APPEAL_REASON_MAX, Appeal, AppealStatus
from ..ports import Clock, DuplicateEntry, PageCache, UnitOfWorkFactory
from ..text import clean_text
from .audit import record
from .sanctions import clean_reason
from .withheld_files import WithheldFiles
from .works import load_work


@attrs.frozen
class Lodged:
    appeal: Appeal
    new: bool  # False: the open appeal against this takedown, answered again


@attrs.define
class Appeals:
    uow: UnitOfWorkFactory
    clock: Clock
    cache: PageCache | None = None  # the shared feed pages, purged when a work is restored
    files: WithheldFiles | None = None  # None: a restored work's files are not moved back (unit tests)

    def appeal(self, user_id: int, work_id: int, reason: str) -> Lodged:
        """Only the creator (2002) of a work that is taken down (2008); appealing again while the appeal is open
        answers it, after it was decided is refused (2008)."""
        reason = clean_text("reason", reason, APPEAL_REASON_MAX, multiline=True, min_len=1)
        now = self.clock.now()
        with self.uow() as uow:
            work = load_work(uow, work_id, user_id)
            if work.creator_id != user_id:
                raise PermissionDenied("只能申诉自己的作品")
            takedown = uow.cases.latest_for_work(work_id, CaseStatus.TAKEN_DOWN)
            if work.review_status is not ReviewStatus.TAKEN_DOWN or takedown is None:
                raise NotAllowed("作品未被下架，无需申诉")
            assert takedown.id is not None
            earlier = uow.appeals.for_case(takedown.id)
            if earlier is None:
                try:
                    appeal = uow.appeals.add(Appeal(work_id=work_id, user_id=user_id, case_id=takedown.id,
                                                    reason=reason, created_at=now))
                    uow.commit()
                    return Lodged(appeal, True)
                except DuplicateEntry:  # the same appeal racing in on another request
                    earlier = uow.appeals.for_case(takedown.id)
                    assert earlier is not None
        if earlier.status is not AppealStatus.OPEN:
            raise NotAllowed("该下架已申诉并处理，不能再次申诉")
        return Lodged(earlier, False)

    def list(self, status: AppealStatus | None = AppealStatus.OPEN, limit: int = 100) -> list[Appeal]:
        with self.uow(read_only=True) as uow:
            return uow.appeals.page(status, max(1, min(limit, 1000)))

    def grant(self, appeal_id: int, operator: Operator, reason: str = "") -> Appeal:
        """The takedown was wrong: the work is shown again."""
        return self._decide(appeal_id, AppealStatus.GRANTED, operator, clean_reason(reason, required=False))

    def deny(self, appeal_id: int, operator: Operator, reason: str) -> Appeal:
        return self._decide(appeal_id, AppealStatus.DENIED, operator, clean_reason(reason))

    def _decide(self, appeal_id: int, status: AppealStatus, operator: Operator, reason: str) -> Appeal:
        now = self.clock.now()
        with self.uow() as uow:
            appeal = uow.appeals.get_for_update(appeal_id)
            if appeal is None:
                raise NotFound("申诉不存在")
            if appeal.status is not AppealStatus.OPEN:
                raise NotAllowed(f"该申诉已处理（{appeal.status.value}）")
            appeal.decide(status, operator, reason, now)
            uow.appeals.save(appeal)
            if status is AppealStatus.GRANTED:
                uow.works.set_review(appeal.work_id, ReviewStatus.PASSED, "")
            record(uow, operator, f"appeal.{'grant' if status is AppealStatus.GRANTED else 'deny'}", "appeal",
                   appeal_id, now, reason=reason, before={"appeal": AppealStatus.OPEN.value, "work_id": appeal.work_id},
                   after={"appeal": status.value})
            uow.commit()
        if status is AppealStatus.GRANTED and self.cache is not None:
            self.cache.purge()
        if status is AppealStatus.GRANTED and self.files is not None:
            self.files.restore(appeal.work_id)
        return appeal
