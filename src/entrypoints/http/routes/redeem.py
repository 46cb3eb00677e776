"""兑换码: a logged-in user redeems a code operators generated."""
from __future__ import annotations

from flask import request

from skyriff_domain.services.redemption import Redeemed

from ..api import Api, Auth, Call
from ..envelope import iso
from ..schemas.redemption import RedeemBody, RedeemData

api = Api("redeem", tag="兑换码")


@api.route("POST", "/redeem", summary="兑换码兑换", body=RedeemBody, response=RedeemData, auth=Auth.REQUIRED,
           idempotent=True, message="兑换成功", errors=(1006, 2013),
           description="每个兑换码只能兑换一次。无效、已使用、已过期或已停用的兑换码统一返回 2013；每个用户、每个IP"
                       "每分钟的兑换次数（含失败）有上限（1006，Retry-After）。兑换所得为免费积分（不计成本），"
                       "不是充值，不受未成年人充值限额（2012）约束。")
def redeem(call: Call):
    return redeemed(call.services.redemptions().redeem(call.user_id, call.body.code, request.remote_addr))


def redeemed(result: Redeemed) -> dict:
    product, card = result.product, result.delivery.card
    return {
        "credits_redeemed": result.credits.minor,
        "new_balance": result.new_balance.minor,
        "product": {"sku": product.sku, "type": product.type.value, "name": product.name} if product else None,
        "subscription": {"days_added": card.days, "daily_credits": card.daily_credits.minor,
                         "end_at": iso(result.delivery.card_end_at)} if card else None,
        "referral_code": result.delivery.referral_code,
    }
