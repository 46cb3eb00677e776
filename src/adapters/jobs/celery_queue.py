"""Background work on Celery: the API sends task messages by name; `entrypoints.celery_app` runs them.

Sending by name keeps this adapter free of the task module (and of the container it builds)."""
from __future__ import annotations

import logging
from typing import Any, Protocol

from skyriff_domain.ports import JobQueue

log = logging.getLogger("skyriff.worker")

SUBMIT_TASK = "skyriff.submit_task"
POLL_TASK = "skyriff.poll_task"


class TaskSender(Protocol):
    """The part of a Celery app this adapter uses."""

    def send_task(self, name: str, args: Any = None, **options: Any) -> Any: ...


class CeleryJobQueue(JobQueue):
    def __init__(self, app: TaskSender) -> None:
        self._app = app

    def task_created(self, task_id: int) -> None:
        self._send(SUBMIT_TASK, task_id)

    def task_changed(self, task_id: int) -> None:
        self._send(POLL_TASK, task_id)

    def _send(self, name: str, task_id: int) -> None:
        try:
            self._app.send_task(name, args=[task_id])
        except Exception:  # the task is stored and paid: the beat's worker_pass picks it up, so never fail the request
            log.exception("could not enqueue %s for task %s; the worker pass will pick it up", name, task_id)
