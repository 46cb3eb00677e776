"""The README's curl walk-through, on SQLite and PostgreSQL: log in with a test phone, read and edit the
profile, follow someone, read wallets and ledgers — with the spec's field names."""
from __future__ import annotations

from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits


def test_walkthrough(any_db_client):
    client = any_db_client
    assert client.post("/auth/sms/send", {"phone": "13900000000"})[0] == 200
    friend = client.login("13900000000", "654321")
    assert client.post("/auth/sms/send", {"phone": "13800138000"})[0] == 200
    me = client.login()

    _, body = client.get("/me")
    assert body["data"]["phone"] == "138****8000"
    _, body = client.patch("/me/profile", {"nickname": "小天", "bio": "做视频的"})
    assert body["data"] == {"user_id": me["user_id"], "nickname": "小天", "avatar_url": None, "bio": "做视频的"}
    assert client.post(f"/users/{friend['user_id']}/follow")[1]["data"] == {"is_following": True}
    _, body = client.get(f"/users/{friend['user_id']}/profile")
    assert body["data"]["stats"]["followers_count"] == 1 and body["data"]["is_following"] is True

    container = client.app.extensions["skyriff"]
    container.wallets().grant_credits(me["user_id"], Credits(600), LedgerType.RECHARGE, "充值30元")
    container.wallets().spend_credits(me["user_id"], Credits(10), LedgerType.GEN_SPEND, "生成10秒视频")
    _, body = client.get("/me/wallets")
    assert body["data"]["credits"] == {"balance": 590}
    _, body = client.get("/wallet/ledgers?type=credits")
    assert [(i["type"], i["amount"], i["balance_after"]) for i in body["data"]["items"]] == [
        ("gen_spend", -10, 590), ("recharge", 600, 600)]
    assert container.ledger_audit().verify() == []
