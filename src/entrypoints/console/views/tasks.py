"""任务: generation tasks by status and provider, the stuck ones, and failing one with a refund (exactly once)."""
from __future__ import annotations

from flask import render_template, request

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.generation import TaskStatus
from skyriff_domain.model.operator import Permission
from skyriff_domain.ports import TaskQuery

from .. import bp
from ..forms import done, optional_id, text
from ..security import actor, requires, services


@bp.get("/tasks")
@requires(Permission.TASKS_READ)
def tasks():
    status = text("status", request.args, 16)
    if status and status not in {s.value for s in TaskStatus}:
        raise InvalidRequest("status", "未知状态")
    query = TaskQuery(status=TaskStatus(status) if status else None, provider=text("provider", request.args, 64),
                      user_id=optional_id("user_id"))
    views = services().task_views()
    rows, more = views.list(query, optional_id("before"))
    filters = {k: request.args.get(k, "") for k in ("status", "provider", "user_id")}
    return render_template("console/tasks.html", rows=rows, more=more, stuck=views.stuck(), overdue=views.overdue,
                           filters=filters, statuses=[s.value for s in TaskStatus])


@bp.post("/tasks/<int:task_id>/fail")
@requires(Permission.TASKS_FAIL)
def fail_task(task_id: int):
    services().task_admin().fail(task_id, actor(), text("reason"))
    return done("task_failed", "/admin/tasks")
