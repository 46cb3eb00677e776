"""九、充值模块: the catalogue and payments (creation and the client's status check)."""
from __future__ import annotations

from flask import request

from .. import presenters
from ..api import Api, Auth, Call
from ..schemas.commerce import PaymentCreateBody, PaymentCreated, PaymentData, ProductList, ProductQuery
from skyriff_domain.model.catalog import ProductType

api = Api("payments", tag="充值")


@api.route("GET", "/products", summary="获取商品列表", query=ProductQuery, response=ProductList, errors=(2000,),
           description="充值包、月卡与金币包；推广员激活的价格见 /promoter/me 的 activation_price_cny。")
def products(call: Call):
    kind = ProductType(call.query.type) if call.query.type else None
    return {"items": [presenters.product(p) for p in call.services.catalog().shop(kind)]}


@api.route("POST", "/payments/create", summary="创建支付单", body=PaymentCreateBody, response=PaymentCreated,
           auth=Auth.REQUIRED, idempotent=True, message="支付单创建成功", errors=(2007, 2008, 3001, 4002),
           description="15分钟内有效。到账以支付渠道的异步通知（或对账）为准，客户端 SDK 的结果仅供展示。")
def create_payment(call: Call):
    created = call.services.payments().create(call.user_id, call.body.product_id, call.body.pay_channel,
                                              request.remote_addr)
    return presenters.payment_created(created)


@api.route("GET", "/payments/<int:payment_id>", summary="查询支付单状态", response=PaymentData, auth=Auth.REQUIRED,
           errors=(3003,), description="客户端支付完成后轮询，直到 status 为 paid。")
def get_payment(call: Call):
    return presenters.payment(call.services.payments().get(call.user_id, call.path["payment_id"]))
