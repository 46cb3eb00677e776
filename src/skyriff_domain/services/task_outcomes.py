"""How a task ends. Each ending is one transaction: a compare-and-swap on the old status, and only the
winner refunds (ledger entry with a unique key per task) or records the video."""
from __future__ import annotations

import logging
from datetime import date, datetime

from ..model.coin_lot import CoinLot, LotStatus
from ..model.generation import GenerationTask, TaskStatus
from ..model.ledger import Account, LedgerRef, LedgerType
from ..model.media import VideoAsset
from ..model.task_center import DailyTask
from ..model.wallet import Wallet
from ..ports import DuplicateEntry, UnitOfWork
from . import wallet_ops

log = logging.getLogger("skyriff.tasks")


def fail(uow: UnitOfWork, task: GenerationTask, message: str, now: datetime) -> bool:
    """FAILURE with a readable message and the full refund — the credits and exactly the cost their charges
    took — and, for a remix, the creator's share of the fee reversed. False if another worker ended it first."""
    expected = task.status
    assert not expected.finished and task.id is not None
    task.status, task.error_message, task.finished_at = TaskStatus.FAILURE, message, now
    task.refunded, task.next_poll_at, task.progress = True, None, 0
    if not uow.tasks.compare_and_set(task, expected):
        return False
    lot = uow.coin_lots.get_by_ref("task", task.id) if task.remix_of_work_id is not None else None
    wallets = uow.wallets.lock_many([task.user_id] + ([lot.user_id] if lot else []))  # id order: no deadlock
    if lot is not None:  # read again under the creator's wallet lock: a release may have moved it meanwhile
        lot = uow.coin_lots.get_by_ref("task", task.id)
    if task.cost.is_positive:
        wallet = wallets[task.user_id]
        entry = wallet.grant_credits(task.cost, LedgerType.GEN_REFUND, f"生成失败退款：{message}"[:200], now,
                                     LedgerRef("task", task.id), f"task:{task.id}:gen_refund", task.cost_cny)
        wallet_ops.record(uow, wallet, [entry])
    if lot is not None:
        _reverse_remix_income(uow, wallets[lot.user_id], lot, task, now)
    log.info("task %s failed (%s), refunded %s credits", task.id, message, task.cost.minor)
    return True


def _reverse_remix_income(uow: UnitOfWork, wallet: Wallet, lot: CoinLot, task: GenerationTask,
                          now: datetime) -> None:
    """A failed remix takes back the creator's share of the fee: from pending coins while the lot waits (the
    normal case: a task ends within its timeout, long before earnings unlock), else from what was released."""
    ref, key = LedgerRef("task", task.id), f"task:{task.id}:income_reversal"
    if lot.status is LotStatus.PENDING:
        entry = wallet.reverse_pending(lot.amount, "二创失败，收入冲回", now, ref, key)
    elif lot.status is LotStatus.RELEASED and wallet.coins_available >= lot.amount:
        entry = wallet.post(Account.COINS_AVAILABLE, -lot.amount, LedgerType.INCOME_REVERSAL, "二创失败，收入冲回",
                            now, ref, key)
    else:
        log.warning("task %s: remix income lot %s is %s and cannot be reversed", task.id, lot.id, lot.status)
        return
    lot.status = LotStatus.REVERSED
    uow.coin_lots.save(lot)
    wallet_ops.record(uow, wallet, [entry])


def succeed(uow: UnitOfWork, task: GenerationTask, video: VideoAsset, now: datetime,
            business_day: date | None = None) -> VideoAsset | None:
    """SUCCESS with the video; None if another worker ended the task first — then the caller must not
    commit (the video row goes with the rollback) and removes the files it stored."""
    expected = task.status
    assert not expected.finished
    try:
        video = uow.videos.add(video)
    except DuplicateEntry:  # a worker whose lease ran out while this one downloaded has stored it already
        return None
    task.status, task.progress, task.finished_at, task.next_poll_at = TaskStatus.SUCCESS, 100, now, None
    task.video_id = video.id
    if not uow.tasks.compare_and_set(task, expected):
        return None
    if business_day is not None:
        uow.daily_tasks.complete(task.user_id, business_day, DailyTask.GEN_SUCCESS, now)
    return video
