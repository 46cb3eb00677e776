"""商品 (admin): the catalogue — add, edit, enable and disable products."""
from __future__ import annotations

from flask import abort, render_template

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.catalog import Product, ProductType
from skyriff_domain.model.operator import Permission
from skyriff_domain.money import MAX_MINOR, Coins, Credits

from .. import bp
from ..forms import cny, done, money, number, text
from ..security import actor, requires, services

INT32 = 2**31 - 1


def _terms() -> dict:
    return {"name": text("name", max_len=100), "description": text("description", max_len=400),
            "price": cny("price"), "credits_amount": Credits(number("credits", 0, MAX_MINOR - 1, 0)),
            "coins_amount": money("coins", Coins, signed=False), "duration_days": number("days", 0, 3660, 0),
            "daily_credits": Credits(number("daily_credits", 0, INT32, 0)),
            "sort_order": number("sort", -INT32 - 1, INT32, 100)}


@bp.get("/products")
@requires(Permission.PRODUCTS)
def products():
    return render_template("console/products.html", products=services().catalog().list(active_only=False),
                           types=[t.value for t in ProductType])


@bp.get("/products/<sku>")
@requires(Permission.PRODUCTS)
def product(sku: str):
    found = [p for p in services().catalog().list(active_only=False) if p.sku == sku]
    if not found:
        abort(404)
    return render_template("console/product.html", p=found[0])


@bp.post("/products")
@requires(Permission.PRODUCTS)
def add_product():
    kind = text("type", max_len=32)
    if kind not in {t.value for t in ProductType}:
        raise InvalidRequest("type", "未知类型")
    terms = _terms()
    if not terms["name"]:
        raise InvalidRequest("name", "必填")
    sku = text("sku", max_len=64)
    if not sku or not sku.isascii() or not all(c.isalnum() or c in "_-." for c in sku):
        raise InvalidRequest("sku", "需为字母、数字、_ - .")
    services().catalog().add(Product(sku=sku, type=ProductType(kind), **terms), actor=actor())
    return done("product_saved", "/admin/products")


@bp.post("/products/<sku>/edit")
@requires(Permission.PRODUCTS)
def edit_product(sku: str):
    terms = _terms()
    if not terms["name"]:
        raise InvalidRequest("name", "必填")
    services().catalog().edit(sku, actor=actor(), **terms)
    return done("product_saved", f"/admin/products/{sku}")


@bp.post("/products/<sku>/toggle")
@requires(Permission.PRODUCTS)
def toggle_product(sku: str):
    services().catalog().set_active(sku, text("active", max_len=1) == "1", actor=actor())
    return done("product_toggled", "/admin/products")
