"""七、八、十一、十四、十五 over HTTP: the issue's walk-through with two users, the feed's statement
count, and the community's rules as a client sees them."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.support.usecases import buy_pack_on

A_PHONE, B_PHONE = ("13800138000", "123456"), ("13900000000", "654321")


def as_user(client, phone):
    client.login(*phone)
    return client.token


def work_until_done(client, passes=6):
    container = client.app.extensions["skyriff"]
    for _ in range(passes):
        container.clock().advance(seconds=2)
        container.task_runner().run_once()


@pytest.fixture
def world(any_db_client):
    """A (creator) and B (fan), both with credits; A has published a locked work."""
    client = any_db_client
    container = client.app.extensions["skyriff"]
    tokens = {}
    for name, phone in (("A", A_PHONE), ("B", B_PHONE)):
        user = client.login(*phone)
        tokens[name] = client.token
        buy_pack_on(container.uow(), container.payments(), user["user_id"], "10.00", credits=200)  # 0.05 each
        tokens[name + "_id"] = user["user_id"]
    client.token = tokens["A"]
    task = client.post("/tasks/create", {"prompt": "一只可爱的橘猫在绿色草地上快乐地奔跑", "duration_sec": 10,
                                         "ratio": "9:16", "model": "sora2"})[1]["data"]
    work_until_done(client)
    video_id = client.get(f"/tasks/{task['task_id']}")[1]["data"]["video_id"]
    status, body = client.post("/works/publish", {"video_id": video_id, "title": "可爱的小猫",
                                                  "description": "一只在草地上奔跑的可爱猫咪", "is_prompt_locked": True,
                                                  "prompt_price_credits": 5, "remix_fee_credits": 2})
    assert (status, body["message"]) == (200, "发布成功")
    assert body["data"]["share_link"].endswith(f"/works/{body['data']['work_id']}")
    return client, tokens, body["data"]["work_id"]


def pending(client):
    return client.get("/me/wallets")[1]["data"]["coins"]


def credits(client):
    return client.get("/me/wallets")[1]["data"]["credits"]["balance"]


def test_walkthrough_from_publish_to_ranking(world):
    client, t, work_id = world
    client.token = t["B"]
    for tab in ("discover", "hot", "rank"):
        items = client.get(f"/feed?tab={tab}")[1]["data"]["items"]
        assert [i["work_id"] for i in items] == [work_id], tab
    item = client.get("/feed")[1]["data"]["items"][0]
    assert item["has_prompt_locked"] is True and item["prompt_price_credits"] == 5 and item["remix_fee_credits"] == 2
    assert item["creator"]["user_id"] == t["A_id"] and item["cover_url"] and item["watermarked_play_url"]

    assert client.post(f"/works/{work_id}/like")[1]["data"] == {"is_liked": True, "like_count": 1}
    status, body = client.post(f"/works/{work_id}/tip_and_favorite", {"amount_credits": 20})
    assert (status, body["message"]) == (200, "打赏成功")
    # PRODUCT.md: credits bought at 0.05 — a 20-credit tip pays the creator 0.90, not the spec's 18.0
    assert body["data"] == {"tipped": True, "favorited": True, "cost_credits": 20, "creator_coins_pending": 0.9,
                            "already_favorited": False}
    raw = client.raw.post(f"/v1/works/{work_id}/tip_and_favorite", json={"amount_credits": 10},
                          headers={"Authorization": f"Bearer {client.token}"}).get_data(as_text=True)
    assert '"creator_coins_pending":0.45' in raw and '"already_favorited":true' in raw
    assert credits(client) == 200 - 20 - 10

    assert client.get(f"/works/{work_id}/prompt")[1]["data"] == {"locked": True, "price_credits": 5}
    status, body = client.post(f"/works/{work_id}/prompt/unlock")
    assert body["data"]["cost_credits"] == 5 and body["data"]["creator_coins_pending"] == 0.22
    assert body["data"]["prompt_text"] == "一只可爱的橘猫在绿色草地上快乐地奔跑"
    status, body = client.post(f"/works/{work_id}/prompt/unlock")
    assert (body["message"], body["data"]["cost_credits"]) == ("already_unlocked", 0)

    status, body = client.post(f"/works/{work_id}/remix", {"prompt_delta": "但是天空下着小雨", "duration_sec": 15,
                                                           "ratio": "9:16", "model": "sora2"})
    assert (status, body["message"]) == (200, "二创任务创建成功")
    assert body["data"] | {"task_id": 0} == {"task_id": 0, "remix_fee": 2, "gen_cost": 15, "total_cost": 17,
                                             "original_creator_coins_pending": 0.09}
    assert credits(client) == 200 - 30 - 5 - 17

    detail = client.get(f"/works/{work_id}")[1]["data"]
    assert (detail["is_liked"], detail["is_favorited"], detail["is_prompt_unlocked"]) == (True, True, True)
    assert (detail["like_count"], detail["tip_count"], detail["favorite_count"]) == (1, 2, 1)
    assert client.get("/me/favorites")[1]["data"]["items"][0]["work_id"] == work_id

    client.token = t["A"]
    coins = pending(client)
    assert coins["pending"] == 1.66  # 0.90 + 0.45 + 0.22 + 0.09
    assert {d["source"] for d in coins["pending_details"]} == {"打赏收入", "提示词收入", "二创收入"}
    ranking = client.get("/rankings/creators/tips")[1]["data"]["items"]
    assert ranking[0] | {"avatar_url": None} == {"rank": 1, "user_id": t["A_id"], "nickname": ranking[0]["nickname"],
                                                 "avatar_url": None, "total_tipped_credits": 30, "followers_count": 0}
    profile = client.get(f"/users/{t['A_id']}/profile")[1]["data"]["stats"]
    assert (profile["works_count"], profile["likes_received_count"]) == (1, 1)
    assert [w["work_id"] for w in client.get(f"/users/{t['A_id']}/works")[1]["data"]["items"]] == [work_id]

    client.token = t["B"]
    tasks = {x["task_key"]: x for x in client.get("/tasks_center/today")[1]["data"]["tasks"]}
    assert tasks["like_work"]["status"] == "completed" and tasks["like_work"]["can_claim"]
    assert client.post("/tasks_center/claim", {"task_key": "like_work"})[1]["data"]["credits_claimed"] == 2
    assert client.post("/tasks_center/claim", {"task_key": "like_work"})[1]["code"] == 2003
    assert client.post("/tasks_center/claim", {"task_key": "gen_success"})[1]["code"] == 2008
    assert client.app.extensions["skyriff"].ledger_audit().verify() == []


def test_tip_rules(world):
    client, t, work_id = world
    client.token = t["B"]
    status, body = client.post(f"/works/{work_id}/tip_and_favorite", {"amount_credits": 15})
    assert (status, body["code"], body["data"]["field"]) == (400, 2000, "amount_credits")
    client.token = t["A"]
    status, body = client.post(f"/works/{work_id}/tip_and_favorite", {"amount_credits": 20})
    assert (status, body["code"]) == (403, 2002)
    assert client.post("/works/424242/tip_and_favorite", {"amount_credits": 20})[1]["code"] == 2007


def test_tips_are_idempotent_with_a_key(world):
    client, t, work_id = world
    client.token = t["B"]
    for _ in range(3):
        client.post(f"/works/{work_id}/tip_and_favorite", {"amount_credits": 50}, headers={"Idempotency-Key": "t1"})
    assert credits(client) == 150


def test_me_home_and_my_works(world):
    client, t, work_id = world
    client.token = t["A"]
    home = client.get("/me/home")[1]["data"]
    assert home["tabs_count"] == {"published_count": 1, "liked_count": 0, "favorite_count": 0}
    assert home["wallets"]["credits_balance"] == 190 and home["subscription"]["is_active"] is False
    published = client.get("/me/works")[1]["data"]["items"]
    assert [w["work_id"] for w in published] == [work_id]
    client.post("/tasks/create", {"prompt": "草稿", "duration_sec": 10, "ratio": "9:16", "model": "sora2"})
    work_until_done(client)
    drafts = client.get("/me/works?status=draft")[1]["data"]["items"]
    assert len(drafts) == 1 and drafts[0]["work_id"] is None and drafts[0]["video_id"]


def test_publishing_rules(world):
    client, t, work_id = world
    client.token = t["A"]
    video_id = client.get("/me/works")[1]["data"]["items"][0]["video_id"]
    assert client.post("/works/publish", {"video_id": video_id, "title": "again"})[1]["code"] == 2008
    assert client.post("/works/publish", {"video_id": video_id, "title": ""})[1]["data"]["field"] == "title"
    status, body = client.post("/works/publish", {"video_id": video_id, "title": "x", "is_prompt_locked": True})
    assert body["data"]["field"] == "prompt_price_credits"
    client.token = t["B"]
    assert client.post("/works/publish", {"video_id": video_id, "title": "mine?"})[1]["code"] == 2002


def test_feed_cursors_walk_every_tab_without_gaps(world):
    client, t, work_id = world
    container = client.app.extensions["skyriff"]
    client.token = t["A"]
    for i in range(4):
        container.clock().advance(minutes=30)
        task = client.post("/tasks/create", {"prompt": f"第{i}个", "duration_sec": 10, "ratio": "9:16",
                                             "model": "sora2"})[1]["data"]
        work_until_done(client)
        video_id = client.get(f"/tasks/{task['task_id']}")[1]["data"]["video_id"]
        client.post("/works/publish", {"video_id": video_id, "title": f"作品{i}"})
    for tab in ("discover", "hot", "rank"):
        seen, cursor = [], ""
        while True:
            page = client.get(f"/feed?tab={tab}&limit=2&cursor={cursor}")[1]["data"]
            seen += [i["work_id"] for i in page["items"]]
            if not page["has_more"]:
                break
            cursor = page["next_cursor"]
        assert sorted(seen) == sorted(set(seen)) and len(seen) == 5, tab
    assert client.get("/feed?tab=hot&cursor=WzEsMl0")[1]["data"]["field"] == "cursor"  # [1,2]: not (float, int)


class CountedFlags:
    """The container's flags reader, counted: on PostgreSQL it bypasses SQLAlchemy (and its events)."""

    def __init__(self, inner) -> None:
        self.inner, self.calls = inner, 0

    def flags(self, user_id, work_ids):
        self.calls += 1
        return self.inner.flags(user_id, work_ids)


def count_selects(client, engine, path, token=None):
    """(body, SELECTs): statements seen by SQLAlchemy, except the flags read, plus one per flags read."""
    container = client.app.extensions["skyriff"]
    counted = CountedFlags(container.reaction_flags())
    container.works().reaction_flags = counted
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        body = client.get(path, token=token)[1]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        container.works().reaction_flags = counted.inner
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "work_reactions" not in s]
    return body, len(selects) + counted.calls


def test_a_feed_page_costs_a_fixed_number_of_statements(world):
    client, t, work_id = world
    container = client.app.extensions["skyriff"]
    engine = container.engine()
    client.token = t["B"]
    client.post(f"/works/{work_id}/like")
    counts = {}
    for limit in (1, 20):
        body, counts[limit] = count_selects(client, engine, f"/feed?tab=hot&limit={limit}")
        assert body["data"]["items"][0]["is_liked"] is True
    assert counts[1] == counts[20] == 2  # the page (works joined with creators), the viewer's flags

    from adapters.memory.page_cache import MemoryPageCache
    from dependency_injector import providers

    container.page_cache.override(providers.Object(MemoryPageCache()))
    container.works.reset()
    assert count_selects(client, engine, "/feed?tab=hot&limit=20")[1] == 2  # a miss fills the shared cache
    body, selects = count_selects(client, engine, "/feed?tab=hot&limit=20")
    assert selects == 1 and body["data"]["items"][0]["is_liked"] is True  # cached page, fresh flags
    client.token = None
    body, selects = count_selects(client, engine, "/feed?tab=hot&limit=20")
    assert selects == 0 and body["data"]["items"][0]["is_liked"] is False  # anonymous: nothing but the cache


def test_sharing_needs_a_login_and_counts_once_a_day_per_user(world):
    client, t, work_id = world
    response = client.raw.post(f"/v1/works/{work_id}/share")  # anonymous
    assert response.status_code == 401 and response.json["code"] == 1001
    client.token = t["B"]
    answers = [client.post(f"/works/{work_id}/share") for _ in range(50)]
    assert {(status, body["code"], body["data"]["share_count"]) for status, body in answers} == {(200, 0, 1)}
    client.token = t["A"]
    assert client.post(f"/works/{work_id}/share")[1]["data"]["share_count"] == 2
    client.app.extensions["skyriff"].clock().advance(days=1)
    client.token = t["B"]
    assert client.post(f"/works/{work_id}/share")[1]["data"]["share_count"] == 3
    assert client.get(f"/works/{work_id}")[1]["data"]["share_count"] == 3


def test_a_shared_page_is_rendered_once_and_each_viewer_gets_their_own_flags(world):
    """With the page cache on, the spliced answer equals the presenter's rendering for every viewer, and a like
    shows on the very next request although the page itself is cached."""
    from adapters.memory.page_cache import MemoryPageCache
    from dependency_injector import providers

    from entrypoints.http import presenters
    from entrypoints.http.feed_pages import _rendered

    client, t, work_id = world
    container = client.app.extensions["skyriff"]
    container.page_cache.override(providers.Object(MemoryPageCache()))
    container.works.reset()
    url = container.storage().public_url

    def expected(viewer_id):
        entries, more = container.works().feed("hot", viewer_id, None, 1)
        return {"items": [presenters.feed_item(e, url) for e in entries],
                "next_cursor": None if not more else client.get("/feed?tab=hot&limit=1")[1]["data"]["next_cursor"],
                "has_more": more}

    for viewer in (None, t["A_id"], t["B_id"]):
        token = {None: None, t["A_id"]: t["A"], t["B_id"]: t["B"]}[viewer]
        assert client.get("/feed?tab=hot&limit=1", token=token)[1]["data"] == expected(viewer)
    assert len(_rendered) >= 1
    client.post(f"/works/{work_id}/like", token=t["B"])
    client.post(f"/works/{work_id}/favorite", token=t["B"])
    [mine] = client.get("/feed?tab=hot&limit=1", token=t["B"])[1]["data"]["items"]
    assert (mine["is_liked"], mine["is_favorited"]) == (True, True)  # fresh flags on the cached page
    assert mine["like_count"] == 0  # the page is the cached one (at most cache_ttl old)
    [theirs] = client.get("/feed?tab=hot&limit=1", token=t["A"])[1]["data"]["items"]
    assert (theirs["is_liked"], theirs["is_favorited"]) == (False, False)
