"""Products and uploaded images."""
from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlalchemy import insert, select, update

from skyriff_domain.model.catalog import ImageAsset, Product, ProductType
from skyriff_domain.ports import AssetRepository, ProductRepository

from ..mappers import image_from_row, image_values, product_from_row, product_values
from ..models import DbImageAsset, DbProduct

images = DbImageAsset.__table__
products = DbProduct.__table__


class SqlAssets(AssetRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get_image(self, asset_id: int) -> ImageAsset | None:
        row = self.conn.execute(select(images).where(images.c.id == asset_id)).first()
        return image_from_row(row) if row else None

    def add_image(self, asset: ImageAsset) -> ImageAsset:
        asset.id = self.conn.execute(insert(images).values(image_values(asset)).returning(images.c.id)).scalar_one()
        return asset


class SqlProducts(ProductRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def list(self, type: ProductType | None = None, active_only: bool = True) -> list[Product]:
        stmt = select(products).order_by(products.c.sort_order, products.c.id)
        if type is not None:
            stmt = stmt.where(products.c.type == type.value)
        if active_only:
            stmt = stmt.where(products.c.active.is_(True))
        return [product_from_row(r) for r in self.conn.execute(stmt)]

    def get(self, product_id: int) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.id == product_id)).first()
        return product_from_row(row) if row else None

    def get_by_sku(self, sku: str) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.sku == sku)).first()
        return product_from_row(row) if row else None

    def add(self, product: Product) -> Product:
        product.id = self.conn.execute(
            insert(products).values(product_values(product)).returning(products.c.id)).scalar_one()
        return product

    def save(self, product: Product) -> None:
        self.conn.execute(update(products).where(products.c.id == product.id).values(product_values(product)))
