"""The monthly card as the user sees it, and its daily claim."""
from __future__ import annotations

import attrs

from ..economy import card_claim_cost
from ..errors import NotAllowed
from ..model.ledger import LedgerRef, LedgerType
from ..model.subscription import Subscription
from ..money import Credits
from ..policy import Policy
from ..ports import Clock, UnitOfWorkFactory
from . import wallet_ops
from .fulfilment import card_of


@attrs.frozen
class CardView:
    card: Subscription
    days_remaining: int
    today_claimed: bool


@attrs.define
class Subscriptions:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def active(self, user_id: int) -> CardView | None:
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            card = uow.subscriptions.for_user(user_id)
        if card is None or not card.is_active(now):
            return None
        return CardView(card, card.days_remaining(now), card.claimed_on(self.policy.business_day(now)))

    def claim_daily(self, user_id: int) -> tuple[Credits, Credits]:
        """One claim per business day (Asia/Shanghai) while the card is active, at most as many as the running
        card period has days. The period's row says how many credits; each claim carries its share of the
        card's price as cost. Returns (claimed, new balance)."""
        now = self.clock.now()
        day = self.policy.business_day(now)
        with self.uow() as uow:
            wallet_ops.locked_wallet(uow, user_id)  # wallets first, like every money move (a card purchase too)
            card = card_of(uow, user_id, lock=True)  # the lock makes two taps on the same day claim once
            card.claim(day, now, self.policy.next_business_day_start(now))
            period = uow.subscriptions.period_at(user_id, now)
            if period is None or period.claims_left <= 0:
                raise NotAllowed("本期月卡的每日领取次数已用完")
            cost = card_claim_cost(period.price, period.days, period.claims, period.cost_claimed)
            period.claims, period.cost_claimed = period.claims + 1, period.cost_claimed + cost
            uow.subscriptions.save(card)
            uow.subscriptions.save_period(period)
            entry = wallet_ops.grant_credits(uow, user_id, period.daily_credits, LedgerType.SUBSCRIPTION_CLAIM,
                                             "月卡每日领取", now, LedgerRef("card_period", period.id),
                                             f"subscription:{card.id}:{day}", cost)
            uow.commit()
        return period.daily_credits, entry.balance_after
