"""Files in local storage: public ones (watermarked videos, covers, images) directly, private originals
only through a signed link that has not expired."""
from __future__ import annotations

import mimetypes

from flask import request, send_file

from adapters.storage.local import LocalBlobStorage
from skyriff_domain.errors import NotFound

from ..api import Api, Call

api = Api("files", tag="文件")
_DOC = {"200": {"description": "文件内容（支持 Range）", "content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}},
    "default": {"description": "错误", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}}
_QUERY = [{"name": "expires", "in": "query", "required": False, "schema": {"type": "string"}},
          {"name": "filename", "in": "query", "required": False, "schema": {"type": "string"}},
          {"name": "signature", "in": "query", "required": False, "schema": {"type": "string"}}]


@api.route("GET", "/files/<path:key>", summary="下载文件（本地存储）", raw_responses=_DOC, raw_parameters=_QUERY,
           description="public/ 下的文件直接访问；其余需要带 expires 与 signature 的限时链接（1小时）；"
                       "带 filename 的链接以该文件名作为附件下载。",
           merge_slashes=False)  # "//x" must not redirect to "/x": every odd spelling of a key is a 404
def serve_file(call: Call):
    storage = call.services.storage()
    if not isinstance(storage, LocalBlobStorage):  # an S3 bucket serves its own files
        raise NotFound("文件不存在")
    # The storage resolves the key and decides public/private on what it resolved to; never on the raw key.
    file = storage.servable(call.path["key"], request.args.get("expires"), request.args.get("signature"),
                            call.services.clock().now(), request.args.get("filename"))
    mimetype = mimetypes.guess_type(file.path.name)[0] or "application/octet-stream"
    return send_file(file.path, mimetype=mimetype, conditional=True, max_age=3600 if file.public else 0,
                     as_attachment=file.download_name is not None, download_name=file.download_name)
