"""Uploaded images and generated videos: upload, list, and the paid watermark-free download."""
from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from ..model.catalog import ImageAsset
from ..model.ledger import LedgerRef, LedgerType
from ..model.media import CleanDownloadRecord, PublishStatus, VideoAsset
from ..money import Credits
from ..policy import Policy
from ..ports import BlobStorage, Clock, MediaProcessor, UnitOfWorkFactory
from . import wallet_ops
from .aigc import AigcLabels
from .lookups import owned, split_page


@attrs.frozen
class CleanDownload:
    """A link to the original, good until `expires_at`, and what it cost (0 once the video is paid for)."""

    url: str
    expires_at: datetime
    cost: Credits


@attrs.define
class Assets:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    storage: BlobStorage
    media: MediaProcessor
    labels: AigcLabels | None = None  # reads the AIGC label an upload carries; None: not looked for

    def upload_image(self, user_id: int, data: bytes) -> ImageAsset:
        """PNG, JPEG or WebP only, proven by decoding; size, dimensions and any AIGC label recorded."""
        info = self.media.inspect_image(data)
        aigc_label = self.labels.image_label(data) if self.labels else None
        key = f"public/images/{user_id}/{uuid.uuid4().hex}.{'jpg' if info.format == 'jpeg' else info.format}"
        self.storage.put(key, data, info.content_type)
        with self.uow() as uow:
            asset = uow.assets.add_image(ImageAsset(owner_id=user_id, url=self.storage.public_url(key), size=len(data),
                                                    width=info.width, height=info.height, created_at=self.clock.now(),
                                                    storage_key=key, aigc_label=aigc_label))
            uow.commit()
        return asset

    def videos(self, user_id: int, project_id: int | None, before_id: int | None,
               limit: int) -> tuple[list[VideoAsset], bool]:
        with self.uow(read_only=True) as uow:
            rows = uow.videos.page_for_user(user_id, project_id, before_id, limit + 1)
        return split_page(rows, limit)

    def drafts(self, user_id: int, before_id: int | None, limit: int) -> tuple[list[VideoAsset], bool]:
        """The user's videos that are not published yet, newest first."""
        with self.uow(read_only=True) as uow:
            rows = uow.videos.page_for_user(user_id, None, before_id, limit + 1, PublishStatus.DRAFT)
        return split_page(rows, limit)

    def download_clean(self, user_id: int, video_id: int, client_ip: str | None = None) -> CleanDownload:
        """Own videos only (2002). Charged once per video; afterwards a fresh link costs nothing. Every link is
        recorded with the download (the copy has no visible AIGC label: the rules ask who took it) and is a
        link of its own: its file name carries the record's id, and its expiry counts from this request."""
        now = self.clock.now()
        price = self.policy.pricing.download_no_watermark
        with self.uow() as uow:
            wallet_ops.locked_wallet(uow, user_id)  # the wallet before the video row: every money move locks wallets first
            video = owned(uow.videos.get_for_update(video_id), user_id, "视频不存在", "只能下载自己的视频")
            cost = Credits(0)
            if not video.clean_download_paid:
                wallet_ops.spend_credits(uow, user_id, price, LedgerType.DOWNLOAD_SPEND, "无水印下载", now,
                                         LedgerRef("video", video_id), f"video:{video_id}:clean_download")
                video.clean_download_paid, cost = True, price
                uow.videos.save(video)
            record = uow.clean_downloads.add(CleanDownloadRecord(user_id, video_id, now, client_ip))
            uow.commit()
        expires_at = now + self.policy.pricing.download_link_ttl
        filename = f"skyriff-{video_id}-{record.id}.mp4"
        return CleanDownload(self.storage.signed_url(video.original_key, expires_at, filename), expires_at, cost)

    def public_url(self, key: str) -> str:
        return self.storage.public_url(key)
