"""The product catalogue: PRODUCT.md's defaults, seeded once; afterwards it is operators' data."""
from __future__ import annotations

import attrs

from ..model.catalog import Product, ProductType
from ..errors import InvalidRequest, NotAllowed, NotFound
from ..money import Cny, Credits
from ..model.operator import Operator
from ..ports import Clock, UnitOfWorkFactory
from .audit import record


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


EDITABLE = frozenset({"name", "description", "price", "credits_amount", "coins_amount", "duration_days",
                      "daily_credits", "sort_order"})


def terms(product: Product) -> dict[str, object]:
    """A product's terms as the audit log records them."""
    return {"name": product.name, "type": product.type.value, "price": str(product.price),
            "credits": product.credits_amount.minor, "coins": str(product.coins_amount),
            "days": product.duration_days, "daily_credits": product.daily_credits.minor, "active": product.active}


@attrs.define
class Catalog:
    uow: UnitOfWorkFactory
    clock: Clock | None = None  # when operators' edits happened (the audit log)

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

    def add(self, product: Product, actor: Operator | None = None) -> Product:
        """Operators add products; the SKU is their stable name."""
        product.check_deliverable()
        with self.uow() as uow:
            if uow.products.get_by_sku(product.sku) is not None:
                raise NotAllowed(f"SKU {product.sku} 已存在")
            product = uow.products.add(product)
            self._record(uow, actor, "product.add", product.sku, after=terms(product))
            uow.commit()
        return product

    def edit(self, sku: str, actor: Operator | None = None, **changes: object) -> Product:
        """Change what a product is called, costs or delivers (never its SKU or type). Payments already created
        keep their amount, and what was delivered stays delivered."""
        unknown = set(changes) - EDITABLE
        if unknown:
            raise InvalidRequest(sorted(unknown)[0], "不可修改")
        with self.uow() as uow:
            product = self._by_sku(uow, sku)
            before = terms(product)
            product = attrs.evolve(product, **changes)
            product.check_deliverable()
            uow.products.save(product)
            self._record(uow, actor, "product.edit", sku, before=before, after=terms(product))
            uow.commit()
        return product

    def set_active(self, sku: str, active: bool, actor: Operator | None = None) -> Product:
        """Disabled products disappear from the shop; payments already made for them still settle."""
        with self.uow() as uow:
            product = self._by_sku(uow, sku)
            before = product.active
            product.active = active
            uow.products.save(product)
            self._record(uow, actor, "product.enable" if active else "product.disable", sku,
                         before={"active": before}, after={"active": active})
            uow.commit()
        return product

    def _record(self, uow, actor: Operator | None, action: str, sku: str, **changes) -> None:
        if actor is not None:
            assert self.clock is not None, "a Catalog that records operators' edits needs a clock"
            record(uow, actor, action, "product", sku, self.clock.now(), **changes)

    @staticmethod
    def _by_sku(uow, sku: str) -> Product:
        product = uow.products.get_by_sku(sku)
        if product is None:
            raise NotFound(f"SKU {sku} 不存在")
        return product
