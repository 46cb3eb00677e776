"""The moderation queue as operators work it: each open case with the work or video it is about (for a preview)
and, for reported works, the reports themselves; and appeals with the takedown they contest."""
from __future__ import annotations

import attrs

from ..model.media import VideoAsset
from ..model.moderation import ModerationCase, QueueItem
from ..model.report import Appeal, AppealStatus, Report
from ..model.work import Work
from ..ports import UnitOfWorkFactory
from ..services.moderation import Moderation

REPORTS_SHOWN = 20


@attrs.frozen
class QueueEntry:
    item: QueueItem
    work: Work | None
    video: VideoAsset | None
    reports: list[Report]

    @property
    def case(self) -> ModerationCase:
        return self.item.case

    @property
    def play_key(self) -> str | None:
        """The public play copy to preview (the work's, else the held video's); never the private original."""
        if self.work is not None and self.work.play_key:
            return self.work.play_key
        return self.video.watermarked_key if self.video is not None else None

    @property
    def cover_key(self) -> str | None:
        if self.work is not None and self.work.cover_key:
            return self.work.cover_key
        return self.video.cover_key if self.video is not None else None


@attrs.frozen
class AppealEntry:
    appeal: Appeal
    work: Work | None
    takedown: ModerationCase | None


@attrs.define
class ModerationViews:
    uow: UnitOfWorkFactory
    moderation: Moderation

    def queue(self, limit: int = 50) -> list[QueueEntry]:
        items = self.moderation.queue(limit)
        with self.uow(read_only=True) as uow:
            out = []
            for item in items:
                case = item.case
                work = uow.works.get(case.work_id) if case.work_id is not None else None
                video_id = case.video_id or (work.video_id if work else None)
                video = uow.videos.get(video_id) if video_id is not None else None
                reports = uow.console.reports_on_work(case.work_id, REPORTS_SHOWN) if case.work_id else []
                out.append(QueueEntry(item, work, video, [r for r in reports if r.case_id == case.id]))
        return out

    def appeals(self, status: AppealStatus | None = AppealStatus.OPEN, limit: int = 50) -> list[AppealEntry]:
        with self.uow(read_only=True) as uow:
            rows = uow.appeals.page(status, max(1, min(limit, 500)))
            return [AppealEntry(a, uow.works.get(a.work_id), uow.cases.get(a.case_id)) for a in rows]
