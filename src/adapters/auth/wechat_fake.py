"""An offline `WeChatLogin` for local development and tests: any code logs in a made-up WeChat user.

The same code from the app and the website yields the same unionid (and different openids), which is
how a developer plays one WeChat person on both platforms. Codes starting with "invalid" are refused.
"""
from __future__ import annotations

from skyriff_domain.errors import WeChatLoginFailed
from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile
from skyriff_domain.ports.auth import WeChatLogin

from .wechat_oauth import qrconnect_url


class FakeWeChatLogin(WeChatLogin):
    """Deterministic profiles: openid `o_{platform}_{code}`, unionid `u_{code}`, nickname `微信用户{code[:6]}`."""

    def __init__(
        self,
        app_app_id: str = "wx_fake_app",
        web_app_id: str = "wx_fake_web",
        web_redirect_uri: str = "http://127.0.0.1:8000/wechat/callback",
        open_base_url: str = "https://open.weixin.qq.com",
    ) -> None:
        self._app_ids = {WeChatPlatform.APP: app_app_id, WeChatPlatform.WEB: web_app_id}
        self._redirect_uris = {WeChatPlatform.APP: "", WeChatPlatform.WEB: web_redirect_uri}
        self._open_base_url = open_base_url.rstrip("/")

    def app_id(self, platform: WeChatPlatform) -> str:
        return self._app_ids[WeChatPlatform(platform)]

    def redirect_uri(self, platform: WeChatPlatform) -> str:
        return self._redirect_uris[WeChatPlatform(platform)]

    def authorize_url(self, platform: WeChatPlatform, state: str) -> str | None:
        """Same shape as the real QR-connect URL for the website; None for the app."""
        if WeChatPlatform(platform) is not WeChatPlatform.WEB:
            return None
        return qrconnect_url(self._open_base_url, self.app_id(platform), self.redirect_uri(platform), state)

    def exchange_code(self, platform: WeChatPlatform, code: str) -> WeChatProfile:
        """A made-up profile for `code`; raises WeChatLoginFailed for an empty code or one starting with "invalid"."""
        platform = WeChatPlatform(platform)
        if not code or code.startswith("invalid"):
            raise WeChatLoginFailed("invalid code")
        return WeChatProfile(
            app_id=self.app_id(platform),
            openid=f"o_{platform}_{code}",
            unionid=f"u_{code}",
            nickname=f"微信用户{code[:6]}",
        )
