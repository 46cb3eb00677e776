"""七、作品模块 and 八、收藏: publishing, the feed, a work, likes, favorites, shares."""
from __future__ import annotations

from skyriff_domain.services.works import Listing

from ..api import Api, Auth, Call, Reply
from ..envelope import iso
from ..detail_pages import detail_response
from ..feed_pages import feed_response
from ..pagination import decode_cursor, encode_cursor
from ..schemas.common import Page
from ..schemas.community import (
    FavoriteData,
    FeedItem,
    FeedQuery,
    LikeData,
    PublishBody,
    Published,
    ShareData,
    WorkDetailData,
)

api = Api("works", tag="作品")
CURSOR_TYPES = {"discover": (int,), "hot": (float, int), "rank": (int, int)}


def share_link(call: Call, work_id: int) -> str:
    return f"{call.services.settings().share_base_url.rstrip('/')}/works/{work_id}"


def cursor_of(tab: str, entry) -> str:
    w = entry.work
    return {"discover": lambda: encode_cursor(w.id), "hot": lambda: encode_cursor(w.hot_score, w.id),
            "rank": lambda: encode_cursor(w.engagement.tip_total.minor, w.id)}[tab]()


@api.route("POST", "/works/publish", summary="发布作品", body=PublishBody, response=Published, auth=Auth.REQUIRED,
           message="发布成功", errors=(2002, 2007, 2008, 2009),
           description="每个视频只能发布一次；锁定提示词时需设置价格。标题、描述经内容审核：违规 2009；需人工复核时作品"
                       "进入审核中（review_status=reviewing，仅作者可见）。生成内容审核中的视频、被暂停发布的用户 2008"
                       "（暂停时 data.until 为恢复时间）。")
def publish(call: Call):
    b = call.body
    work = call.services.works().publish(call.user_id, Listing(
        b.video_id, b.title, b.description, b.is_prompt_locked, b.prompt_price_credits, b.remix_fee_credits))
    data = {"work_id": work.id, "share_link": share_link(call, work.id), "created_at": iso(work.created_at),
            "review_status": work.review_status.value}
    return Reply(data, "已提交，审核通过后展示" if work.review_status.value == "reviewing" else None)


@api.route("GET", "/feed", summary="首页Feed", query=FeedQuery, response=Page[FeedItem], auth=Auth.OPTIONAL,
           errors=(2000,), description="discover 最新；hot 按热度（互动量随时间衰减，见 README）；rank 按获赏积分。")
def feed(call: Call):
    q = call.query
    after = decode_cursor(q.cursor, *CURSOR_TYPES[q.tab])
    works = call.services.works()
    shared = works.feed_page(q.tab, after, q.limit)
    flags = works.flags(call.viewer_id, shared)
    return feed_response(shared, flags.liked, flags.favorited, call.services.storage().public_url,
                         lambda entry: cursor_of(q.tab, entry))


@api.route("GET", "/works/<int:work_id>", summary="作品详情", response=WorkDetailData, auth=Auth.OPTIONAL,
           errors=(2007,), description="审核中或已下架的作品只有作者本人可见（其他人 2007），作者可见 review_status 与下架原因。")
def detail(call: Call):
    work_id = call.path["work_id"]
    shared, flags = call.services.works().shared_view(work_id, call.viewer_id)
    return detail_response(shared, flags, call.services.storage().public_url, share_link(call, work_id))


@api.route("POST", "/works/<int:work_id>/like", summary="点赞作品", response=LikeData, auth=Auth.REQUIRED,
           message="点赞成功", errors=(2007,))
def like(call: Call):
    work = call.services.works().like(call.user_id, call.path["work_id"])
    return {"is_liked": True, "like_count": work.engagement.like_count}


@api.route("POST", "/works/<int:work_id>/unlike", summary="取消点赞", response=LikeData, auth=Auth.REQUIRED,
           message="已取消点赞", errors=(2007,))
def unlike(call: Call):
    work = call.services.works().unlike(call.user_id, call.path["work_id"])
    return {"is_liked": False, "like_count": work.engagement.like_count}


@api.route("POST", "/works/<int:work_id>/favorite", summary="收藏作品", response=FavoriteData, auth=Auth.REQUIRED,
           message="收藏成功", errors=(2007,))
def favorite(call: Call):
    work = call.services.works().favorite(call.user_id, call.path["work_id"])
    return {"is_favorited": True, "favorite_count": work.engagement.favorite_count}


@api.route("DELETE", "/works/<int:work_id>/favorite", summary="取消收藏", response=FavoriteData, auth=Auth.REQUIRED,
           message="已取消收藏", errors=(2007,))
def unfavorite(call: Call):
    work = call.services.works().unfavorite(call.user_id, call.path["work_id"])
    return {"is_favorited": False, "favorite_count": work.engagement.favorite_count}


@api.route("POST", "/works/<int:work_id>/share", summary="记录一次分享", response=ShareData, auth=Auth.REQUIRED,
           errors=(2007,), description="客户端分享成功后调用，计入 share_count 与热度：每人每个作品每天计一次，"
                                       "当天重复分享仍返回成功与未变的 share_count。")
def share(call: Call):
    work = call.services.works().share(call.user_id, call.path["work_id"])
    return {"share_count": work.engagement.share_count, "share_link": share_link(call, work.id)}
