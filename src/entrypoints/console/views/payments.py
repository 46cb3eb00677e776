"""支付: search by id, out_trade_no, user, status and date; a payment's page with what its channel said; ask the
channel and settle (补单), and refund (finance, with a reason)."""
from __future__ import annotations

from flask import render_template, request

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.operator import Permission
from skyriff_domain.model.payment import PaymentStatus
from skyriff_domain.ports import PaymentQuery

from .. import bp
from ..forms import day, day_bounds, done, optional_id, text
from ..security import actor, requires, services

PAGE = 50


@bp.get("/payments")
@requires(Permission.PAYMENTS_READ)
def payments():
    args = request.args
    status = text("status", args, 16)
    if status and status not in {s.value for s in PaymentStatus}:
        raise InvalidRequest("status", "未知状态")
    since, until = day_bounds(day("from"), day("to"))
    query = PaymentQuery(payment_id=optional_id("id"), out_trade_no=text("out_trade_no", args, 32),
                         user_id=optional_id("user_id"), status=PaymentStatus(status) if status else None,
                         since=since, until=until)
    rows, more = services().money_views().payments(query, optional_id("before"), PAGE)
    filters = {k: args.get(k, "") for k in ("id", "out_trade_no", "user_id", "status", "from", "to")}
    return render_template("console/payments.html", rows=rows, more=more, filters=filters,
                           statuses=[s.value for s in PaymentStatus])


@bp.get("/payments/<int:payment_id>")
@requires(Permission.PAYMENTS_READ)
def payment(payment_id: int):
    page = services().money_views().payment(payment_id)
    return render_template("console/payment.html", page=page, p=page.payment)


@bp.post("/payments/<int:payment_id>/query")
@requires(Permission.PAYMENTS_QUERY)
def query_payment(payment_id: int):
    services().payments().query(payment_id, actor())
    return done("queried", f"/admin/payments/{payment_id}")


@bp.post("/payments/<int:payment_id>/refund")
@requires(Permission.PAYMENTS_REFUND)
def refund(payment_id: int):
    services().refunds().refund(payment_id, text("reason", max_len=200), request.form.get("force") == "1",
                                actor=actor())
    return done("refunded", f"/admin/payments/{payment_id}")
