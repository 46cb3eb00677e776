"""FakeWeChatLogin: deterministic offline profiles, one unionid per code across app and web."""
from __future__ import annotations

import pytest

from adapters.auth.wechat_fake import FakeWeChatLogin
from skyriff_domain.errors import WeChatLoginFailed
from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile
from skyriff_domain.ports.auth import WeChatLogin


def test_it_is_a_wechat_login() -> None:
    assert isinstance(FakeWeChatLogin(), WeChatLogin)


def test_a_code_maps_to_a_deterministic_profile() -> None:
    fake = FakeWeChatLogin()
    profile = fake.exchange_code(WeChatPlatform.APP, "alice123")

    assert profile == WeChatProfile(app_id="wx_fake_app", openid="o_app_alice123", unionid="u_alice123",
                                    nickname="微信用户alice1", avatar_url=None)
    assert fake.exchange_code(WeChatPlatform.APP, "alice123") == profile


def test_the_same_code_on_app_and_web_is_the_same_person() -> None:
    fake = FakeWeChatLogin()
    on_app = fake.exchange_code(WeChatPlatform.APP, "bob")
    on_web = fake.exchange_code(WeChatPlatform.WEB, "bob")

    assert on_app.unionid == on_web.unionid == "u_bob"
    assert (on_app.openid, on_web.openid) == ("o_app_bob", "o_web_bob")
    assert (on_app.app_id, on_web.app_id) == ("wx_fake_app", "wx_fake_web")


@pytest.mark.parametrize("code", ["invalid", "invalid-42", ""])
def test_invalid_codes_are_refused(code: str) -> None:
    with pytest.raises(WeChatLoginFailed) as raised:
        FakeWeChatLogin().exchange_code(WeChatPlatform.WEB, code)
    assert raised.value.code == 4003


def test_app_ids_and_redirect_uris() -> None:
    fake = FakeWeChatLogin()
    assert fake.app_id(WeChatPlatform.APP) == "wx_fake_app"
    assert fake.app_id(WeChatPlatform.WEB) == "wx_fake_web"
    assert fake.redirect_uri(WeChatPlatform.WEB) == "http://127.0.0.1:8000/wechat/callback"
    assert fake.redirect_uri(WeChatPlatform.APP) == ""


def test_authorize_url_for_web_only() -> None:
    fake = FakeWeChatLogin()
    url = fake.authorize_url(WeChatPlatform.WEB, "s1")
    assert url == ("https://open.weixin.qq.com/connect/qrconnect?appid=wx_fake_web"
                   "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fwechat%2Fcallback"
                   "&response_type=code&scope=snsapi_login&state=s1#wechat_redirect")
    assert fake.authorize_url(WeChatPlatform.APP, "s1") is None
