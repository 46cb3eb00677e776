"""兑换码 (admin): batches with their counts, generating one (its codes are shown once, on the answer to the form,
with a CSV to download: only their hashes are kept), a batch's redemptions, looking a code up, disabling a batch."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import render_template, request

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.operator import Permission

from .. import bp
from ..forms import done, number, optional_id, text
from ..security import actor, requires, services


def _page(**extra):
    batches, more = services().redemption_batches().list(optional_id("before"))
    products = [p for p in services().catalog().list(active_only=False) if p.type.value != "coins_pack"]
    return render_template("console/codes.html", batches=batches, more=more, products=products,
                           policy=services().policy().redemption, **extra)


@bp.get("/codes")
@requires(Permission.REDEMPTION)
def codes():
    query = text("code", request.args, 64)
    found = services().redemption_batches().find(query) if query else None
    return _page(query=query, found=found, generated=None)


@bp.post("/codes")
@requires(Permission.REDEMPTION)
def generate_codes():
    grant = text("grant", max_len=16)
    if grant not in ("credits", "product"):
        raise InvalidRequest("grant", "积分与商品须且只能选一项")
    credits = number("credits", 1, 10**9) if grant == "credits" else None
    sku = text("product", max_len=64) if grant == "product" else None
    expires = text("expires", max_len=10)
    try:
        expires_on = date.fromisoformat(expires) if expires else None
    except ValueError:
        raise InvalidRequest("expires", "日期格式为 YYYY-MM-DD") from None
    made = services().redemption_batches().generate(text("label", max_len=100), number("count", 1, 10**6), actor(),
                                                     credits=credits, product_sku=sku, expires_on=expires_on)
    csv_href = "data:text/csv;charset=utf-8," + quote("\ufeff" + made.csv())
    return _page(query="", found=None, generated=made, csv_href=csv_href)


@bp.get("/codes/<int:batch_id>")
@requires(Permission.REDEMPTION)
def code_batch(batch_id: int):
    batches = services().redemption_batches()
    return render_template("console/code_batch.html", view=batches.show(batch_id),
                           page=batches.redemptions(batch_id))


@bp.post("/codes/<int:batch_id>/disable")
@requires(Permission.REDEMPTION)
def disable_codes(batch_id: int):
    reason = text("reason")
    if not reason:
        raise InvalidRequest("reason", "必填")
    services().redemption_batches().disable(batch_id, actor(), reason)
    return done("codes_disabled", f"/admin/codes/{batch_id}")
