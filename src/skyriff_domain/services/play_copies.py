"""The play copy a published work serves: the video's play copy re-labelled with the work's PropagateID.

Made before the publishing transaction (a stream copy: no lock is held while files move), stored under a new
key beside the old one, and deleted again when publishing fails.
"""
from __future__ import annotations

import contextlib
import posixpath
import secrets
from collections.abc import Iterator

import attrs

from ..errors import NotAllowed
from ..model.media import PublishStatus, VideoAsset
from ..model.work import Work
from ..ports import BlobStorage, UnitOfWorkFactory
from .aigc import AigcLabels
from .lookups import owned


@attrs.frozen
class PlayCopy:
    video_id: int
    key: str
    produce_id: str
    propagate_id: str

    def apply(self, work: Work, video: VideoAsset) -> None:
        """The work and its video serve this copy from now on."""
        assert video.id == self.video_id
        work.play_key, work.aigc_propagate_id = self.key, self.propagate_id
        video.watermarked_key, video.aigc_produce_id = self.key, self.produce_id


@attrs.define
class PlayCopies:
    uow: UnitOfWorkFactory
    storage: BlobStorage
    labels: AigcLabels

    def prepare(self, user_id: int, video_id: int) -> PlayCopy:
        """Checks what publishing will check again under lock (own video, not published: 2007, 2002, 2008),
        so a refused request costs no copy."""
        with self.uow(read_only=True) as uow:
            video = owned(uow.videos.get(video_id), user_id, "视频不存在", "只能发布自己的视频")
        if video.publish_status is PublishStatus.PUBLISHED:
            raise NotAllowed("该视频已发布")
        label = self.labels.for_work(video)
        data = self.labels.relabel(self.storage.get(video.watermarked_key), label)
        key = posixpath.join(posixpath.dirname(video.watermarked_key), f"play-{secrets.token_hex(8)}.mp4")
        self.storage.put(key, data, "video/mp4")
        return PlayCopy(video_id, key, label.produce_id, label.propagate_id)


@contextlib.contextmanager
def discarded_on_error(copies: PlayCopies | None, copy: PlayCopy | None) -> Iterator[None]:
    """Wrap the publishing transaction: if it fails, nothing serves the copy, so it goes."""
    try:
        yield
    except BaseException:
        if copies is not None and copy is not None:
            copies.storage.delete(copy.key)
        raise
