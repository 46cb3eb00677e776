"""审计日志 (admin): every operator action, newest first, filtered by operator, action, object and date; read-only."""
from __future__ import annotations

from flask import render_template, request

from skyriff_domain.model.audit import AuditFilter
from skyriff_domain.model.operator import Permission

from .. import bp
from ..forms import day, day_bounds, optional_id, text
from ..security import requires, services


@bp.get("/audit")
@requires(Permission.AUDIT)
def audit():
    args = request.args
    since, until = day_bounds(day("from"), day("to"))
    where = AuditFilter(operator_name=text("operator", args, 64), action=text("action", args, 64),
                        object_type=text("object_type", args, 32), object_id=text("object_id", args, 64),
                        since=since, until=until)
    rows, more = services().audit_trail().search(where, optional_id("before"), 50)
    filters = {k: args.get(k, "") for k in ("operator", "action", "object_type", "object_id", "from", "to")}
    return render_template("console/audit.html", rows=rows, more=more, filters=filters)
