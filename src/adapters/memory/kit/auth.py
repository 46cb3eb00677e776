"""Login, scripted: an SMS sender that records what it would send, and a WeChat login whose codes map to
profiles the caller chose."""
from __future__ import annotations

from skyriff_domain.errors import WeChatLoginFailed
from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile
from skyriff_domain.ports import SmsSender, WeChatLogin


class RecordingSms(SmsSender):
    """Sends nothing; `sent` keeps (phone, code) pairs and `last_code(phone)` reads one back."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send_code(self, phone: str, code: str, ttl_minutes: int) -> None:
        self.sent.append((phone, code))

    def last_code(self, phone: str) -> str:
        return [c for p, c in self.sent if p == phone][-1]


class ScriptedWeChat(WeChatLogin):
    """Codes map to profiles the test chose (`profiles[(platform, code)]`); app and web have their own AppIDs."""

    def __init__(self) -> None:
        self.profiles: dict[tuple[WeChatPlatform, str], WeChatProfile] = {}
        self.exchanged: list[tuple[WeChatPlatform, str]] = []

    def app_id(self, platform: WeChatPlatform) -> str:
        return f"wx_{platform}"

    def redirect_uri(self, platform: WeChatPlatform) -> str:
        return "https://skyriff.example/wechat" if platform is WeChatPlatform.WEB else ""

    def exchange_code(self, platform: WeChatPlatform, code: str) -> WeChatProfile:
        self.exchanged.append((platform, code))
        try:
            return self.profiles[(platform, code)]
        except KeyError:
            raise WeChatLoginFailed("invalid code") from None
