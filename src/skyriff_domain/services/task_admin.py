"""Operators ending a generation task that is stuck: it fails and is refunded through the same path as any
failure (a compare-and-swap on its status, a refund entry with a unique key), so it is refunded exactly once
even when the worker ends it at the same moment."""
from __future__ import annotations

import attrs

from ..errors import NotAllowed, NotFound
from ..model.generation import GenerationTask
from ..model.operator import Operator
from ..ports import Clock, UnitOfWorkFactory
from .audit import record
from .sanctions import clean_reason
from .task_outcomes import fail

STOPPED_MESSAGE = "任务已由客服终止，积分已退回"


@attrs.define
class TaskAdmin:
    uow: UnitOfWorkFactory
    clock: Clock

    def fail(self, task_id: int, actor: Operator | None, reason: str) -> GenerationTask:
        """FAILURE with a full refund; refused (2008) when the task has ended (then it was refunded already if it
        failed: never twice)."""
        reason = clean_reason(reason)
        now = self.clock.now()
        with self.uow() as uow:
            task = uow.tasks.get(task_id)
            if task is None:
                raise NotFound("任务不存在")
            before = task.status
            if before.finished or not fail(uow, task, STOPPED_MESSAGE, now):
                raise NotAllowed("任务已结束，无需处理")
            record(uow, actor, "task.fail", "task", task_id, now, reason=reason,
                   before={"status": before.value},
                   after={"status": task.status.value, "refunded_credits": task.cost.minor,
                          "refunded_cost": str(task.cost_cny)})
            uow.commit()
        return task
