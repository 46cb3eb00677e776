"""What can be bought (the catalogue is data that operators edit) and uploaded images."""
from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ..errors import InvalidRequest
from ..money import Cny, Coins, Credits


class ProductType(enum.StrEnum):
    CREDITS_PACK = "credits_pack"
    SUBSCRIPTION_MONTHLY = "subscription_monthly"
    COINS_PACK = "coins_pack"
    PROMOTER_ACTIVATION = "promoter_activation"


# What was paid for these becomes the cost of the credits they deliver, and earns the payer's promoter a
# commission; a coins pack buys coins, which carry no credits cost and earn no commission.
CREDIT_PRODUCTS = COMMISSIONABLE = frozenset(
    {ProductType.CREDITS_PACK, ProductType.SUBSCRIPTION_MONTHLY, ProductType.PROMOTER_ACTIVATION})


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

    def check_deliverable(self) -> None:
        """A product must deliver what its kind sells (2000 naming the field otherwise): its price has to
        become credits, card claims or coins, never nothing."""
        if not self.price.is_positive:
            raise InvalidRequest("price", "价格需大于0")
        sells_credits = self.type in (ProductType.CREDITS_PACK, ProductType.PROMOTER_ACTIVATION)
        if sells_credits and not self.credits_amount.is_positive:
            raise InvalidRequest("credits_amount", "需大于0")
        if self.type is ProductType.SUBSCRIPTION_MONTHLY:
            if self.duration_days <= 0:
                raise InvalidRequest("duration_days", "需大于0")
            if not self.daily_credits.is_positive:
                raise InvalidRequest("daily_credits", "需大于0")
        if self.type is ProductType.COINS_PACK and not self.coins_amount.is_positive:
            raise InvalidRequest("coins_amount", "需大于0")


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
    aigc_label: str | None = None  # the Label of an AIGC label the file carried ("1", "2", "3"), if any
    id: int | None = None
