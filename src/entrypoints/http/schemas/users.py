"""Schemas of 三、用户模块."""
from __future__ import annotations

from pydantic import Field

from .common import AigcNotice, Body, Data, Id, Timestamp


class MeData(Data):
    user_id: int
    nickname: str
    avatar_url: str | None
    bio: str
    phone: str | None = Field(description="脱敏手机号，如 138****8000")
    is_creator: bool
    is_promoter: bool
    created_at: Timestamp


class ProfileUpdateBody(Body):
    nickname: str | None = Field(None, min_length=1, max_length=20)
    avatar_asset_id: Id | None = Field(None, description="通过 /media/upload 上传的图片；null 清除头像")
    bio: str | None = Field(None, max_length=200)


class ProfileUpdateData(Data):
    user_id: int
    nickname: str
    avatar_url: str | None
    bio: str


class UserBrief(Data):
    user_id: int
    nickname: str
    avatar_url: str | None


class UserCard(UserBrief):
    bio: str


class UserStatsData(Data):
    likes_received_count: int
    followers_count: int
    following_count: int
    works_count: int


class PublicProfileData(Data):
    user: UserCard
    stats: UserStatsData
    is_following: bool


class WorkCard(Data):
    work_id: int
    title: str
    cover_url: str
    watermarked_play_url: str
    like_count: int
    favorite_count: int
    tip_count: int
    created_at: Timestamp
    aigc: AigcNotice


class FollowData(Data):
    is_following: bool
