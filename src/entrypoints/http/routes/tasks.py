"""五、创作模块 (generation tasks): create, list, detail."""
from __future__ import annotations

from skyriff_domain.model.generation import TaskStatus
from skyriff_domain.services.creation import TaskSpec

from .. import presenters
from ..api import Api, Auth, Call
from ..pagination import decode_cursor, encode_cursor, page
from ..schemas.common import Page
from ..schemas.creation import TaskCreateBody, TaskCreated, TaskData, TaskQuery

api = Api("tasks", tag="创作")


@api.route("POST", "/tasks/create", summary="创建生成任务", body=TaskCreateBody, response=TaskCreated,
           auth=Auth.REQUIRED, idempotent=True, throttle="tasks", message="任务创建成功",
           errors=(2001, 2002, 2007, 2008, 2009),
           description="扣费（gen_spend）与建任务在同一事务；服务商不支持的时长/画幅在扣费前以 2000 拒绝；"
                       "提示词经内容审核，违规以 2009 拒绝且不扣费；最多3个未完成任务（2008）；失败自动全额退款"
                       "（生成内容审核不通过同样失败并退款）。")
def create(call: Call):
    b = call.body
    task = call.services.creation().create_task(call.user_id, TaskSpec(
        b.prompt, b.duration_sec, b.ratio, b.model, b.project_id, b.reference_image_asset_id, b.note))
    estimate = call.services.policy().generation.estimated_seconds.get(task.model, 120)
    return {"task_id": task.id, "status": task.status.value, "cost_credits": task.cost.minor, "estimated_time": estimate}


@api.route("GET", "/tasks", summary="查询任务列表", query=TaskQuery, response=Page[TaskData], auth=Auth.REQUIRED,
           errors=(2000,))
def tasks(call: Call):
    q = call.query
    before = decode_cursor(q.cursor, int)
    rows, more = call.services.creation().page(call.user_id, TaskStatus(q.status) if q.status else None,
                                               before[0] if before else None, q.limit)
    return page([presenters.task(t) for t in rows], more, encode_cursor(rows[-1].id) if rows else None)


@api.route("GET", "/tasks/<int:task_id>", summary="查询任务详情", response=TaskData, auth=Auth.REQUIRED,
           errors=(2007,))
def task(call: Call):
    return presenters.task(call.services.creation().get(call.user_id, call.path["task_id"]))
