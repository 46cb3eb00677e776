import pytest

from skyriff_domain.errors import InvalidRequest, WeChatLoginFailed
from skyriff_domain.model.auth import WeChatPlatform, WeChatProfile
from tests.support.usecases import wechat_flow

APP, WEB = WeChatPlatform.APP, WeChatPlatform.WEB


def test_init_returns_the_platforms_app_id_and_a_state(fakes):
    init = wechat_flow(fakes).init("app")
    assert init.app_id == "wx_app" and init.state


def test_unknown_platform_is_a_bad_request(fakes):
    with pytest.raises(InvalidRequest) as err:
        wechat_flow(fakes).init("mini")
    assert err.value.field == "platform"


def test_the_code_is_exchanged_with_the_app_id_that_issued_the_state(fakes):
    flow = wechat_flow(fakes)
    fakes.wechat.profiles[(WEB, "c1")] = WeChatProfile("wx_web", "openid-web", "union-1", "小明")
    state = flow.init("web").state
    result = flow.callback("c1", state)
    assert fakes.wechat.exchanged == [(WEB, "c1")]
    assert result.is_new_user and result.user.nickname == "小明"


def test_app_and_web_logins_of_one_person_are_one_user(fakes):
    flow = wechat_flow(fakes)
    fakes.wechat.profiles[(APP, "a")] = WeChatProfile("wx_app", "openid-app", "union-1", "小明")
    fakes.wechat.profiles[(WEB, "w")] = WeChatProfile("wx_web", "openid-web", "union-1", "小明")
    first = flow.callback("a", flow.init("app").state)
    second = flow.callback("w", flow.init("web").state)
    assert second.user.id == first.user.id and not second.is_new_user


def test_without_unionid_the_openid_of_that_app_identifies_the_user(fakes):
    flow = wechat_flow(fakes)
    fakes.wechat.profiles[(APP, "a")] = WeChatProfile("wx_app", "openid-app")
    fakes.wechat.profiles[(APP, "b")] = WeChatProfile("wx_app", "openid-app")
    assert flow.callback("b", flow.init("app").state).user.id == flow.callback("a", flow.init("app").state).user.id


def test_a_state_works_once(fakes):
    flow = wechat_flow(fakes)
    fakes.wechat.profiles[(APP, "a")] = WeChatProfile("wx_app", "o1", "u1")
    state = flow.init("app").state
    flow.callback("a", state)
    with pytest.raises(InvalidRequest):
        flow.callback("a", state)


def test_a_state_expires_after_ten_minutes(fakes):
    flow = wechat_flow(fakes)
    state = flow.init("app").state
    fakes.clock.advance(minutes=11)
    with pytest.raises(InvalidRequest):
        flow.callback("a", state)


def test_wechat_errors_fail_the_login(fakes):
    flow = wechat_flow(fakes)
    with pytest.raises(WeChatLoginFailed) as err:
        flow.callback("unknown", flow.init("app").state)
    assert err.value.code == 4003
