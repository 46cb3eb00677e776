"""The "me" page and the creators' tip ranking."""
from __future__ import annotations

import attrs

from ..model.user import User, UserStats
from ..money import Coins, Credits
from ..policy import Policy
from ..ports import Clock, UnitOfWorkFactory
from .subscriptions import CardView, Subscriptions
from .wallets import Wallets


@attrs.frozen
class HomeView:
    user: User
    stats: UserStats
    credits: Credits
    coins_available: Coins
    coins_pending: Coins
    card: CardView | None
    liked_count: int
    favorite_count: int


@attrs.frozen
class RankedCreator:
    rank: int
    user_id: int
    nickname: str
    avatar_url: str | None
    total_tipped_credits: int
    followers_count: int


@attrs.define
class Home:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    wallets: Wallets
    subscriptions: Subscriptions

    def me(self, user_id: int) -> HomeView:
        wallet = self.wallets.overview(user_id)
        card = self.subscriptions.active(user_id)
        with self.uow(read_only=True) as uow:
            user = uow.users.get(user_id)
            stats = uow.users.stats(user_id)
            liked, favorited = uow.works.count_liked_by(user_id), uow.works.count_favorited_by(user_id)
        return HomeView(user, stats, wallet.credits, wallet.coins_available, wallet.coins_pending, card, liked,
                        favorited)

    def tip_ranking(self, limit: int) -> list[RankedCreator]:
        with self.uow(read_only=True) as uow:
            rows = uow.rankings.creators_by_tips(limit)
        return [RankedCreator(i + 1, *row) for i, row in enumerate(rows)]
