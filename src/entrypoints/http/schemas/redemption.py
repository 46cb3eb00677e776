"""Schemas of redeeming a code (兑换码)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from skyriff_domain.model.redemption import CODE_INPUT_MAX

from .common import Body, Data, Timestamp


class RedeemBody(Body):
    code: str = Field(min_length=1, max_length=CODE_INPUT_MAX, pattern=r"^[\x20-\x7e]+$",
                      description="兑换码（16位，不区分大小写，连字符与空格可有可无）",
                      examples=["ABCD-EFGH-JKLM-NPQR"])


class RedeemedProduct(Data):
    sku: str
    type: Literal["credits_pack", "subscription_monthly", "promoter_activation"]
    name: str


class RedeemedCard(Data):
    days_added: int = Field(description="本次增加的月卡天数")
    daily_credits: int = Field(description="每日可领取的积分")
    end_at: Timestamp = Field(description="月卡新的到期时间")


class RedeemData(Data):
    credits_redeemed: int = Field(description="本次到账的积分（免费积分；月卡为0，按日领取）", examples=[100])
    new_balance: int = Field(description="兑换后的积分余额", examples=[700])
    product: RedeemedProduct | None = Field(description="兑换码对应的商品；积分兑换码为 null")
    subscription: RedeemedCard | None = Field(description="月卡兑换码：增加的天数与新的到期时间；否则为 null")
    referral_code: str | None = Field(description="推广员激活兑换码：生成的推广码；否则为 null")
