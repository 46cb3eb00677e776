"""Schemas of 九、充值, 十、月卡, 十二、推广 and 十三、提现."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from .common import Body, Data, Id, Money, Query, Timestamp

Channel = Literal["wechat", "alipay", "sandbox"]
ProductTypeName = Literal["credits_pack", "subscription_monthly", "coins_pack"]  # the shop's (spec) types
def _json_number(value: object) -> Decimal:
    """A JSON number (150 or 150.00), kept exact: the body parser reads fractions as Decimal, never float."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError("需为数字")
    return Decimal(value)


AmountIn = Annotated[Decimal, BeforeValidator(_json_number), WithJsonSchema({"type": "number", "examples": [150.0]})]
PayParams = dict[str, str]


class ProductQuery(Query):
    type: ProductTypeName | None = Field(None, description="按类型筛选")


class ProductItem(Data):
    product_id: int
    type: ProductTypeName
    name: str
    price_cny: Money
    credits_amount: int
    coins_amount: Money
    duration_days: int
    daily_credits: int
    description: str


class ProductList(Data):
    items: list[ProductItem]


class PaymentCreateBody(Body):
    product_id: Id
    pay_channel: Channel = Field(description="wechat / alipay（sandbox 仅开发环境）")


class PaymentCreated(Data):
    payment_id: int
    amount_cny: Money
    pay_params: PayParams = Field(description="交给客户端支付 SDK 的参数（微信 APP 支付 / 支付宝 order_string）")
    expire_at: Timestamp


class PaymentData(Data):
    payment_id: int
    product_id: int
    pay_channel: Channel
    status: Literal["pending", "paid", "closed"]
    amount_cny: Money
    created_at: Timestamp
    expire_at: Timestamp
    paid_at: Timestamp | None


class CardData(Data):
    subscription_id: int
    start_at: Timestamp
    end_at: Timestamp
    days_remaining: int
    today_claimed: bool


class MySubscription(Data):
    active_subscription: CardData | None


class SubscriptionBuyBody(Body):
    product_id: Id
    pay_channel: Channel


class SubscriptionBought(PaymentCreated):
    subscription_id: int


class ClaimData(Data):
    credits_claimed: int
    new_balance: int


class PromoterActivateBody(Body):
    pay_channel: Channel


class PromoterStats(Data):
    total_invites: int
    total_commission_coins: Money


class PromoterData(Data):
    is_promoter: bool
    referral_code: str | None
    activation_price_cny: Money | None = Field(description="激活推广员的价格（元）；未上架时为 null")
    promo_credits: int
    stats: PromoterStats


class ReferralBindBody(Body):
    code: str = Field(min_length=1, max_length=32, examples=["SKY2025ABC"])


class ReferralBound(Data):
    bonus_credits: int
    new_balance: int


class WithdrawalCreateBody(Body):
    amount_cny: AmountIn = Field(description="提现金额（元，>=100，两位小数）")
    method: Literal["bank_card", "alipay", "wechat"]
    account_info: dict[str, str] = Field(
        description="alipay/wechat: {account, name}；bank_card: {card_no, bank_name, name}",
        examples=[{"account": "user@example.com", "name": "张三"}])


class WithdrawalCreated(Data):
    withdrawal_id: int
    amount_cny: Money
    status: Literal["applied", "approved", "paid", "rejected"]
    estimated_arrival: str


class ConfirmParams(Data):
    """What the app passes to WeChat (wx.requestMerchantTransfer) for the payee to confirm receipt."""

    package_info: str
    mch_id: str | None = None
    app_id: str | None = None


class WithdrawalItem(Data):
    withdrawal_id: int
    amount_cny: Money
    method: Literal["bank_card", "alipay", "wechat"]
    status: Literal["applied", "approved", "paid", "rejected"]
    created_at: Timestamp
    processed_at: Timestamp | None
    confirm_params: ConfirmParams | None = Field(None, description="微信打款待用户确认收款时出现")
