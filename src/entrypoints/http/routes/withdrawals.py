"""十三、提现模块: applying for a withdrawal and the history."""
from __future__ import annotations

from .. import presenters
from ..api import Api, Auth, Call
from ..pagination import decode_cursor, encode_cursor, page
from ..schemas.commerce import WithdrawalCreateBody, WithdrawalCreated, WithdrawalItem
from ..schemas.common import Page, PageQuery

api = Api("withdrawals", tag="提现")


@api.route("POST", "/withdrawals/create", summary="申请提现", body=WithdrawalCreateBody, response=WithdrawalCreated,
           auth=Auth.REQUIRED, idempotent=True, message="提现申请已提交", errors=(2005, 2006, 2011, 2012),
           description="从可提现金币扣除并冻结，审核通过后经微信支付/支付宝打款（银行卡人工打款），失败或拒绝后退回。"
                       "检查顺序：金额规则（2006）、可提现金币（2005）、实名认证（2011）、未成年人（2012）、"
                       "收款人姓名须与实名一致（2000）；微信提现需已用微信登录。")
def create(call: Call):
    b = call.body
    w = call.services.withdrawals().apply(call.user_id, b.amount_cny, b.method, b.account_info)
    return {"withdrawal_id": w.id, "amount_cny": w.amount.to_decimal(), "status": w.status.value,
            "estimated_arrival": "1-3个工作日"}


@api.route("GET", "/withdrawals/me", summary="提现记录", query=PageQuery, response=Page[WithdrawalItem],
           auth=Auth.REQUIRED, errors=(2000,))
def history(call: Call):
    before = decode_cursor(call.query.cursor, int)
    rows, more = call.services.withdrawals().page(call.user_id, before[0] if before else None, call.query.limit)
    wechat = call.services.settings().wechatpay
    ids = {"mch_id": wechat.get("mchid") or None, "app_id": wechat.get("appid") or None}
    return page([presenters.withdrawal_item(w, ids) for w in rows], more, encode_cursor(rows[-1].id) if rows else None)
