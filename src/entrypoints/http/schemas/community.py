"""Schemas of 七、作品, 八、收藏, 十一、任务中心, 十四、排行榜 and 十五、我的主页."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import AigcNotice, Body, Data, Id, Money, PageQuery, Query, Timestamp
from .moderation import ReviewStatusName
from .users import UserBrief, UserCard


class PublishBody(Body):
    video_id: Id
    title: str = Field(min_length=1, max_length=50)
    description: str = Field("", max_length=500)
    is_prompt_locked: bool = False
    prompt_price_credits: int = Field(0, ge=0, le=1000)
    remix_fee_credits: int = Field(0, ge=0, le=1000)


class Published(Data):
    work_id: int
    share_link: str
    created_at: Timestamp
    review_status: ReviewStatusName = Field(description="reviewing：内容需人工复核，通过后才在 Feed 中展示")


class FeedQuery(PageQuery):
    tab: Literal["discover", "hot", "rank"] = "discover"


class FeedItem(Data):
    work_id: int
    creator: UserBrief
    title: str
    cover_url: str
    watermarked_play_url: str
    like_count: int
    favorite_count: int
    tip_count: int
    share_count: int
    views: int
    has_prompt_locked: bool
    prompt_price_credits: int
    remix_fee_credits: int
    is_liked: bool
    is_favorited: bool
    created_at: Timestamp
    aigc: AigcNotice


class WorkDetailData(FeedItem):
    creator: UserCard  # with the bio
    description: str
    is_prompt_unlocked: bool
    share_link: str
    created_at: Timestamp
    review_status: ReviewStatusName = Field(
        description="passed 已上线；reviewing 审核中、taken_down 已下架（仅作者本人可见）")
    review_reason: str | None = Field(description="下架原因（仅作者本人可见）")


class LikeData(Data):
    is_liked: bool
    like_count: int


class FavoriteData(Data):
    is_favorited: bool
    favorite_count: int


class ShareData(Data):
    share_count: int
    share_link: str


class TipBody(Body):
    amount_credits: int = Field(description="仅允许 10 / 20 / 50 / 100")


class TipData(Data):
    tipped: bool
    favorited: bool
    cost_credits: int
    creator_coins_pending: Money
    already_favorited: bool


class UnlockData(Data):
    prompt_text: str
    cost_credits: int
    creator_coins_pending: Money | None = None


class PromptData(Data):
    locked: bool
    prompt_text: str | None = None
    price_credits: int | None = None


class RemixBody(Body):
    prompt_delta: str = Field("", max_length=500)
    duration_sec: Literal[10, 15, 25]
    ratio: Literal["9:16", "16:9", "1:1"]
    model: Literal["sora2", "sora2Pro"]
    project_id: Id | None = None


class RemixData(Data):
    task_id: int
    remix_fee: int
    gen_cost: int
    total_cost: int
    original_creator_coins_pending: Money


class FavoriteItem(Data):
    work_id: int
    title: str
    cover_url: str
    watermarked_play_url: str
    creator: UserBrief
    like_count: int
    favorited_at: Timestamp
    aigc: AigcNotice


class DailyTaskItem(Data):
    task_key: Literal["login_daily", "gen_success", "like_work"]
    title: str
    description: str
    reward_credits: int
    status: Literal["pending", "completed", "claimed"]
    can_claim: bool


class TodayData(Data):
    tasks: list[DailyTaskItem]


class ClaimBody(Body):
    task_key: str = Field(min_length=1, max_length=32)


class ClaimData(Data):
    credits_claimed: int
    new_balance: int


class RankingQuery(Query):
    limit: int = Field(10, ge=1, le=100)


class RankedCreatorData(Data):
    rank: int
    user_id: int
    nickname: str
    avatar_url: str | None
    total_tipped_credits: int
    followers_count: int


class RankingData(Data):
    items: list[RankedCreatorData]


class HomeStats(Data):
    likes_received_count: int
    followers_count: int


class HomeWallets(Data):
    credits_balance: int
    coins_available: Money
    coins_pending: Money


class HomeSubscription(Data):
    is_active: bool
    can_claim_today: bool
    days_remaining: int


class HomeTabs(Data):
    published_count: int
    liked_count: int
    favorite_count: int


class HomeData(Data):
    user: UserCard
    stats: HomeStats
    wallets: HomeWallets
    subscription: HomeSubscription
    tabs_count: HomeTabs


class MyWorksQuery(PageQuery):
    status: Literal["published", "draft"] = "published"


class MyWorkItem(Data):
    work_id: int | None = Field(description="草稿（未发布的视频）为 null")
    video_id: int
    title: str
    cover_url: str
    like_count: int
    created_at: Timestamp
    review_status: ReviewStatusName | None = Field(None, description="已发布作品的审核状态；草稿为 null")
    review_reason: str | None = Field(None, description="下架原因")
