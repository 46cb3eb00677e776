"""Reading the clean-download log: the record the labelling rules ask for when a copy has no visible label."""
from __future__ import annotations

import attrs

from ..model.media import CleanDownloadRecord
from ..ports import UnitOfWorkFactory


@attrs.define
class DownloadRecords:
    uow: UnitOfWorkFactory

    def find(self, video_id: int | None = None, user_id: int | None = None,
             limit: int = 100) -> list[CleanDownloadRecord]:
        """Newest first, optionally of one video and/or one user."""
        with self.uow(read_only=True) as uow:
            return uow.clean_downloads.find(video_id, user_id, limit)
