"""Video assets and projects: what a successful task leaves behind, and how users group it."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs


class PublishStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


@attrs.define
class VideoAsset:
    """Storage keys: the original stays private (paid download), the watermarked copy and cover are public."""

    owner_id: int
    task_id: int
    duration_sec: int
    ratio: str
    original_key: str
    watermarked_key: str
    cover_key: str
    width: int
    height: int
    size: int
    created_at: datetime
    project_id: int | None = None
    publish_status: PublishStatus = PublishStatus.DRAFT
    clean_download_paid: bool = False
    id: int | None = None


@attrs.define
class Project:
    owner_id: int
    name: str
    created_at: datetime
    updated_at: datetime
    id: int | None = None


@attrs.frozen
class ImageInfo:
    """What decoding an uploaded image proved about it."""

    format: str  # png | jpeg | webp
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return f"image/{self.format}"


@attrs.frozen
class ProcessedVideo:
    """The three files a finished generation becomes."""

    original: bytes  # MP4, cropped to square when asked: what the paid download delivers
    watermarked: bytes  # MP4 with the SkyRiff mark: what plays in the app and on share pages
    cover: bytes  # JPEG frame
    width: int
    height: int
