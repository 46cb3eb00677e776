"""Creating generation tasks (validated, charged and stored in one transaction) and reading them back."""
from __future__ import annotations

import attrs

from ..errors import NotAllowed, NotFound
from ..model.generation import UNFINISHED, GenerationTask, TaskStatus
from ..model.ledger import LedgerRef, LedgerType
from ..model.moderation import PASSED, Decision
from ..money import Cny, Credits
from ..policy import Policy
from ..ports import Clock, JobQueue, UnitOfWork, UnitOfWorkFactory
from ..text import clean_text
from . import wallet_ops
from .moderation_cases import hold_prompt
from .providers import ProviderRouter
from .lookups import owned, split_page
from .screening import Screen, refuse_blocked

NOTE_MAX = 200


@attrs.frozen
class TaskSpec:
    """A generation as the user asked for it."""

    prompt: str
    duration_sec: int
    ratio: str
    model: str
    project_id: int | None = None
    reference_image_asset_id: int | None = None
    note: str = ""


@attrs.frozen
class Charge:
    """One debit of a paid task (generation, remix fee): its own ledger entry."""

    amount: Credits
    kind: LedgerType
    description: str


@attrs.define
class Creation:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    router: ProviderRouter
    jobs: JobQueue
    screen: Screen | None = None  # None: prompts are not moderated (unit tests of other rules)

    def create_task(self, user_id: int, spec: TaskSpec) -> GenerationTask:
        """Refuse what cannot be served (2000) and a blocked prompt (2009) before charging; at most 3 unfinished
        tasks (2008). A prompt held for review runs, flagged for an operator."""
        spec = self.validate(spec)
        decision = self.screen_prompt(spec.prompt, "prompt")
        with self.uow() as uow:
            task = self.store_paid_task(uow, user_id, spec, [self.generation_charge(spec)], held=decision)
            uow.commit()
        self.jobs.task_created(task.id)
        return task

    def validate(self, spec: TaskSpec) -> TaskSpec:
        """The spec as it is stored (prompt and note cleaned, see text.clean_text), if it can be served."""
        prompt = clean_text("prompt", spec.prompt, self.policy.generation.prompt_max, multiline=True, min_len=1)
        note = clean_text("note", spec.note, NOTE_MAX, multiline=True)
        self.router.check_servable(spec.model, spec.duration_sec, spec.ratio)
        return attrs.evolve(spec, prompt=prompt, note=note)

    def screen_prompt(self, text: str, field: str) -> Decision:
        """The moderator's verdict on a prompt; a blocked one is refused (2009) before anything is charged."""
        return refuse_blocked(self.screen.text("prompt", text), field) if self.screen else PASSED

    def generation_charge(self, spec: TaskSpec) -> Charge:
        cost = self.policy.pricing.generation_cost(spec.model, spec.duration_sec)
        return Charge(cost, LedgerType.GEN_SPEND, f"生成{spec.duration_sec}秒视频")

    def store_paid_task(self, uow: UnitOfWork, user_id: int, spec: TaskSpec, charges: list[Charge],
                        upstream_prompt: str | None = None, held: Decision = PASSED,
                        **extra: object) -> GenerationTask:
        """Lock the wallet first: it serializes one user's creates, so the unfinished-task limit holds. Each
        charge is its own entry; the task remembers the cost they took, which a refund gives back. A prompt
        `held` for review opens its moderation case with the task."""
        now = self.clock.now()
        wallet = wallet_ops.locked_wallet(uow, user_id)
        if uow.tasks.count_unfinished(user_id) >= self.policy.generation.max_unfinished_tasks:
            raise NotAllowed(f"最多同时进行{self.policy.generation.max_unfinished_tasks}个生成任务")
        self._check_owned(uow, user_id, spec)
        total = sum((c.amount for c in charges), Credits(0))
        entries = [wallet.spend_credits(c.amount, c.kind, c.description, now) for c in charges if c.amount.is_positive]
        task = uow.tasks.add(GenerationTask(
            user_id=user_id, prompt=spec.prompt, upstream_prompt=upstream_prompt or spec.prompt, model=spec.model,
            duration_sec=spec.duration_sec, ratio=spec.ratio, cost=total, created_at=now, project_id=spec.project_id,
            reference_image_asset_id=spec.reference_image_asset_id, note=spec.note,
            cost_cny=-sum((e.cost for e in entries), Cny(0)),
            remix_fee_cost_cny=-sum((e.cost for e in entries if e.type is LedgerType.REMIX_SPEND), Cny(0)), **extra))
        for entry in entries:
            entry.ref = LedgerRef("task", task.id)
        wallet_ops.record(uow, wallet, entries)
        if held.held:
            hold_prompt(uow, task, held, now)
        return task

    @staticmethod
    def _check_owned(uow: UnitOfWork, user_id: int, spec: TaskSpec) -> None:
        if spec.project_id is not None:
            owned(uow.projects.get(spec.project_id), user_id, "项目不存在", "只能使用自己的项目")
        if spec.reference_image_asset_id is not None:
            owned(uow.assets.get_image(spec.reference_image_asset_id), user_id, "参考图片不存在",
                  "只能使用自己上传的图片")

    def get(self, user_id: int, task_id: int) -> GenerationTask:
        with self.uow(read_only=True) as uow:
            task = uow.tasks.get(task_id)
        if task is None or task.user_id != user_id:
            raise NotFound("任务不存在")
        return task

    def page(self, user_id: int, status: TaskStatus | None, before_id: int | None,
             limit: int) -> tuple[list[GenerationTask], bool]:
        with self.uow(read_only=True) as uow:
            rows = uow.tasks.page_for_user(user_id, status, before_id, limit + 1)
        return split_page(rows, limit)


__all__ = ["Creation", "TaskSpec", "UNFINISHED"]
