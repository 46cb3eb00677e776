"""What fans pay creators: tips (which also favorite) and prompt unlocks; the creator's share is pending coins."""
from __future__ import annotations

import attrs

from ..economy import creator_share
from ..errors import InvalidRequest, PermissionDenied
from ..model.ledger import LedgerRef, LedgerType
from ..model.minors import refuse_for_minors
from ..model.work import Work
from ..money import Coins, Credits
from ..policy import Policy
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory
from . import wallet_ops
from .verification import age_of
from .works import load_work


@attrs.frozen
class TipResult:
    cost: Credits
    creator_share: Coins
    already_favorited: bool


@attrs.frozen
class UnlockResult:
    prompt: str
    cost: Credits
    creator_share: Coins
    already_unlocked: bool


def pay_creator(uow: UnitOfWork, policy: Policy, payer_id: int, work: Work, amount: Credits, spend: LedgerType,
                income: LedgerType, label: str, now, ref: LedgerRef, key: str) -> Coins:
    """Debit the fan; the creator earns their share of the cost those credits carried, as pending coins (with
    its lot). Both wallets are locked in id order first, then saved together and their entries appended
    together."""
    wallets = uow.wallets.lock_many([payer_id, work.creator_id])
    payer, creator = wallets[payer_id], wallets[work.creator_id]
    spent = payer.spend_credits(amount, spend, f"{label}《{work.title}》"[:200], now, ref, f"{key}:spend")
    share = creator_share(-spent.cost, policy.revenue.creator_share)
    entries = [spent]
    if share.is_positive:
        entries.append(creator.add_pending_coins(share, income, f"{label}收入《{work.title}》"[:200], now, ref,
                                                 f"{key}:income"))
    uow.wallets.save_many([payer, creator] if share.is_positive else [payer])
    uow.ledger.add_many(entries)
    if share.is_positive:
        uow.coin_lots.add(wallet_ops.pending_lot(work.creator_id, share, income, now, policy.revenue, ref))
    return share


@attrs.define
class Tipping:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def tip(self, fan_id: int, work_id: int, amount: int) -> TipResult:
        """10, 20, 50 or 100 credits; never your own work (2002); the work is favorited too."""
        if amount not in self.policy.pricing.tip_amounts:
            raise InvalidRequest.not_one_of("amount_credits", self.policy.pricing.tip_amounts)
        now = self.clock.now()
        credits = Credits(amount)
        with self.uow() as uow:
            work = load_work(uow, work_id, fan_id)
            if work.creator_id == fan_id:
                raise PermissionDenied("不能打赏自己的作品")
            refuse_for_minors(age_of(uow, fan_id, self.policy.business_day(now)), "打赏")
            uow.wallets.lock_many([fan_id, work.creator_id])  # wallets first, in id order, like every money move
            tip_id = uow.tips.add(work_id, fan_id, work.creator_id, credits, now)
            share = pay_creator(uow, self.policy, fan_id, work, credits, LedgerType.TIP_SPEND, LedgerType.TIP_INCOME,
                                "打赏", now, LedgerRef("tip", tip_id), f"tip:{tip_id}")
            already = not uow.reactions.add("favorite", fan_id, work_id, now)  # a tip also favorites
            uow.works.bump(work_id, tip_count=1, tip_total=amount, favorite_count=0 if already else 1)
            uow.users.bump(work.creator_id, tips_received_credits=amount)
            uow.commit()
        return TipResult(credits, share, already)

    def unlock_prompt(self, user_id: int, work_id: int) -> UnlockResult:
        """Idempotent: a second unlock, the owner and unlocked prompts cost nothing."""
        now = self.clock.now()
        with self.uow() as uow:
            work = load_work(uow, work_id, user_id)
            uow.wallets.lock_many([user_id, work.creator_id])  # serializes double taps before the check
            unlocked = uow.reactions.has("unlock", user_id, work_id)
            if work.prompt_visible_to(user_id, unlocked):
                return UnlockResult(work.prompt, Credits(0), Coins(0), unlocked)
            refuse_for_minors(age_of(uow, user_id, self.policy.business_day(now)), "购买提示词")
            uow.reactions.add("unlock", user_id, work_id, now)
            share = pay_creator(uow, self.policy, user_id, work, work.prompt_price, LedgerType.PROMPT_UNLOCK_SPEND,
                                LedgerType.PROMPT_INCOME, "解锁提示词", now, LedgerRef("work", work_id),
                                f"unlock:{work_id}:{user_id}")
            uow.commit()
        return UnlockResult(work.prompt, work.prompt_price, share, False)

    def prompt(self, viewer_id: int | None, work_id: int) -> tuple[bool, str | None, Credits]:
        """(locked for this viewer, the prompt if visible, price)."""
        with self.uow(read_only=True) as uow:
            work = load_work(uow, work_id, viewer_id)
            unlocked = viewer_id is not None and uow.reactions.has("unlock", viewer_id, work_id)
        visible = work.prompt_visible_to(viewer_id, unlocked)
        return not visible, work.prompt if visible else None, work.prompt_price
