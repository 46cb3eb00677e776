"""四、钱包模块: balances and ledger entries."""
from __future__ import annotations

from .. import presenters
from ..api import Api, Auth, Call
from ..envelope import iso
from ..pagination import decode_cursor, encode_cursor, page
from ..schemas.common import Page
from ..schemas.wallets import LedgerItem, LedgerQuery, WalletData

api = Api("wallets", tag="钱包")


@api.route("GET", "/me/wallets", summary="获取钱包余额", response=WalletData, auth=Auth.REQUIRED)
def wallets(call: Call):
    view = call.services.wallets().overview(call.user_id)
    return {
        "credits": {"balance": view.credits.minor},
        "coins": {
            "available": view.coins_available.to_decimal(),
            "pending": view.coins_pending.to_decimal(),
            "held": view.coins_held.to_decimal(),
            "pending_details": [{"amount": lot.amount.to_decimal(), "unlock_at": iso(lot.unlock_at),
                                 "source": lot.source_label} for lot in view.pending_lots],
        },
    }


@api.route("GET", "/wallet/ledgers", summary="获取流水明细", query=LedgerQuery, response=Page[LedgerItem],
           auth=Auth.REQUIRED, errors=(2000,), description="按时间倒序；金币流水含 account 字段区分可用/冻结/提现中。")
def ledgers(call: Call):
    q = call.query
    before = decode_cursor(q.cursor, int)
    entries, more = call.services.wallets().ledger_page(call.user_id, q.type, before[0] if before else None, q.limit)
    items = [presenters.ledger_item(e) for e in entries]
    return page(items, more, encode_cursor(entries[-1].id) if entries else None)
