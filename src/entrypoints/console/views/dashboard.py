"""概览: today and the last 7 days, with charts, what waits for operators, and the last ledger check."""
from __future__ import annotations

from flask import render_template

from skyriff_domain.model.generation import TaskStatus
from skyriff_domain.model.operator import Permission

from .. import bp, charts
from ..forms import done
from ..security import actor, requires, services


@bp.get("/dashboard")
@requires(Permission.DASHBOARD)
def dashboard():
    view = services().dashboard().view()
    label = [f"{d.day:%m-%d}" for d in view.days]
    figures = {
        "new_users": charts.bars(list(zip(label, [d.new_users for d in view.days])), "新增用户"),
        "paying_users": charts.bars(list(zip(label, [d.paying_users for d in view.days])), "付费用户"),
        "gmv": charts.bars(list(zip(label, [float(d.gmv.to_decimal()) for d in view.days])), "GMV", " 元"),
        "credits_sold": charts.bars(list(zip(label, [d.credits_sold for d in view.days])), "售出积分"),
        "credits_spent": charts.bars(list(zip(label, [d.credits_spent for d in view.days])), "消耗积分"),
        "tasks": charts.bars(list(zip(label, [d.task_total for d in view.days])), "生成任务"),
    }
    return render_template("console/dashboard.html", view=view, charts=figures, statuses=list(TaskStatus))


@bp.post("/ledger/check")
@requires(Permission.WITHDRAWALS)
def ledger_check():
    problems = services().ledger_audit().check("console")
    services().audit_trail().note(actor(), "ledger.check", "ledger", "all", reason=f"{len(problems)} differences")
    return done("ledger_checked", "/admin/dashboard")
