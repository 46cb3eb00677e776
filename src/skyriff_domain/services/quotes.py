"""Prices before anything is charged: what a generation, a remix or a clean download would cost a user, and how
credits spent on a creator would be shared. Read-only; the charging use cases apply the same rules."""
from __future__ import annotations

import attrs

from ..economy import cny_for_coins, cost_of_spending, creator_share
from ..errors import InsufficientCredits, InvalidRequest, NotFound
from ..money import Cny, Coins, Credits
from ..policy import Policy
from ..ports import UnitOfWorkFactory
from .lookups import owned
from .providers import ProviderRouter
from .works import load_work


@attrs.frozen
class GenerationQuote:
    """What `Creation.create_task` would charge for this generation, and how long it usually takes."""

    model: str
    duration_sec: int
    ratio: str
    credits: Credits
    estimated_seconds: int


@attrs.frozen
class RemixQuote:
    """What `Remixes.remix` would charge: the creator's fee (none on your own work) plus the generation."""

    work_id: int
    fee: Credits
    generation: Credits

    @property
    def total(self) -> Credits:
        return self.fee + self.generation


@attrs.frozen
class SpendSplit:
    """How `credits` spent by a fan on a creator (a tip, an unlock, a remix fee) would be shared now: the CNY
    cost those credits take from the fan's wallet, the creator's pending coins (90% of that cost, rounded
    down) and what the platform keeps (the rest). Free credits carry no cost, so they earn nothing."""

    credits: Credits
    cost: Cny
    creator_coins: Coins
    platform: Cny


@attrs.define
class Quotes:
    uow: UnitOfWorkFactory
    policy: Policy
    router: ProviderRouter

    def generation(self, model: str, duration_sec: int, ratio: str) -> GenerationQuote:
        """The price of a generation (the policy's credits per second × seconds). Refuses (2000, naming the
        field) what no configured provider can make, exactly as creating the task would."""
        self.router.check_servable(model, duration_sec, ratio)
        return GenerationQuote(model, duration_sec, ratio, self.policy.pricing.generation_cost(model, duration_sec),
                               self.policy.generation.estimated_seconds.get(model, 0))

    def remix(self, user_id: int, work_id: int, model: str, duration_sec: int, ratio: str) -> RemixQuote:
        """The price of remixing a work the user can see (else 2007): its remix fee unless it is their own,
        plus the generation (2000 for what cannot be made)."""
        generation = self.generation(model, duration_sec, ratio).credits
        with self.uow(read_only=True) as uow:
            work = load_work(uow, work_id, user_id)
        return RemixQuote(work_id, Credits(0) if work.creator_id == user_id else work.remix_fee, generation)

    def clean_download(self, user_id: int, video_id: int) -> Credits:
        """What the watermark-free download of one of the user's videos would cost now: the policy's price
        the first time, nothing once paid (2007 unknown video, 2002 someone else's)."""
        with self.uow(read_only=True) as uow:
            video = owned(uow.videos.get(video_id), user_id, "视频不存在", "只能下载自己的视频")
        return Credits(0) if video.clean_download_paid else self.policy.pricing.download_no_watermark

    def spend_split(self, user_id: int, credits: Credits) -> SpendSplit:
        """How `credits` from this user's wallet would be shared if spent on a creator now (2001 when the
        wallet holds fewer, 2007 without a wallet)."""
        if not credits.is_positive:
            raise InvalidRequest("credits", "需大于0")
        with self.uow(read_only=True) as uow:
            wallet = uow.wallets.get(user_id)
        if wallet is None:
            raise NotFound("钱包不存在")
        if wallet.credits < credits:
            raise InsufficientCredits(data={"current_balance": wallet.credits.minor, "required": credits.minor})
        cost = cost_of_spending(wallet.credits, wallet.credits_cost, credits)
        coins = creator_share(cost, self.policy.revenue.creator_share)
        return SpendSplit(credits, cost, coins, cost - cny_for_coins(coins))
