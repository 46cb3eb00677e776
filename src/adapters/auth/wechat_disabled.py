"""The `WeChatLogin` of a deployment without WeChat: no AppID is configured and the fake is not allowed
(off the embedded database it would let anyone log in as any WeChat user). Every call answers 2008."""
from __future__ import annotations

from skyriff_domain.errors import NotAllowed
from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile
from skyriff_domain.ports.auth import WeChatLogin

MESSAGE = "微信登录未启用"


class DisabledWeChatLogin(WeChatLogin):
    def check_enabled(self) -> None:
        raise NotAllowed(MESSAGE)

    def app_id(self, platform: WeChatPlatform) -> str:
        raise NotAllowed(MESSAGE)

    def redirect_uri(self, platform: WeChatPlatform) -> str:
        raise NotAllowed(MESSAGE)

    def exchange_code(self, platform: WeChatPlatform, code: str) -> WeChatProfile:
        raise NotAllowed(MESSAGE)
