"""A taken-down work's files stop being reachable: its play copy and cover move from `public/` (linkable by
anyone who ever saw the link) to `private/withheld/`, and back when an appeal restores the work.

Files are copied before the keys change and the old ones deleted after the commit, so a crash leaves at most
a spare copy, never a work pointing at nothing. The video's own keys move with the work's (publishing made
them the same files). A CDN in front of public storage keeps its copies until they expire or are purged.
"""
from __future__ import annotations

import posixpath

import attrs

from ..model.moderation import ReviewStatus
from ..ports import BlobStorage, UnitOfWorkFactory

PUBLIC = "public/"
WITHHELD = "private/withheld/"
CONTENT_TYPES = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                 ".webp": "image/webp"}


@attrs.define
class WithheldFiles:
    uow: UnitOfWorkFactory
    storage: BlobStorage

    def withhold(self, work_id: int) -> None:
        """After a takedown: the work's public files go private (no-op when they already are)."""
        self._move(work_id, PUBLIC, WITHHELD, ReviewStatus.TAKEN_DOWN)

    def restore(self, work_id: int) -> None:
        """After an appeal is granted: the files are public again, under their old keys."""
        self._move(work_id, WITHHELD, PUBLIC, ReviewStatus.PASSED)

    def _move(self, work_id: int, source: str, target: str, meant_for: ReviewStatus) -> None:
        with self.uow(read_only=True) as uow:
            work = uow.works.get(work_id)
        if work is None or work.review_status is not meant_for:
            return
        moves = {key: target + key[len(source):] for key in {work.play_key, work.cover_key}
                 if key and key.startswith(source)}
        for old, new in moves.items():
            self.storage.put(new, self.storage.get(old), _content_type(old))
        with self.uow() as uow:
            work = uow.works.get(work_id)
            if work is None or work.review_status is not meant_for:  # decided otherwise meanwhile
                stale = list(moves.values())
            else:
                uow.works.set_files(work_id, moves.get(work.play_key, work.play_key),
                                    moves.get(work.cover_key, work.cover_key))
                video = uow.videos.get_for_update(work.video_id)
                if video is not None:
                    video.watermarked_key = moves.get(video.watermarked_key, video.watermarked_key)
                    video.cover_key = moves.get(video.cover_key, video.cover_key)
                    uow.videos.save(video)
                uow.commit()
                stale = list(moves)
        for key in stale:
            self.storage.delete(key)


def _content_type(key: str) -> str:
    return CONTENT_TYPES.get(posixpath.splitext(key)[1].lower(), "application/octet-stream")
