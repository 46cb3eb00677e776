"""The daily task center: which of today's tasks are pending, completed or claimed, and claiming rewards."""
from __future__ import annotations

from datetime import datetime

import attrs

from ..errors import AlreadyClaimed, InvalidRequest, NotAllowed
from ..model.ledger import LedgerRef, LedgerType
from ..model.task_center import DailyStatus, DailyTask, DailyTaskState
from ..money import Credits
from ..policy import Policy
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory
from . import wallet_ops


def record(uow: UnitOfWork, policy: Policy, user_id: int, key: DailyTask, now: datetime) -> None:
    """Mark a task done for the business day of `now` (used where the action happens)."""
    uow.daily_tasks.complete(user_id, policy.business_day(now), key, now)


@attrs.define
class TaskCenter:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def today(self, user_id: int) -> list[DailyTaskState]:
        """Opening the task center is an authenticated request today: login_daily counts as done."""
        now = self.clock.now()
        day = self.policy.business_day(now)
        with self.uow() as uow:
            record(uow, self.policy, user_id, DailyTask.LOGIN_DAILY, now)
            states = uow.daily_tasks.states(user_id, day)
            uow.commit()
        out = []
        for key in DailyTask:
            completed, claimed = states.get(key, (None, None))
            status = DailyStatus.CLAIMED if claimed else DailyStatus.COMPLETED if completed else DailyStatus.PENDING
            out.append(DailyTaskState(key, status))
        return out

    def reward(self, key: DailyTask) -> Credits:
        return self.policy.task_center.rewards[key.value]

    def claim(self, user_id: int, task_key: str) -> tuple[Credits, Credits]:
        """Returns (credits claimed, new balance). Pending → 2008; claimed already today → 2003."""
        try:
            key = DailyTask(task_key)
        except ValueError:
            raise InvalidRequest.not_one_of("task_key", DailyTask) from None
        now = self.clock.now()
        day = self.policy.business_day(now)
        with self.uow() as uow:
            if key is DailyTask.LOGIN_DAILY:
                record(uow, self.policy, user_id, key, now)
            completed, claimed = uow.daily_tasks.states(user_id, day).get(key, (None, None))
            if not completed:
                raise NotAllowed("任务尚未完成")
            # A double tap may have claimed it between the read above and this conditional update.
            if claimed or not uow.daily_tasks.claim(user_id, day, key, now):
                raise AlreadyClaimed(data={"next_claim_at": self.policy.next_business_day_start(now)})
            amount = self.reward(key)
            entry = wallet_ops.grant_credits(uow, user_id, amount, LedgerType.TASK_REWARD, f"每日任务：{key.value}",
                                             now, LedgerRef("daily_task", f"{day}:{key.value}"),
                                             f"daily_task:{user_id}:{day}:{key.value}")
            uow.commit()
        return amount, entry.balance_after
