"""六、资产模块: videos, the paid watermark-free download, projects."""
from __future__ import annotations

from flask import request

from .. import presenters
from ..api import Api, Auth, Call, Reply
from ..envelope import iso
from ..pagination import decode_cursor, encode_cursor, page
from ..schemas.common import Page
from ..schemas.creation import CleanDownloadData, ProjectBody, ProjectItem, ProjectList, VideoItem, VideoQuery

api = Api("assets", tag="资产")


@api.route("GET", "/assets/videos", summary="获取视频资产列表", query=VideoQuery, response=Page[VideoItem],
           auth=Auth.REQUIRED, errors=(2000,))
def videos(call: Call):
    q = call.query
    before = decode_cursor(q.cursor, int)
    assets = call.services.assets()
    rows, more = assets.videos(call.user_id, q.project_id, before[0] if before else None, q.limit)
    items = [presenters.video(v, assets.public_url) for v in rows]
    return page(items, more, encode_cursor(rows[-1].id) if rows else None)


@api.route("POST", "/assets/videos/<int:video_id>/download_no_watermark", summary="无水印下载",
           response=CleanDownloadData, auth=Auth.REQUIRED, idempotent=True, message="扣费成功",
           errors=(2001, 2002, 2007), description="仅限自己的视频；每个视频首次扣6积分，之后免费；链接1小时内有效。"
                                                  "文件无水印、无显式AIGC标识，保留隐式标识；每次下载留存记录不少于180天。")
def download_clean(call: Call):
    result = call.services.assets().download_clean(call.user_id, call.path["video_id"], request.remote_addr)
    data = {"download_url": result.url, "expire_at": iso(result.expires_at), "cost_credits": result.cost.minor}
    return Reply(data, None if result.cost else "已购买，免费获取新链接")


@api.route("GET", "/projects", summary="获取项目列表", response=ProjectList, auth=Auth.REQUIRED)
def projects(call: Call):
    return {"items": [presenters.project(view) for view in call.services.projects().list(call.user_id)]}


@api.route("POST", "/projects", summary="创建项目", body=ProjectBody, response=ProjectItem, auth=Auth.REQUIRED,
           message="创建成功", errors=(2000,))
def create_project(call: Call):
    project = call.services.projects().create(call.user_id, call.body.name)
    return {"project_id": project.id, "name": project.name, "video_count": 0, "created_at": iso(project.created_at),
            "updated_at": iso(project.updated_at)}


@api.route("PATCH", "/projects/<int:project_id>", summary="重命名项目", body=ProjectBody, response=ProjectItem,
           auth=Auth.REQUIRED, message="更新成功", errors=(2000, 2002, 2007))
def rename_project(call: Call):
    service = call.services.projects()
    project = service.rename(call.user_id, call.path["project_id"], call.body.name)
    count = next((v.video_count for v in service.list(call.user_id) if v.project.id == project.id), 0)
    return {"project_id": project.id, "name": project.name, "video_count": count, "created_at": iso(project.created_at),
            "updated_at": iso(project.updated_at)}
