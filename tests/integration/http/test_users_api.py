"""三、用户模块 over HTTP."""
from __future__ import annotations

from datetime import timezone

from skyriff_domain.model.catalog import ImageAsset


def test_me_shows_the_masked_phone_and_spec_fields(client):
    user = client.login()
    status, body = client.get("/me")
    assert status == 200
    assert body["data"]["phone"] == "138****8000" and body["data"]["user_id"] == user["user_id"]
    assert set(body["data"]) == {"user_id", "nickname", "avatar_url", "bio", "phone", "is_creator", "is_promoter",
                                 "created_at"}
    assert body["data"]["created_at"].endswith("Z")
    assert "13800138000" not in client.raw.get("/v1/me", headers={"Authorization": f"Bearer {client.token}"}
                                               ).get_data(as_text=True)


def test_update_profile(client):
    client.login()
    status, body = client.patch("/me/profile", {"nickname": "新昵称", "bio": "这是我的简介"})
    assert (status, body["message"]) == (200, "更新成功")
    assert body["data"]["nickname"] == "新昵称" and body["data"]["bio"] == "这是我的简介"
    assert client.get("/me")[1]["data"]["nickname"] == "新昵称"


def test_profile_avatar_from_an_uploaded_image(client):
    me = client.login()
    container = client.app.extensions["skyriff"]
    with container.uow()() as uow:
        asset = uow.assets.add_image(ImageAsset(me["user_id"], "https://cdn/a.png", 10, 1, 1,
                                                container.clock().now().astimezone(timezone.utc)))
        uow.commit()
    assert client.patch("/me/profile", {"avatar_asset_id": asset.id})[1]["data"]["avatar_url"] == "https://cdn/a.png"
    assert client.patch("/me/profile", {"avatar_asset_id": None})[1]["data"]["avatar_url"] is None
    assert client.patch("/me/profile", {"avatar_asset_id": 999})[1]["code"] == 2007


def test_profile_validation_names_the_field(client):
    client.login()
    for payload, field in [({"nickname": ""}, "nickname"), ({"nickname": "x" * 21}, "nickname"),
                           ({"bio": "y" * 201}, "bio"), ({"nickname": None}, "nickname"),
                           ({"avatar_asset_id": "12"}, "avatar_asset_id"), ({"nickname": 5}, "nickname")]:
        status, body = client.patch("/me/profile", payload)
        assert (status, body["code"], body["data"]["field"]) == (400, 2000, field), payload


def test_follow_and_profile_stats(client):
    other = client.login("13900000000", "654321")
    me = client.login()
    status, body = client.post(f"/users/{other['user_id']}/follow")
    assert (status, body["message"], body["data"]) == (200, "关注成功", {"is_following": True})
    assert client.post(f"/users/{other['user_id']}/follow")[1]["data"] == {"is_following": True}
    _, profile = client.get(f"/users/{other['user_id']}/profile")
    assert profile["data"]["is_following"] is True and profile["data"]["stats"]["followers_count"] == 1
    _, anonymous = client.get(f"/users/{other['user_id']}/profile", token="garbage")  # a bad token reads publicly
    assert anonymous["code"] == 0 and anonymous["data"]["is_following"] is False
    assert client.get(f"/users/{me['user_id']}/profile")[1]["data"]["stats"]["following_count"] == 1
    status, body = client.post(f"/users/{other['user_id']}/unfollow")
    assert (status, body["message"], body["data"]) == (200, "已取消关注", {"is_following": False})
    assert client.get(f"/users/{other['user_id']}/profile")[1]["data"]["stats"]["followers_count"] == 0


def test_follow_rules(client):
    me = client.login()
    assert client.post(f"/users/{me['user_id']}/follow")[1]["code"] == 2008
    assert client.post("/users/424242/follow")[0:2][0] == 404
    assert client.post("/users/0/follow")[1]["code"] == 2007
    assert client.post(f"/users/{2**70}/follow")[1]["code"] == 2007


def test_unknown_user_profile_is_2007(client):
    status, body = client.get("/users/424242/profile")
    assert (status, body["code"]) == (404, 2007)


def test_user_works_is_an_empty_page_until_works_exist(client):
    me = client.login()
    status, body = client.get(f"/users/{me['user_id']}/works")
    assert status == 200 and body["data"] == {"items": [], "next_cursor": None, "has_more": False}
    assert client.get(f"/users/{me['user_id']}/works?cursor=%%%")[1]["data"]["field"] == "cursor"
    assert client.get(f"/users/{me['user_id']}/works?limit=0")[1]["data"]["field"] == "limit"
