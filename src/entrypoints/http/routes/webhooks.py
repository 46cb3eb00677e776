"""Video provider webhooks (`video.completed` / `video.failed`, Standard Webhooks signatures)."""
from __future__ import annotations

import logging

from flask import request

from adapters.providers.webhooks import WebhookRejected, verify
from skyriff_domain.errors import InvalidRequest, NotFound

from ..api import Api, Call
from ..schemas.common import Data

api = Api("webhooks", tag="运维")
log = logging.getLogger("skyriff.providers")
_BODY = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
_HEADERS = [{"name": h, "in": "header", "required": False, "schema": {"type": "string"}}
            for h in ("webhook-id", "webhook-timestamp", "webhook-signature")]


class WebhookData(Data):
    result: str


@api.route("POST", "/providers/<name>/webhooks", summary="视频服务商回调", raw_request=_BODY,
           raw_parameters=_HEADERS, response=WebhookData, errors=(2000, 2007),
           description="Standard Webhooks 签名（5分钟时效），按 webhook-id 去重；只触发立即轮询，结果仍以轮询为准。")
def provider_webhook(call: Call):
    secret = call.services.settings().video_webhook_secret
    provider = call.path["name"]
    if not secret or call.services.router().provider(provider) is None:
        raise NotFound("未启用该服务商的回调")
    try:
        event = verify(secret, dict(request.headers), request.get_data(cache=True), call.services.clock().now())
    except WebhookRejected as rejected:
        log.warning("webhook from %s rejected: %s", provider, rejected)
        raise InvalidRequest("webhook-signature", "签名无效或已过期") from None
    result = call.services.provider_events().video_event(provider, event.event_id, event.type, event.video_id)
    return {"result": result}
