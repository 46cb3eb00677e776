"""提现: the review queue (the payee's verified name beside the account's, their income and flags), approving
(which sends the payout through the channel), rejecting with a reason, marking a bank transfer paid with its
reference, and the transfers in flight with their channel status."""
from __future__ import annotations

import csv
import io

from flask import Response, render_template, request

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.operator import Permission
from skyriff_domain.model.withdrawal import WithdrawalStatus

from .. import bp
from ..forms import done, text
from ..security import actor, requires, services


@bp.get("/withdrawals")
@requires(Permission.WITHDRAWALS)
def withdrawals():
    status = text("status", request.args, 16) or WithdrawalStatus.APPLIED.value
    if status not in {s.value for s in WithdrawalStatus}:
        raise InvalidRequest("status", "未知状态")
    views = services().money_views()
    reviews = views.reviews(WithdrawalStatus(status))
    flying = views.in_flight() if status != WithdrawalStatus.APPROVED.value else []
    return render_template("console/withdrawals.html", reviews=reviews, flying=flying, status=status,
                           statuses=[s.value for s in WithdrawalStatus])


@bp.get("/withdrawals/<int:withdrawal_id>")
@requires(Permission.WITHDRAWALS)
def withdrawal(withdrawal_id: int):
    return render_template("console/withdrawal.html", r=services().money_views().review(withdrawal_id))


@bp.post("/withdrawals/<int:withdrawal_id>/approve")
@requires(Permission.WITHDRAWALS)
def approve(withdrawal_id: int):
    reason = text("reason", max_len=200)
    if not reason:
        raise InvalidRequest("reason", "必填")  # money leaves: the approval says why
    services().payouts().approve(withdrawal_id, request.form.get("over_cap") == "1", actor=actor(), reason=reason)
    return done("approved", f"/admin/withdrawals/{withdrawal_id}")


@bp.post("/withdrawals/<int:withdrawal_id>/reject")
@requires(Permission.WITHDRAWALS)
def reject(withdrawal_id: int):
    reason = text("reason", max_len=200)
    if not reason:
        raise InvalidRequest("reason", "必填")
    services().payouts().reject(withdrawal_id, reason, actor=actor())
    return done("rejected", f"/admin/withdrawals/{withdrawal_id}")


@bp.post("/withdrawals/<int:withdrawal_id>/paid")
@requires(Permission.WITHDRAWALS)
def mark_paid(withdrawal_id: int):
    services().payouts().mark_paid(withdrawal_id, text("reference", max_len=100), actor=actor())
    return done("paid", f"/admin/withdrawals/{withdrawal_id}")


@bp.post("/withdrawals/<int:withdrawal_id>/query")
@requires(Permission.WITHDRAWALS)
def query_transfer(withdrawal_id: int):
    services().payouts().sync_one(withdrawal_id, actor=actor())
    return done("transfer_queried", f"/admin/withdrawals/{withdrawal_id}")


@bp.get("/income.csv")
@requires(Permission.WITHDRAWALS)
def income_statement():
    """The month's income statement (国务院令第810号) as CSV: the one place the console decrypts ID numbers, so every
    download is in the audit log."""
    month = text("month", request.args, 7)
    rows = services().income_statements().month(month)
    services().audit_trail().note(actor(), "income.export", "month", month, reason=f"{len(rows)} earners")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["user_id", "real_name", "id_number", "tips", "prompts", "remix", "commission", "income",
                     "withdrawn", "paid"])
    for r in rows:
        writer.writerow([r.user_id, r.real_name or "", r.id_number or "", r.tips, r.prompts, r.remix, r.commission,
                         r.income, r.withdrawn, r.paid])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="income-{month}.csv"'})
