"""WeChat OAuth2 login over HTTP: code → access token → user info, for the mobile app and the website.

Owns the wire contract of api.weixin.qq.com (`/sns/oauth2/access_token`, `/sns/userinfo`) and the
QR-connect URL of open.weixin.qq.com. Each platform has its own AppID and secret; a code only works with
the AppID that issued it. The secret, the access token and the code never reach a log line or an error.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import attrs
import requests

from skyriff_domain.errors import WeChatLoginFailed
from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile
from skyriff_domain.ports.auth import WeChatLogin

log = logging.getLogger(__name__)

# errcode → what the user is told; anything else falls back to a generic message with the code.
_ERRORS: dict[int, str] = {
    -1: "微信服务繁忙，请稍后再试",
    40029: "微信授权码无效或已过期，请重新登录",
    40163: "微信授权码已被使用，请重新登录",
    41008: "缺少微信授权码",
    40013: "微信登录配置错误（AppID 无效）",
    40125: "微信登录配置错误（AppSecret 无效）",
    45011: "微信登录过于频繁，请稍后再试",
}


def qrconnect_url(open_base_url: str, app_id: str, redirect_uri: str, state: str) -> str:
    """The website login page (QR code) a browser is sent to; WeChat redirects back with code and state."""
    return (
        f"{open_base_url}/connect/qrconnect?appid={quote(app_id, safe='')}"
        f"&redirect_uri={quote(redirect_uri, safe='')}&response_type=code&scope=snsapi_login"
        f"&state={quote(state, safe='')}#wechat_redirect"
    )


@attrs.frozen(repr=False)
class WeChatApp:
    """One registered WeChat application (mobile app or website)."""

    app_id: str
    secret: str
    redirect_uri: str = ""

    def __repr__(self) -> str:  # keep the secret out of reprs, tracebacks and debug dumps
        return f"WeChatApp(app_id={self.app_id!r}, redirect_uri={self.redirect_uri!r})"


class _CallFailed(Exception):
    """One WeChat call went wrong; `message` is safe to show and to log (no secrets, no URL)."""

    def __init__(self, message: str, errcode: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errcode = errcode


class WeChatOAuthClient(WeChatLogin):
    """`WeChatLogin` against the real WeChat API (or a fake one at `base_url`)."""

    def __init__(
        self,
        apps: Mapping[WeChatPlatform, WeChatApp],
        base_url: str = "https://api.weixin.qq.com",
        timeout: float = 5.0,
        session: requests.Session | None = None,
        open_base_url: str = "https://open.weixin.qq.com",
    ) -> None:
        self._apps = dict(apps)
        self._base_url = base_url.rstrip("/")
        self._open_base_url = open_base_url.rstrip("/")
        self._timeout = timeout
        self._session = session or requests.Session()

    def app_id(self, platform: WeChatPlatform) -> str:
        return self._app(platform).app_id

    def redirect_uri(self, platform: WeChatPlatform) -> str:
        return self._app(platform).redirect_uri

    def authorize_url(self, platform: WeChatPlatform, state: str) -> str | None:
        """The website's QR-connect URL to redirect the browser to; None for the app (its SDK asks WeChat)."""
        app = self._app(platform)
        if platform is not WeChatPlatform.WEB:
            return None
        return qrconnect_url(self._open_base_url, app.app_id, app.redirect_uri, state)

    def exchange_code(self, platform: WeChatPlatform, code: str) -> WeChatProfile:
        """Code → access token → user info, with the AppID of `platform`; raises WeChatLoginFailed."""
        app = self._app(platform)
        if not code:
            raise WeChatLoginFailed(_ERRORS[41008])
        try:
            token = self._get_json("/sns/oauth2/access_token", {
                "appid": app.app_id, "secret": app.secret, "code": code, "grant_type": "authorization_code",
            })
        except _CallFailed as failure:
            log.warning("WeChat code exchange failed (platform=%s, appid=%s): %s [errcode=%s]",
                        platform, app.app_id, failure.message, failure.errcode)
            raise WeChatLoginFailed(_user_message(failure)) from None  # no chain: it could carry the URL
        openid, access_token = _text(token.get("openid")), _text(token.get("access_token"))
        if openid is None or access_token is None:
            log.warning("WeChat token response without openid/access_token (platform=%s, appid=%s)",
                        platform, app.app_id)
            raise WeChatLoginFailed("微信登录失败：响应缺少用户标识")

        # Identity is settled by the token exchange; user info only decorates it, so its failure
        # (48001 when the scope lacks snsapi_userinfo, a timeout...) must not block the login.
        info: dict[str, Any] = {}
        try:
            info = self._get_json("/sns/userinfo", {"access_token": access_token, "openid": openid, "lang": "zh_CN"})
        except _CallFailed as failure:
            log.warning("WeChat userinfo failed, logging in without profile (platform=%s, appid=%s): %s [errcode=%s]",
                        platform, app.app_id, failure.message, failure.errcode)
        return WeChatProfile(
            app_id=app.app_id,
            openid=openid,
            unionid=_text(token.get("unionid")) or _text(info.get("unionid")),
            nickname=_text(info.get("nickname")),
            avatar_url=_text(info.get("headimgurl")),
        )

    def _app(self, platform: WeChatPlatform) -> WeChatApp:
        app = self._apps.get(platform)
        if app is None:
            raise WeChatLoginFailed("该登录方式未配置")
        return app

    def _get_json(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """GET and decode; WeChat answers 200 even on errors, so a non-zero `errcode` is a failure too."""
        try:
            response = self._session.get(self._base_url + path, params=params, timeout=self._timeout)
        except requests.Timeout:
            raise _CallFailed("timeout") from None
        except requests.RequestException as exc:
            # Only the type name: the exception text can include the URL, i.e. the secret or token.
            raise _CallFailed(f"network error ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise _CallFailed(f"HTTP {response.status_code}")
        try:
            # Bytes, not response.json(): WeChat says text/plain without a charset, which requests
            # would decode as ISO-8859-1 and garble Chinese nicknames; json.loads detects UTF-8.
            body = json.loads(response.content)
        except ValueError:
            raise _CallFailed("response is not JSON") from None
        if not isinstance(body, dict):
            raise _CallFailed("response is not a JSON object")
        errcode = body.get("errcode")
        if errcode not in (None, 0):
            raise _CallFailed(str(body.get("errmsg") or "error"), errcode if isinstance(errcode, int) else None)
        return body


def _user_message(failure: _CallFailed) -> str:
    if failure.errcode is not None:
        return _ERRORS.get(failure.errcode, f"微信登录失败（错误码 {failure.errcode}）")
    return "微信服务暂时不可用，请稍后再试"


def _text(value: object) -> str | None:
    """A non-empty string, else None (WeChat sends "" for a missing avatar)."""
    return value if isinstance(value, str) and value else None
