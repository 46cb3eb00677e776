"""The monthly card: days of access, extended when bought while active, one claim per business day."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import attrs

from ..errors import AlreadyClaimed, NotAllowed
from ..money import Cny, Credits


@attrs.define
class Subscription:
    """One per user; `end_at` None until the first card is paid for."""

    user_id: int
    start_at: datetime | None = None
    end_at: datetime | None = None
    last_claim_day: date | None = None
    id: int | None = None

    def is_active(self, now: datetime) -> bool:
        return self.end_at is not None and self.end_at > now

    def extend(self, days: int, now: datetime) -> tuple[datetime, datetime]:
        """Buying while active adds the days to the end; otherwise a new period starts now. Returns the new
        period's (start, end)."""
        if self.is_active(now):
            assert self.end_at is not None
            start = self.end_at
            self.end_at += timedelta(days=days)
        else:
            start = now
            self.start_at, self.end_at = now, now + timedelta(days=days)
        return start, self.end_at

    def days_remaining(self, now: datetime) -> int:
        if not self.is_active(now):
            return 0
        assert self.end_at is not None
        return math.ceil((self.end_at - now) / timedelta(days=1))

    def fit_to(self, periods: list["CardPeriod"], now: datetime) -> None:
        """After a period was voided or restored: the card ends with its last period still standing."""
        ends = [p.ends_at for p in periods if p.voided_at is None]
        self.end_at = max(ends) if ends else min(self.end_at or now, now)

    def claimed_on(self, day: date) -> bool:
        return self.last_claim_day == day

    def claim(self, day: date, now: datetime, next_claim_at: datetime) -> None:
        """Raises NotAllowed without an active card, AlreadyClaimed (with next_claim_at) on the same day."""
        if not self.is_active(now):
            raise NotAllowed("没有生效中的月卡")
        if self.claimed_on(day):
            raise AlreadyClaimed(data={"next_claim_at": next_claim_at})
        self.last_claim_day = day


@attrs.define
class CardPeriod:
    """One card, paid for or redeemed: `days` daily claims of `daily_credits` between `starts_at` and `ends_at`,
    and the price paid for them (0 for a redeemed code), which the claims carry into the wallet as cost
    (economy.card_claim_cost). Claims never made leave their cost on the card when it ends. Exactly one of
    `payment_id` and `redemption_code_id` says where it came from."""

    user_id: int
    payment_id: int | None
    starts_at: datetime
    ends_at: datetime
    days: int
    daily_credits: Credits
    price: Cny
    claims: int = 0
    cost_claimed: Cny = Cny(0)
    voided_at: datetime | None = None  # its payment was refunded: no more claims
    redemption_code_id: int | None = None
    id: int | None = None

    def covers(self, now: datetime) -> bool:
        return self.voided_at is None and self.starts_at <= now < self.ends_at

    @property
    def claims_left(self) -> int:
        return self.days - self.claims
