"""支付回调: each channel posts to its own path and gets the answer it expects; the spec's single
`/payments/callback` recognises the channel from the request. Forged or mismatched notices change nothing."""
from __future__ import annotations

import logging
from urllib.parse import parse_qs

from flask import Response, request

from skyriff_domain.errors import NotificationRejected

from ..api import Api, Call
from ..envelope import envelope
from ..errors import domain_error_response

log = logging.getLogger("skyriff.payments")
api = Api("payment_callbacks", tag="支付回调")

_FAIL_JSON = {"application/json": {"schema": {"type": "object", "properties": {
    "code": {"type": "string", "const": "FAIL"}, "message": {"type": "string"}}, "required": ["code", "message"]}}}
_TEXT = {"text/plain": {"schema": {"type": "string"}}}
_ENVELOPE = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
_ANY_BODY = {"required": False, "content": {"application/json": {"schema": {}},
                                            "application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}
WECHAT_DOC = {"204": {"description": "已处理"}, "400": {"description": "拒绝", "content": _FAIL_JSON},
              "default": {"description": "系统错误", "content": _ENVELOPE}}
ALIPAY_DOC = {"200": {"description": "已处理：success", "content": _TEXT},
              "400": {"description": "拒绝：fail", "content": _TEXT},
              "default": {"description": "系统错误", "content": _ENVELOPE}}
SANDBOX_DOC = {"200": {"description": "已处理", "content": _ENVELOPE},
               "400": {"description": "拒绝（3004）", "content": _ENVELOPE},
               "default": {"description": "系统错误", "content": _ENVELOPE}}


def _settle(call: Call, channel: str) -> NotificationRejected | None:
    try:
        call.services.payments().handle_notification(channel, dict(request.headers), request.get_data(cache=True))
    except NotificationRejected as error:
        log.warning("%s notification rejected: %s (from %s)", channel, error.message, request.remote_addr)
        return error
    return None


def wechat_reply(call: Call) -> Response:
    error = _settle(call, "wechat")
    if error is None:
        return Response(status=204)
    return Response(f'{{"code":"FAIL","message":"{error.code}"}}', status=400, mimetype="application/json")


def alipay_reply(call: Call) -> Response:
    error = _settle(call, "alipay")
    return Response("success", mimetype="text/plain") if error is None else Response(
        "fail", status=400, mimetype="text/plain")


def sandbox_reply(call: Call) -> Response:
    error = _settle(call, "sandbox")
    return envelope(0, "success", None) if error is None else domain_error_response(error)


api.route("POST", "/payments/callback/wechat", summary="微信支付通知", raw_request=_ANY_BODY,
          raw_responses=WECHAT_DOC, description="验签（平台公钥）、5分钟时效、AES-256-GCM 解密、金额核对。")(wechat_reply)
api.route("POST", "/payments/callback/alipay", summary="支付宝异步通知", raw_request=_ANY_BODY,
          raw_responses=ALIPAY_DOC, description="RSA2 验签（支付宝公钥）、app_id 与金额核对；成功返回 success。")(
    alipay_reply)
api.route("POST", "/payments/callback/sandbox", summary="沙箱支付通知（开发环境）", raw_request=_ANY_BODY,
          raw_responses=SANDBOX_DOC,
          description="X-Sandbox-Signature = hex(HMAC-SHA256(SKYRIFF_SANDBOX_PAY_SECRET, body))")(sandbox_reply)


@api.route("POST", "/payments/callback", summary="支付回调（按请求识别渠道）", raw_request=_ANY_BODY,
           raw_responses={**WECHAT_DOC, **ALIPAY_DOC, "200": {"description": "已处理", "content": {**_TEXT, **_ENVELOPE}},
                          "400": {"description": "拒绝", "content": {**_TEXT, **_FAIL_JSON, **_ENVELOPE}}},
           description="微信（Wechatpay-* 头）、支付宝（表单含 sign）、沙箱（X-Sandbox-Signature）；各自的应答格式。")
def payment_callback(call: Call):
    headers = {k.lower() for k in request.headers.keys()}
    if "wechatpay-signature" in headers:
        return wechat_reply(call)
    if "x-sandbox-signature" in headers:
        return sandbox_reply(call)
    # Look at the raw bytes: touching request.form would consume the body the signature covers.
    if request.mimetype == "application/x-www-form-urlencoded" and "sign" in parse_qs(
            request.get_data(cache=True).decode("utf-8", "replace")):
        return alipay_reply(call)
    return domain_error_response(NotificationRejected("无法识别的支付通知"))


def wechat_refund_reply(call: Call) -> Response:
    """WeChat Pay's refund notifications (REFUND.SUCCESS / ABNORMAL / CLOSED), verified like payment ones."""
    try:
        call.services.refunds().handle_notification("wechat", dict(request.headers), request.get_data(cache=True))
    except NotificationRejected as error:
        log.warning("wechat refund notification rejected: %s (from %s)", error.message, request.remote_addr)
        return Response(f'{{"code":"FAIL","message":"{error.code}"}}', status=400, mimetype="application/json")
    return Response(status=204)


api.route("POST", "/payments/refund_callback/wechat", summary="微信支付退款通知", raw_request=_ANY_BODY,
          raw_responses=WECHAT_DOC, description="验签（平台公钥）、5分钟时效、AES-256-GCM 解密、退款单与金额核对。")(
    wechat_refund_reply)
