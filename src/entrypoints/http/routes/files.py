"""Files in local storage: public ones (watermarked videos, covers, images) directly, private originals
only through a signed link that has not expired."""
from __future__ import annotations

import mimetypes

from flask import request, send_file

from adapters.storage.local import LocalBlobStorage
from skyriff_domain.errors import NotFound, PermissionDenied

from ..api import Api, Call

api = Api("files", tag="文件")
_DOC = {"200": {"description": "文件内容（支持 Range）", "content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}},
    "default": {"description": "错误", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}}
_QUERY = [{"name": "expires", "in": "query", "required": False, "schema": {"type": "string"}},
          {"name": "signature", "in": "query", "required": False, "schema": {"type": "string"}}]


@api.route("GET", "/files/<path:key>", summary="下载文件（本地存储）", raw_responses=_DOC, raw_parameters=_QUERY,
           description="public/ 下的文件直接访问；其余需要带 expires 与 signature 的限时链接（1小时）。")
def serve_file(call: Call):
    storage = call.services.storage()
    if not isinstance(storage, LocalBlobStorage):  # an S3 bucket serves its own files
        raise NotFound("文件不存在")
    key = call.path["key"]
    if not key.startswith("public/") and not storage.link_is_valid(
            key, request.args.get("expires"), request.args.get("signature"), call.services.clock().now()):
        raise PermissionDenied("链接无效或已过期")
    try:
        path = storage.path(key)
    except ValueError:
        raise NotFound("文件不存在") from None
    if not path.is_file():
        raise NotFound("文件不存在")
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return send_file(path, mimetype=mimetype, conditional=True, max_age=3600 if key.startswith("public/") else 0)
