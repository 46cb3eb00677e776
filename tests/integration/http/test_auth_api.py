"""二、认证模块 over HTTP."""
from __future__ import annotations

from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile


def sms(client):
    return client.app.extensions["skyriff"].sms_sender()


def test_sms_login_flow_for_a_real_phone(client):
    status, body = client.post("/auth/sms/send", {"phone": "13700000001"})
    assert (status, body["code"], body["message"], body["data"]) == (200, 0, "验证码已发送", {"expire_in": 300})
    code = sms(client).last_code("13700000001")
    status, body = client.post("/auth/sms/verify", {"phone": "13700000001", "code": code})
    assert status == 200 and body["message"] == "登录成功"
    user = body["data"]["user"]
    assert set(user) == {"user_id", "nickname", "avatar_url", "is_new_user"} and user["is_new_user"] is True


def test_test_phones_log_in_with_their_fixed_code_and_send_nothing(client):
    client.post("/auth/sms/send", {"phone": "13800138000"})
    assert sms(client).sent == []
    assert client.login()["is_new_user"] is True
    assert client.login()["is_new_user"] is False


def test_wrong_code_is_1005(client):
    status, body = client.post("/auth/sms/verify", {"phone": "13800138000", "code": "000000"})
    assert (status, body["code"]) == (400, 1005)


def test_resend_cooldown_is_429_with_retry_after(client):
    client.post("/auth/sms/send", {"phone": "13700000001"})
    response = client.raw.post("/v1/auth/sms/send", json={"phone": "13700000001"})
    assert response.status_code == 429 and response.json["code"] == 1006
    assert response.headers["Retry-After"] == "60" and response.json["data"] == {"retry_after": 60}


def test_bad_phone_names_the_field(client):
    status, body = client.post("/auth/sms/send", {"phone": "12345"})
    assert (status, body["code"], body["data"]["field"]) == (400, 2000, "phone")
    assert "phone" in body["message"]
    status, body = client.post("/auth/sms/send", {})
    assert (status, body["data"]["field"]) == (400, "phone")


def test_phone_digits_are_ascii_only(client):
    for phone in ("138\uff10\uff10\uff11\uff13\uff18\uff10\uff10\uff10",
                  "138\u0660\u0660\u0661\u0663\u0668\u0660\u0660\u0660"):
        for path, body in (("/auth/sms/send", {"phone": phone}), ("/auth/sms/verify", {"phone": phone, "code": "123456"})):
            status, body = client.post(path, body)
            assert (status, body["code"], body["data"]["field"]) == (400, 2000, "phone"), (path, phone)
    assert sms(client).sent == []


def test_wechat_login_via_app_and_web_is_one_user(client):
    wechat = client.app.extensions["skyriff"].wechat()
    wechat.profiles[(WeChatPlatform.APP, "a1")] = WeChatProfile("wx_app", "o-app", "u-1", "小明", "https://wx/a.png")
    wechat.profiles[(WeChatPlatform.WEB, "w1")] = WeChatProfile("wx_web", "o-web", "u-1", "小明")
    _, init = client.post("/auth/wechat/init", {"platform": "app"})
    assert init["data"]["app_id"] == "wx_app" and init["data"]["authorize_url"] is None
    status, first = client.post("/auth/wechat/callback", {"code": "a1", "state": init["data"]["state"]})
    assert status == 200 and first["data"]["user"]["is_new_user"] is True
    assert first["data"]["user"]["avatar_url"] == "https://wx/a.png"
    _, init = client.post("/auth/wechat/init", {"platform": "web"})
    _, second = client.post("/auth/wechat/callback", {"code": "w1", "state": init["data"]["state"]})
    assert second["data"]["user"]["user_id"] == first["data"]["user"]["user_id"]
    assert wechat.exchanged == [(WeChatPlatform.APP, "a1"), (WeChatPlatform.WEB, "w1")]


def test_wechat_state_must_be_known(client):
    status, body = client.post("/auth/wechat/callback", {"code": "x", "state": "never-issued"})
    assert (status, body["code"], body["data"]["field"]) == (400, 2000, "state")


def test_wechat_upstream_failure_is_4003(client):
    _, init = client.post("/auth/wechat/init", {"platform": "web"})
    status, body = client.post("/auth/wechat/callback", {"code": "unknown", "state": init["data"]["state"]})
    assert (status, body["code"]) == (502, 4003)


def test_wechat_init_platform_is_validated(client):
    status, body = client.post("/auth/wechat/init", {"platform": "ios"})
    assert (status, body["code"], body["data"]["field"]) == (400, 2000, "platform")


def test_token_errors(client):
    assert client.get("/me")[1]["code"] == 1001
    assert client.get("/me", token="not-a-jwt")[0] == 401
    container = client.app.extensions["skyriff"]
    user = client.login()
    container.clock().advance(days=8)
    status, body = client.get("/me")
    assert (status, body["code"]) == (401, 1002)
    container.clock().advance(days=-8)
    container.user_admin().set_banned(user["user_id"], True)
    status, body = client.get("/me")
    assert (status, body["code"]) == (403, 1004)
    assert client.post("/auth/sms/verify", {"phone": "13800138000", "code": "123456"})[1]["code"] == 1004
