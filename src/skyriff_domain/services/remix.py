"""Remixing a work: a new generation from the work's generation prompt plus the remixer's addition. The remixer
pays the creator's fee (nothing on their own work) plus the generation; the creator earns their share of the
fee's cost; a failed remix is refunded in full and that share reversed (see task_outcomes).

The provider gets the whole chain (every ancestor's generation prompt and each remixer's addition); the
remixer's task — and the work they may publish from it — shows a placeholder for any locked prompt that is not
theirs, so a remix fee never buys a locked prompt, however long the chain."""
from __future__ import annotations

import attrs

from ..economy import creator_share
from ..errors import NotAllowed
from ..model.generation import GenerationTask
from ..model.ledger import LedgerRef, LedgerType
from ..model.moderation import strictest
from ..model.work import Work
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


@attrs.frozen
class RemixPrompts:
    """What the remixer sees (and may publish) and what the provider is sent."""

    visible: str
    upstream: str


def remix_prompts(work: Work, remixer_id: int, delta: str) -> RemixPrompts:
    """The remixer sees the work's display prompt only where it is theirs to see for free: their own work or an
    unlocked prompt. A locked prompt of someone else — bought or not — becomes a placeholder, because what the
    remixer sees is what a published remix would show to everyone."""
    hidden = work.is_prompt_locked and work.creator_id != remixer_id
    if hidden:
        visible = f"二创《{work.title}》" + (f"：{delta}" if delta else "")
    else:
        visible = f"{work.prompt}\n{delta}" if delta else work.prompt
    upstream = f"{work.generation_prompt}\n{delta}" if delta else work.generation_prompt
    return RemixPrompts(visible, upstream)


@attrs.define
class Remixes:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    creation: Creation

    def remix(self, user_id: int, work_id: int, delta: str, duration_sec: int, ratio: str, model: str,
              project_id: int | None = None) -> RemixResult:
        delta = clean_text("prompt_delta", delta, DELTA_MAX, multiline=True)
        with self.uow(read_only=True) as uow:
            work = load_work(uow, work_id, user_id)
        # Decided by the work alone, never by this delta: an answer that depended on the delta's length would
        # tell the remixer how long the locked prompts are.
        if len(work.generation_prompt) + 1 + DELTA_MAX > self.policy.generation.remix_prompt_max:
            raise NotAllowed("该作品的二创链已达上限，不能再次二创")
        prompts = remix_prompts(work, user_id, delta)
        spec = TaskSpec(prompts.visible, duration_sec, ratio, model, project_id)
        self.creation.router.check_servable(model, duration_sec, ratio)
        # The remixer's words, then everything the provider will be sent (the chain may hold prompts they
        # cannot see): either blocked refuses the remix before any charge.
        decision = strictest([self.creation.screen_prompt(delta, "prompt_delta"),
                              self.creation.screen_prompt(prompts.upstream, "prompt")])
        fee = Credits(0) if work.creator_id == user_id else work.remix_fee
        generation = self.creation.generation_charge(spec)
        now = self.clock.now()
        with self.uow() as uow:
            uow.wallets.lock_many([user_id, work.creator_id])  # both wallets, in id order, before anything else
            task = self.creation.store_paid_task(
                uow, user_id, spec, [generation, Charge(fee, LedgerType.REMIX_SPEND, f"二创费《{work.title}》"[:200])],
                upstream_prompt=prompts.upstream, held=decision, remix_of_work_id=work_id, remix_fee=fee)
            share = creator_share(task.remix_fee_cost_cny, self.policy.revenue.creator_share)
            if share.is_positive:
                wallet_ops.add_pending_coins(uow, work.creator_id, share, LedgerType.REMIX_INCOME,
                                             f"二创收入《{work.title}》"[:200], now, self.policy.revenue,
                                             LedgerRef("task", task.id), f"task:{task.id}:remix_income")
            uow.commit()
        self.creation.jobs.task_created(task.id)
        return RemixResult(task, fee, generation.amount, share)
