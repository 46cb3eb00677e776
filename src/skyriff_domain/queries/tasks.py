"""Generation tasks as operators look at them: by status and provider, and the stuck ones — unfinished long after
they were created (the worker fails and refunds them at the timeout; an operator can do it earlier)."""
from __future__ import annotations

from datetime import timedelta

import attrs

from ..model.generation import GenerationTask
from ..policy import Policy
from ..ports import Clock, TaskQuery, UnitOfWorkFactory
from ..services.lookups import split_page

STUCK_AFTER = timedelta(minutes=10)


@attrs.define
class TaskViews:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def list(self, query: TaskQuery, before_id: int | None = None,
             limit: int = 50) -> tuple[list[GenerationTask], bool]:
        with self.uow(read_only=True) as uow:
            return split_page(uow.console.tasks(query, before_id, limit + 1), limit)

    def stuck(self, limit: int = 100) -> list[GenerationTask]:
        """Unfinished tasks created more than 10 minutes ago, oldest first."""
        cutoff = self.clock.now() - min(STUCK_AFTER, self.policy.generation.timeout)
        with self.uow(read_only=True) as uow:
            return sorted(uow.console.tasks(TaskQuery(created_before=cutoff), None, limit), key=lambda t: t.id)

    def overdue(self, task: GenerationTask) -> bool:
        """Past the timeout: the worker should have failed it already (is it running?)."""
        return self.clock.now() - task.created_at >= self.policy.generation.timeout

