"""The monthly card as the user sees it, and its daily claim."""
from __future__ import annotations

import attrs

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
        """One claim per business day (Asia/Shanghai) while the card is active. Returns (claimed, new balance)."""
        now = self.clock.now()
        day = self.policy.business_day(now)
        amount = self.policy.subscription.monthly_daily_credits
        with self.uow() as uow:
            card = card_of(uow, user_id, lock=True)  # the lock makes two taps on the same day claim once
            card.claim(day, now, self.policy.next_business_day_start(now))
            uow.subscriptions.save(card)
            entry = wallet_ops.grant_credits(uow, user_id, amount, LedgerType.SUBSCRIPTION_CLAIM, "月卡每日领取", now,
                                             LedgerRef("subscription", card.id), f"subscription:{card.id}:{day}")
            uow.commit()
        return amount, entry.balance_after
