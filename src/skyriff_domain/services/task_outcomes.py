"""How a task ends. Each ending is one transaction: a compare-and-swap on the old status, and only the
winner refunds (ledger entry with a unique key per task) or records the video."""
from __future__ import annotations

import logging
from datetime import datetime

from ..model.generation import GenerationTask, TaskStatus
from ..model.ledger import LedgerRef, LedgerType
from ..model.media import VideoAsset
from ..ports import UnitOfWork
from . import wallet_ops

log = logging.getLogger("skyriff.tasks")


def fail(uow: UnitOfWork, task: GenerationTask, message: str, now: datetime) -> bool:
    """FAILURE with a readable message and the full refund; False if another worker ended it first."""
    expected = task.status
    assert not expected.finished and task.id is not None
    task.status, task.error_message, task.finished_at = TaskStatus.FAILURE, message, now
    task.refunded, task.next_poll_at, task.progress = True, None, 0
    if not uow.tasks.compare_and_set(task, expected):
        return False
    wallet_ops.grant_credits(uow, task.user_id, task.cost, LedgerType.GEN_REFUND, f"生成失败退款：{message}"[:200],
                             now, LedgerRef("task", task.id), f"task:{task.id}:gen_refund")
    log.info("task %s failed (%s), refunded %s credits", task.id, message, task.cost.minor)
    return True


def succeed(uow: UnitOfWork, task: GenerationTask, video: VideoAsset, now: datetime) -> VideoAsset | None:
    """SUCCESS with the video; None if another worker ended the task first — then the caller must not
    commit (the video row goes with the rollback) and removes the files it stored."""
    expected = task.status
    assert not expected.finished
    video = uow.videos.add(video)
    task.status, task.progress, task.finished_at, task.next_poll_at = TaskStatus.SUCCESS, 100, now, None
    task.video_id = video.id
    return video if uow.tasks.compare_and_set(task, expected) else None
