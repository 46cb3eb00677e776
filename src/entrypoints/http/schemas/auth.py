"""Schemas of 二、认证模块."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Body, Data

Phone = Field(pattern=r"^1[3-9][0-9]{9}$", description="中国大陆手机号", examples=["13800138000"])


class SmsSendBody(Body):
    phone: str = Phone


class SmsSendData(Data):
    expire_in: int = Field(description="验证码有效期（秒）", examples=[300])


class SmsVerifyBody(Body):
    phone: str = Phone
    code: str = Field(pattern=r"^[0-9]{4,8}$", examples=["123456"])


class LoginUser(Data):
    user_id: int
    nickname: str
    avatar_url: str | None
    is_new_user: bool


class LoginData(Data):
    token: str = Field(description="JWT，放在 Authorization: Bearer 头中")
    user: LoginUser


class WeChatInitBody(Body):
    platform: Literal["app", "web"]


class WeChatInitData(Data):
    app_id: str
    redirect_uri: str
    state: str = Field(description="一次性，10分钟内有效")
    authorize_url: str | None = Field(description="网站扫码登录地址（app 为 null，由微信 SDK 发起）")


class WeChatCallbackBody(Body):
    code: str = Field(min_length=1, max_length=512)
    state: str = Field(min_length=1, max_length=64)
