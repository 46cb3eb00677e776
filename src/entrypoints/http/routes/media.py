"""五、创作模块 (uploads): images for reference frames and avatars."""
from __future__ import annotations

from flask import request

from skyriff_domain.errors import InvalidRequest

from ..api import Api, Auth, Call
from ..schemas.creation import UPLOAD_REQUEST, UploadData

api = Api("media", tag="创作")
MAX_IMAGE = 10 * 1024 * 1024


@api.route("POST", "/media/upload", summary="上传图片", raw_request=UPLOAD_REQUEST, response=UploadData,
           auth=Auth.REQUIRED, message="上传成功", errors=(2000,),
           description="multipart/form-data 的 file 字段；PNG/JPEG/WebP，按内容解码校验，不超过10MB。"
                       "图片若带AIGC隐式标识（PNG文本块、TC260 XMP 或 EXIF），aigc_label 返回其 Label 并留存。")
def upload(call: Call):
    file = request.files.get("file")
    if file is None:
        raise InvalidRequest("file", "必填（multipart/form-data）")
    data = file.stream.read(MAX_IMAGE + 1)
    if len(data) > MAX_IMAGE:
        raise InvalidRequest("file", "图片不能超过10MB")
    image = call.services.assets().upload_image(call.user_id, data)
    return {"asset_id": image.id, "url": image.url, "size": image.size, "width": image.width, "height": image.height,
            "aigc_label": image.aigc_label}
