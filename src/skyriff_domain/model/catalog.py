"""What can be bought (the catalogue is data that operators edit) and uploaded images."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ..money import Cny, Coins, Credits


class ProductType(enum.StrEnum):
    CREDITS_PACK = "credits_pack"
    SUBSCRIPTION_MONTHLY = "subscription_monthly"
    COINS_PACK = "coins_pack"
    PROMOTER_ACTIVATION = "promoter_activation"


@attrs.define
class Product:
    """One catalogue entry; `sku` is the stable key seeding and operators use."""

    sku: str
    type: ProductType
    name: str
    price: Cny
    description: str = ""
    credits_amount: Credits = Credits(0)
    coins_amount: Coins = Coins(0)
    duration_days: int = 0
    daily_credits: Credits = Credits(0)
    active: bool = True
    sort_order: int = 0
    id: int | None = None


@attrs.define
class ImageAsset:
    """An uploaded image (reference image for generation, avatar)."""

    owner_id: int
    url: str
    size: int
    width: int
    height: int
    created_at: datetime
    storage_key: str = ""
    id: int | None = None
