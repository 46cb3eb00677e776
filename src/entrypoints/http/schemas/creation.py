"""Schemas of 五、创作模块 and 六、资产模块."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Body, Data, Id, PageQuery, Timestamp

Status = Literal["NOT_START", "QUEUED", "IN_PROGRESS", "SUCCESS", "FAILURE"]
UPLOAD_REQUEST = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "PNG/JPEG/WebP，不超过10MB"}}}}}}


class UploadData(Data):
    asset_id: int
    url: str
    size: int
    width: int
    height: int
    aigc_label: Literal["1", "2", "3"] | None = Field(
        description="图片自带的AIGC隐式标识的 Label（1 生成、2 可能、3 疑似）；没有则为 null")


class TaskCreateBody(Body):
    prompt: str = Field(min_length=1, max_length=2000)
    duration_sec: Literal[10, 15, 25]
    ratio: Literal["9:16", "16:9", "1:1"]
    model: Literal["sora2", "sora2Pro"]
    project_id: Id | None = None
    reference_image_asset_id: Id | None = Field(None, description="图生视频时必填：/media/upload 返回的 asset_id")
    note: str = Field("", max_length=200)


class TaskCreated(Data):
    task_id: int
    status: Status
    cost_credits: int
    estimated_time: int = Field(description="预计耗时（秒）")


class TaskQuery(PageQuery):
    status: Status | None = None


class TaskData(Data):
    task_id: int
    prompt: str
    duration_sec: int
    ratio: str
    model: str
    status: Status
    progress: int
    cost_credits: int
    project_id: int | None
    note: str
    video_id: int | None
    error_message: str | None
    refunded: bool
    created_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None


class VideoQuery(PageQuery):
    project_id: Id | None = None


class VideoItem(Data):
    video_id: int
    project_id: int | None
    watermarked_play_url: str
    thumbnail_url: str
    duration_sec: int
    ratio: str
    width: int
    height: int
    publish_status: Literal["draft", "published"]
    created_at: Timestamp


class CleanDownloadData(Data):
    download_url: str
    expire_at: Timestamp
    cost_credits: int


class ProjectBody(Body):
    name: str = Field(min_length=1, max_length=50)


class ProjectItem(Data):
    project_id: int
    name: str
    video_count: int
    created_at: Timestamp
    updated_at: Timestamp


class ProjectList(Data):
    items: list[ProjectItem]
