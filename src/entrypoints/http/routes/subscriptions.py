"""十、月卡模块: my card, buying one, and the daily claim."""
from __future__ import annotations

from flask import request

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.catalog import ProductType

from .. import presenters
from ..api import Api, Auth, Call
from ..envelope import iso
from ..schemas.commerce import ClaimData, MySubscription, SubscriptionBought, SubscriptionBuyBody

api = Api("subscriptions", tag="月卡")


@api.route("GET", "/subscriptions/me", summary="我的月卡", response=MySubscription, auth=Auth.REQUIRED)
def my_card(call: Call):
    view = call.services.subscriptions().active(call.user_id)
    if view is None:
        return {"active_subscription": None}
    card = view.card
    return {"active_subscription": {"subscription_id": card.id, "start_at": iso(card.start_at),
                                    "end_at": iso(card.end_at), "days_remaining": view.days_remaining,
                                    "today_claimed": view.today_claimed}}


@api.route("POST", "/subscriptions/buy", summary="购买月卡", body=SubscriptionBuyBody, response=SubscriptionBought,
           auth=Auth.REQUIRED, idempotent=True, message="支付单创建成功", errors=(2007, 3001, 4002),
           description="生效中购买则顺延30天。")
def buy(call: Call):
    with call.services.uow()(read_only=True) as uow:
        product = uow.products.get(call.body.product_id)
    if product is None or product.type is not ProductType.SUBSCRIPTION_MONTHLY:
        raise InvalidRequest("product_id", "不是月卡商品")
    created = call.services.payments().create(call.user_id, product.id, call.body.pay_channel, request.remote_addr)
    return {**presenters.payment_created(created), "subscription_id": created.subscription_id}


@api.route("POST", "/subscriptions/claim_daily", summary="每日领取积分", response=ClaimData, auth=Auth.REQUIRED, throttle="money",
           message="领取成功", errors=(2003, 2008), description="每个自然日（北京时间）一次；已领取返回 2003 与 next_claim_at。")
def claim_daily(call: Call):
    claimed, balance = call.services.subscriptions().claim_daily(call.user_id)
    return {"credits_claimed": claimed.minor, "new_balance": balance.minor}
