"""十二、推广模块: promoter activation (a payment), promoter info, binding a referral code."""
from __future__ import annotations

from flask import request

from skyriff_domain.model.catalog import ProductType

from .. import presenters
from ..api import Api, Auth, Call
from ..schemas.commerce import PaymentCreated, PromoterActivateBody, PromoterData, ReferralBindBody, ReferralBound

api = Api("promoter", tag="推广")


@api.route("POST", "/promoter/activate", summary="激活推广员", body=PromoterActivateBody, response=PaymentCreated,
           auth=Auth.REQUIRED, idempotent=True, message="支付单创建成功", errors=(2007, 2008, 3001, 4002),
           description="支付成功后：发放600积分、生成推广码、is_promoter=true。")
def activate(call: Call):
    created = call.services.payments().create_for(call.user_id, ProductType.PROMOTER_ACTIVATION,
                                                  call.body.pay_channel, request.remote_addr)
    return presenters.payment_created(created)


@api.route("GET", "/promoter/me", summary="推广员信息", response=PromoterData, auth=Auth.REQUIRED,
           description="activation_price_cny：激活推广员的价格（元，两位小数；未上架时为 null）。")
def promoter_me(call: Call):
    view = call.services.referrals().promoter(call.user_id)
    price = call.services.catalog().activation_price()
    return {"is_promoter": view.is_promoter, "referral_code": view.referral_code,
            "activation_price_cny": price.to_decimal() if price is not None else None,
            "promo_credits": view.promo_credits.minor,
            "stats": {"total_invites": view.total_invites, "total_commission_coins": view.total_commission.to_decimal()}}


@api.route("POST", "/referrals/bind", summary="绑定邀请码", body=ReferralBindBody, response=ReferralBound,
           auth=Auth.REQUIRED, throttle="money", message="绑定成功", errors=(2004,),
           description="注册7天内可绑定一次；每个手机号/微信仅可获得一次新人奖励。")
def bind(call: Call):
    result = call.services.referrals().bind(call.user_id, call.body.code)
    return {"bonus_credits": result.bonus.minor, "new_balance": result.new_balance.minor}
