"""WeChatOAuthClient end to end against a local fake of api.weixin.qq.com (codes bound to AppIDs, single use)."""
from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest

from adapters.auth.wechat_oauth import WeChatApp, WeChatOAuthClient
from skyriff_domain.errors import WeChatLoginFailed
from skyriff_domain.model.auth import WeChatPlatform
from tests.support.http_server import PATIENT_TIMEOUT, SHORT_TIMEOUT, STALL, FakeHttpServer, Request, Response

APP = WeChatApp(app_id="wxapp0001", secret="app-secret-AAAA", redirect_uri="")
WEB = WeChatApp(app_id="wxweb0002", secret="web-secret-WWWW", redirect_uri="https://skyriff.example/wechat/callback?x=1")


@attrs.frozen
class Person:
    key: str
    unionid: str | None
    nickname: str
    headimgurl: str


ALICE = Person("alice", "union-alice", "小爱", "https://thirdwx.qlogo.cn/mmopen/alice/132")


class FakeWeChat:
    """Just enough of WeChat: codes issued to one AppID, single use; tokens answer userinfo."""

    def __init__(self) -> None:
        self.secrets = {APP.app_id: APP.secret, WEB.app_id: WEB.secret}
        self.codes: dict[str, tuple[str, Person]] = {}
        self.used: set[str] = set()
        self.tokens: dict[str, tuple[str, Person]] = {}
        self.userinfo_error: dict[str, object] | None = None
        self.unionid_in_token = True
        self.override: Response | None = None  # answer every request with this instead

    def issue(self, app: WeChatApp, person: Person) -> str:
        code = "code-" + secrets.token_hex(8)
        self.codes[code] = (app.app_id, person)
        return code

    def handle(self, request: Request) -> Response:
        if self.override is not None:
            return self.override
        q = {k: v[0] for k, v in request.query.items()}
        if request.path == "/sns/oauth2/access_token":
            return _json(self._token(q))
        if request.path == "/sns/userinfo":
            return _json(self._userinfo(q))
        return Response(404, "not found")

    def _token(self, q: dict[str, str]) -> dict[str, object]:
        appid, code = q.get("appid"), q.get("code", "")
        if q.get("grant_type") != "authorization_code" or self.secrets.get(appid or "") != q.get("secret"):
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if code in self.used:
            return {"errcode": 40163, "errmsg": "code been used"}
        issued = self.codes.get(code)
        if issued is None or issued[0] != appid:  # WeChat: wrong AppID looks exactly like a bad code
            return {"errcode": 40029, "errmsg": "invalid code"}
        self.used.add(code)
        person = issued[1]
        token = "at-" + secrets.token_hex(12)
        self.tokens[token] = (appid, person)
        body: dict[str, object] = {"access_token": token, "expires_in": 7200, "refresh_token": "rt-x",
                                   "openid": _openid(appid, person), "scope": "snsapi_userinfo"}
        if person.unionid and self.unionid_in_token:
            body["unionid"] = person.unionid
        return body

    def _userinfo(self, q: dict[str, str]) -> dict[str, object]:
        if self.userinfo_error is not None:
            return self.userinfo_error
        issued = self.tokens.get(q.get("access_token", ""))
        if issued is None or q.get("openid") != _openid(*issued):
            return {"errcode": 40001, "errmsg": "invalid credential"}
        appid, person = issued
        body: dict[str, object] = {"openid": _openid(appid, person), "nickname": person.nickname, "sex": 0,
                                   "headimgurl": person.headimgurl, "privilege": []}
        if person.unionid:
            body["unionid"] = person.unionid
        return body


def _openid(appid: str, person: Person) -> str:
    return f"o-{appid}-{person.key}"  # openid differs per AppID, like the real one


def _json(body: dict[str, object]) -> Response:
    # WeChat serves JSON as text/plain, always with HTTP 200.
    return Response(200, json.dumps(body, ensure_ascii=False), {"Content-Type": "text/plain"})


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeHttpServer]:
    # One server per module: a server per test costs a thread and a socket each.
    with FakeHttpServer(lambda request: Response(500)) as srv:
        yield srv


@pytest.fixture
def wechat() -> FakeWeChat:
    return FakeWeChat()


@pytest.fixture
def server(shared_server: FakeHttpServer, wechat: FakeWeChat) -> FakeHttpServer:
    shared_server.handler = wechat.handle  # a fresh WeChat per test
    shared_server.requests.clear()
    return shared_server


@pytest.fixture
def client(server: FakeHttpServer) -> WeChatOAuthClient:
    return WeChatOAuthClient({WeChatPlatform.APP: APP, WeChatPlatform.WEB: WEB}, base_url=server.url,
                             timeout=PATIENT_TIMEOUT)


def impatient(server: FakeHttpServer) -> WeChatOAuthClient:
    """A client with a short timeout, for the tests that want one (against a stalled server)."""
    return WeChatOAuthClient({WeChatPlatform.APP: APP}, base_url=server.url, timeout=SHORT_TIMEOUT)


def test_app_login_returns_the_profile_using_the_app_credentials(wechat, server, client) -> None:
    profile = client.exchange_code(WeChatPlatform.APP, wechat.issue(APP, ALICE))

    assert profile.app_id == APP.app_id
    assert profile.openid == _openid(APP.app_id, ALICE)
    assert profile.unionid == "union-alice"
    assert profile.nickname == "小爱"
    assert profile.avatar_url == ALICE.headimgurl
    token_request = server.requests[0]
    assert token_request.method == "GET"
    assert token_request.query["appid"] == [APP.app_id]
    assert token_request.query["secret"] == [APP.secret]
    assert token_request.query["grant_type"] == ["authorization_code"]
    assert all(WEB.secret not in str(r.query) and WEB.app_id not in str(r.query) for r in server.requests)
    assert server.requests[1].path == "/sns/userinfo"
    assert server.requests[1].query["lang"] == ["zh_CN"]


def test_web_login_uses_the_web_app_id(wechat, server, client) -> None:
    profile = client.exchange_code(WeChatPlatform.WEB, wechat.issue(WEB, ALICE))

    assert profile.app_id == WEB.app_id
    assert profile.openid == _openid(WEB.app_id, ALICE)
    assert server.requests[0].query["appid"] == [WEB.app_id]
    assert server.requests[0].query["secret"] == [WEB.secret]


def test_one_person_on_app_and_web_has_one_unionid_and_two_openids(wechat, client) -> None:
    on_app = client.exchange_code(WeChatPlatform.APP, wechat.issue(APP, ALICE))
    on_web = client.exchange_code(WeChatPlatform.WEB, wechat.issue(WEB, ALICE))

    assert on_app.unionid == on_web.unionid == "union-alice"
    assert on_app.openid != on_web.openid


def test_a_web_code_exchanged_as_app_fails(wechat, client) -> None:
    code = wechat.issue(WEB, ALICE)
    with pytest.raises(WeChatLoginFailed):
        client.exchange_code(WeChatPlatform.APP, code)


def test_a_code_is_single_use(wechat, client) -> None:
    code = wechat.issue(APP, ALICE)
    client.exchange_code(WeChatPlatform.APP, code)
    with pytest.raises(WeChatLoginFailed) as raised:
        client.exchange_code(WeChatPlatform.APP, code)
    assert "已被使用" in raised.value.message


def test_an_unknown_code_fails_with_a_readable_message(client) -> None:
    with pytest.raises(WeChatLoginFailed) as raised:
        client.exchange_code(WeChatPlatform.APP, "made-up")
    assert raised.value.code == 4003
    assert "无效" in raised.value.message


def test_userinfo_failure_still_logs_in_with_the_token_identity(wechat, client, caplog) -> None:
    wechat.userinfo_error = {"errcode": 48001, "errmsg": "api unauthorized"}
    with caplog.at_level(logging.WARNING, logger="adapters.auth.wechat_oauth"):
        profile = client.exchange_code(WeChatPlatform.APP, wechat.issue(APP, ALICE))

    assert profile.openid == _openid(APP.app_id, ALICE)
    assert profile.unionid == "union-alice"
    assert profile.nickname is None and profile.avatar_url is None
    assert "48001" in caplog.text


def test_unionid_falls_back_to_userinfo(wechat, client) -> None:
    wechat.unionid_in_token = False
    profile = client.exchange_code(WeChatPlatform.APP, wechat.issue(APP, ALICE))
    assert profile.unionid == "union-alice"


def test_no_unionid_anywhere_and_empty_avatar_give_none(wechat, client) -> None:
    loner = Person("bob", None, "鲍勃", "")
    profile = client.exchange_code(WeChatPlatform.WEB, wechat.issue(WEB, loner))
    assert profile.unionid is None
    assert profile.avatar_url is None
    assert profile.nickname == "鲍勃"


def test_a_slow_server_times_out(wechat, server, caplog) -> None:
    wechat.override = Response(200, "{}", delay=STALL)
    with pytest.raises(WeChatLoginFailed):
        impatient(server).exchange_code(WeChatPlatform.APP, "code-1")
    assert len(server.requests) == 1
    assert "WeChat code exchange failed" in caplog.text and ": timeout" in caplog.text


@pytest.mark.parametrize("response", [
    Response(502, "<html>Bad Gateway</html>", {"Content-Type": "text/html"}),
    Response(200, "not json at all", {"Content-Type": "text/plain"}),
    Response(200, "[1, 2]"),
    Response(200, json.dumps({"expires_in": 7200})),  # no openid, no token
])
def test_broken_answers_fail(wechat, client, response) -> None:
    wechat.override = response
    with pytest.raises(WeChatLoginFailed):
        client.exchange_code(WeChatPlatform.APP, "code-1")


def test_an_unreachable_server_fails() -> None:
    client = WeChatOAuthClient({WeChatPlatform.APP: APP}, base_url="http://127.0.0.1:9", timeout=SHORT_TIMEOUT)
    with pytest.raises(WeChatLoginFailed):
        client.exchange_code(WeChatPlatform.APP, "code-1")


def test_an_unconfigured_platform_fails_without_calling_wechat(server) -> None:
    client = WeChatOAuthClient({WeChatPlatform.APP: APP}, base_url=server.url)
    for call in (lambda: client.exchange_code(WeChatPlatform.WEB, "code-1"),
                 lambda: client.app_id(WeChatPlatform.WEB),
                 lambda: client.redirect_uri(WeChatPlatform.WEB)):
        with pytest.raises(WeChatLoginFailed) as raised:
            call()
        assert raised.value.message == "该登录方式未配置"
    assert server.requests == []


def test_app_id_and_redirect_uri_are_the_configured_ones(client) -> None:
    assert client.app_id(WeChatPlatform.APP) == APP.app_id
    assert client.app_id(WeChatPlatform.WEB) == WEB.app_id
    assert client.redirect_uri(WeChatPlatform.WEB) == WEB.redirect_uri


def test_authorize_url_for_web_is_the_qr_connect_url(client) -> None:
    url = client.authorize_url(WeChatPlatform.WEB, "st&ate 1")

    assert url is not None
    assert url.startswith("https://open.weixin.qq.com/connect/qrconnect?")
    assert url.endswith("#wechat_redirect")
    assert "redirect_uri=https%3A%2F%2Fskyriff.example%2Fwechat%2Fcallback%3Fx%3D1" in url
    query = parse_qs(urlsplit(url).query)
    assert query == {"appid": [WEB.app_id], "redirect_uri": [WEB.redirect_uri], "response_type": ["code"],
                     "scope": ["snsapi_login"], "state": ["st&ate 1"]}
    assert client.authorize_url(WeChatPlatform.APP, "s") is None


def test_logs_never_contain_the_secret_the_token_or_the_code(wechat, server, caplog) -> None:
    client = WeChatOAuthClient({WeChatPlatform.APP: APP}, base_url=server.url, timeout=PATIENT_TIMEOUT)
    caplog.set_level(logging.DEBUG, logger="adapters.auth.wechat_oauth")
    code = wechat.issue(APP, ALICE)
    wechat.userinfo_error = {"errcode": 48001, "errmsg": "api unauthorized"}
    client.exchange_code(WeChatPlatform.APP, code)  # userinfo warning
    with pytest.raises(WeChatLoginFailed) as reused:
        client.exchange_code(WeChatPlatform.APP, code)  # exchange warning
    wechat.override = Response(200, "{}", delay=STALL)
    with pytest.raises(WeChatLoginFailed) as timed_out:
        impatient(server).exchange_code(WeChatPlatform.APP, code)
    unreachable = WeChatOAuthClient({WeChatPlatform.APP: APP}, base_url="http://127.0.0.1:9", timeout=SHORT_TIMEOUT)
    with pytest.raises(WeChatLoginFailed) as refused:
        unreachable.exchange_code(WeChatPlatform.APP, code)

    (access_token,) = wechat.tokens
    assert caplog.records, "the failures above should have been logged"
    shown = caplog.text + "".join(repr(e.value) + str(e.value.__cause__) for e in (reused, timed_out, refused))
    for leaked in (APP.secret, access_token, code):
        assert leaked not in shown
    assert APP.secret not in repr(APP)
