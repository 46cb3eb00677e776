"""Remixing a work: a new generation from the original prompt plus the remixer's addition. The remixer
pays the creator's fee (nothing on their own work) plus the generation; a failed remix is refunded in full
and the creator's pending share of the fee is reversed (see task_outcomes)."""
from __future__ import annotations

import attrs

from ..model.ledger import LedgerRef, LedgerType
from ..model.generation import GenerationTask
from ..money import Coins, Credits
from ..policy import Policy
from ..ports import Clock, UnitOfWorkFactory
from ..text import clean_text
from . import wallet_ops
from .creation import Charge, Creation, TaskSpec
from .works import load_work

DELTA_MAX = 500


@attrs.frozen
class RemixResult:
    task: GenerationTask
    fee: Credits
    generation_cost: Credits
    creator_share: Coins


@attrs.define
class Remixes:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    creation: Creation

    def remix(self, user_id: int, work_id: int, delta: str, duration_sec: int, ratio: str, model: str,
              project_id: int | None = None) -> RemixResult:
        delta = clean_text("prompt_delta", delta, DELTA_MAX, multiline=True)
        with self.uow() as uow:
            work = load_work(uow, work_id)
            unlocked = uow.reactions.has("unlock", user_id, work_id)
        prompt = f"{work.prompt}\n{delta}".strip() if delta else work.prompt
        spec = self.creation.validate(TaskSpec(prompt, duration_sec, ratio, model, project_id))
        own = work.creator_id == user_id
        fee = Credits(0) if own else work.remix_fee
        generation = self.creation.generation_charge(spec)
        # The remixer never sees a prompt they have not unlocked: their task shows only their addition.
        hidden = not work.prompt_visible_to(user_id, unlocked)
        visible = f"二创《{work.title}》" + (f"：{delta}" if delta else "") if hidden else None
        now = self.clock.now()
        with self.uow() as uow:
            uow.wallets.lock_many([user_id, work.creator_id])
            task = self.creation.store_paid_task(
                uow, user_id, spec, [generation, Charge(fee, LedgerType.REMIX_SPEND, f"二创费《{work.title}》"[:200])],
                remix_of_work_id=work_id, remix_fee=fee, visible_prompt=visible)
            share = self.policy.revenue.creator_coins(fee)
            if share.is_positive:
                wallet_ops.add_pending_coins(uow, work.creator_id, share, LedgerType.REMIX_INCOME,
                                             f"二创收入《{work.title}》"[:200], now, self.policy.revenue,
                                             LedgerRef("task", task.id), f"task:{task.id}:remix_income")
            uow.commit()
        self.creation.jobs.task_created(task.id)
        return RemixResult(task, fee, generation.amount, share)
