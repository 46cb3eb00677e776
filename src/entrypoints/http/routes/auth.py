"""二、认证模块: SMS code login and WeChat OAuth login."""
from __future__ import annotations

from flask import request

from .. import presenters
from ..api import Api, Call
from ..schemas.auth import (
    LoginData,
    SmsSendBody,
    SmsSendData,
    SmsVerifyBody,
    WeChatCallbackBody,
    WeChatInitBody,
    WeChatInitData,
)

api = Api("auth", tag="认证")


@api.route("POST", "/auth/sms/send", summary="发送短信验证码", body=SmsSendBody, response=SmsSendData,
           message="验证码已发送", errors=(1006, 2000, 4002),
           description="60秒内不可重发，每个手机号每日有上限。测试手机号（SKYRIFF_TEST_PHONES）不发送短信。")
def sms_send(call: Call):
    return {"expire_in": call.services.sms_login().send_code(call.body.phone, request.remote_addr)}


@api.route("POST", "/auth/sms/verify", summary="验证码登录", body=SmsVerifyBody, response=LoginData,
           message="登录成功", errors=(1004, 1005, 1006, 2000),
           description="首次登录自动注册。输错5次验证码即失效；每个手机号、每个IP每小时的验证次数有上限。")
def sms_verify(call: Call):
    return presenters.login(call.services.sms_login().verify(call.body.phone, call.body.code, request.remote_addr))


@api.route("POST", "/auth/wechat/init", summary="微信登录初始化", body=WeChatInitBody, response=WeChatInitData,
           errors=(2000, 4003))
def wechat_init(call: Call):
    init = call.services.wechat_login().init(call.body.platform)
    return {"app_id": init.app_id, "redirect_uri": init.redirect_uri, "state": init.state,
            "authorize_url": init.authorize_url}


@api.route("POST", "/auth/wechat/callback", summary="微信登录回调", body=WeChatCallbackBody, response=LoginData,
           message="登录成功", errors=(1004, 2000, 4003),
           description="state 只能使用一次；用 init 时平台（app/web）对应的 AppID 换取用户信息。")
def wechat_callback(call: Call):
    return presenters.login(call.services.wechat_login().callback(call.body.code, call.body.state))
