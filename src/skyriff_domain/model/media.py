"""Video assets and projects: what a successful task leaves behind, and how users group it."""
from __future__ import annotations

import enum
import ipaddress
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
    aigc_produce_id: str | None = None  # the ProduceID in its files' AIGC label (None: stored before labels)
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


@attrs.frozen
class CleanDownloadRecord:
    """One watermark-free download link handed out: who, which video, when, from which address. The labelling
    rules allow a copy without the visible label only with such a record, kept at least 180 days: nothing
    deletes these rows (a purge, if one is ever added, must spare anything younger than 180 days)."""

    user_id: int
    video_id: int
    created_at: datetime
    client_ip: str | None = attrs.field(default=None, converter=lambda value: client_address(value))
    id: int | None = None


CLIENT_ADDRESS_MAX = 64


def client_address(value: str | None) -> str | None:
    """An address as the API saw it (behind trusted proxies, the client's): normalised when it is an IP
    address, else kept as given (at most 64 characters) so the record still says what was seen."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return value[:CLIENT_ADDRESS_MAX]
    mapped = getattr(address, "ipv4_mapped", None)  # "::ffff:1.2.3.4" (a dual-stack socket) is an IPv4 client
    return str(mapped or address)
