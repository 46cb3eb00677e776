"""The product catalogue: PRODUCT.md's defaults, seeded once; afterwards it is operators' data."""
from __future__ import annotations

import attrs

from ..model.catalog import Product, ProductType
from ..errors import InvalidRequest, NotAllowed, NotFound
from ..money import Cny, Credits
from ..ports import UnitOfWorkFactory


# What the shop lists (the spec's product types); the promoter activation is bought through its own
# endpoint and priced in the promoter's info instead.
SHOP_TYPES = (ProductType.CREDITS_PACK, ProductType.SUBSCRIPTION_MONTHLY, ProductType.COINS_PACK)


def default_catalog() -> list[Product]:
    pack = ProductType.CREDITS_PACK
    return [
        Product("credits_6", pack, "6元充值包", Cny.of("6.00"), "可生成12个10秒视频", Credits(120), sort_order=10),
        Product("credits_30", pack, "30元充值包", Cny.of("30.00"), "可生成60个10秒视频", Credits(600), sort_order=20),
        Product("credits_68", pack, "68元充值包", Cny.of("68.00"), "可生成140个10秒视频", Credits(1400), sort_order=30),
        Product("credits_128", pack, "128元充值包", Cny.of("128.00"), "可生成280个10秒视频", Credits(2800),
                sort_order=40),
        Product("monthly_card", ProductType.SUBSCRIPTION_MONTHLY, "月卡", Cny.of("29.00"),
                "30天内每天领取30积分", duration_days=30, daily_credits=Credits(30), sort_order=50),
        Product("promoter_activation", ProductType.PROMOTER_ACTIVATION, "推广员激活", Cny.of("30.00"),
                "激活推广员，赠送600积分", Credits(600), sort_order=60),
    ]


@attrs.define
class Catalog:
    uow: UnitOfWorkFactory

    def seed(self) -> int:
        """Insert the default products whose SKU is missing; never overwrite operators' edits. Returns inserts."""
        added = 0
        with self.uow() as uow:
            for product in default_catalog():
                if uow.products.get_by_sku(product.sku) is None:
                    uow.products.add(product)
                    added += 1
            uow.commit()
        return added

    def list(self, type: ProductType | None = None, active_only: bool = True) -> list[Product]:
        with self.uow(read_only=True) as uow:
            return uow.products.list(type, active_only)

    def shop(self, type: ProductType | None = None) -> list[Product]:
        """The active products clients may browse: one shop type, or all of them (never anything else)."""
        if type is not None and type not in SHOP_TYPES:
            raise InvalidRequest.not_one_of("type", SHOP_TYPES)
        return [p for p in self.list(type) if p.type in SHOP_TYPES]

    def activation_price(self) -> Cny | None:
        """What becoming a promoter costs: the first active activation product, the one
        `Payments.create_for` would sell; None when there is none."""
        product = next(iter(self.list(ProductType.PROMOTER_ACTIVATION)), None)
        return product.price if product else None

    def add(self, product: Product) -> Product:
        """Operators add products; the SKU is their stable name."""
        product.check_deliverable()
        with self.uow() as uow:
            if uow.products.get_by_sku(product.sku) is not None:
                raise NotAllowed(f"SKU {product.sku} 已存在")
            product = uow.products.add(product)
            uow.commit()
        return product

    def set_active(self, sku: str, active: bool) -> Product:
        """Disabled products disappear from the shop; payments already made for them still settle."""
        with self.uow() as uow:
            product = uow.products.get_by_sku(sku)
            if product is None:
                raise NotFound(f"SKU {sku} 不存在")
            product.active = active
            uow.products.save(product)
            uow.commit()
        return product
