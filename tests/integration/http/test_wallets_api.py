"""四、钱包模块 over HTTP: balances, pending details, ledger pages; money rendered as 85.50."""
from __future__ import annotations

from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from tests.support.usecases import buy_pack_on


def test_wallet_shows_credits_and_coins_with_two_decimals(client):
    me = client.login()
    wallets = client.app.extensions["skyriff"].wallets()
    wallets.grant_credits(me["user_id"], Credits(1250), LedgerType.RECHARGE, "充值")
    container = client.app.extensions["skyriff"]
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "50.00", coins="50.00")
    container.clock().advance(days=1)
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "70.50", coins="70.50")
    client.login()
    raw = client.raw.get("/v1/me/wallets", headers={"Authorization": f"Bearer {client.token}"}).get_data(as_text=True)
    assert '"pending":120.50' in raw and '"available":0.00' in raw and '"amount":50.00' in raw
    data = client.get("/me/wallets")[1]["data"]
    assert data["credits"] == {"balance": 1250}
    assert [d["source"] for d in data["coins"]["pending_details"]] == ["购买金币", "购买金币"]
    assert data["coins"]["pending_details"][0]["unlock_at"].endswith("Z")


def test_matured_earnings_read_as_available(client):
    me = client.login()
    container = client.app.extensions["skyriff"]
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "18.00", coins="18.00")
    container.clock().advance(days=7)
    client.login()  # a fresh token: the old one would be close to expiry
    coins = client.get("/me/wallets")[1]["data"]["coins"]
    assert (coins["available"], coins["pending"], coins["pending_details"]) == (18.0, 0.0, [])


def test_ledger_pages_with_cursor(client):
    me = client.login()
    wallets = client.app.extensions["skyriff"].wallets()
    for n in range(1, 6):
        wallets.grant_credits(me["user_id"], Credits(n), LedgerType.TASK_REWARD, f"奖励{n}")
    wallets.spend_credits(me["user_id"], Credits(10), LedgerType.GEN_SPEND, "生成10秒视频")
    status, body = client.get("/wallet/ledgers?type=credits&limit=4")
    page = body["data"]
    assert status == 200 and page["has_more"] is True and page["next_cursor"]
    first = page["items"][0]
    assert (first["type"], first["amount"], first["balance_after"], first["description"]) == (
        "gen_spend", -10, 5, "生成10秒视频")
    _, body = client.get(f"/wallet/ledgers?type=credits&limit=4&cursor={page['next_cursor']}")
    assert [i["amount"] for i in body["data"]["items"]] == [2, 1]
    assert body["data"]["has_more"] is False and body["data"]["next_cursor"] is None


def test_coins_ledger(client):
    me = client.login()
    container = client.app.extensions["skyriff"]
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "4.50", coins="4.50")
    raw = client.raw.get("/v1/wallet/ledgers?type=coins",
                         headers={"Authorization": f"Bearer {client.token}"}).get_data(as_text=True)
    assert '"amount":4.50' in raw and '"account":"coins_pending"' in raw
    assert client.get("/wallet/ledgers")[1]["data"]["items"] == []  # credits by default


def test_ledger_query_is_validated(client):
    client.login()
    assert client.get("/wallet/ledgers?type=cash")[1]["data"]["field"] == "type"
    assert client.get("/wallet/ledgers?limit=101")[1]["data"]["field"] == "limit"
    assert client.get("/wallet/ledgers?cursor=WzEsMl0")[1]["data"]["field"] == "cursor"  # [1,2]: wrong shape
