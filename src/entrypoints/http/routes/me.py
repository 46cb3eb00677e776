"""八、收藏 (my favorites), 十一、任务中心, 十四、排行榜, 十五、我的主页."""
from __future__ import annotations

from skyriff_domain.model.task_center import TITLES

from .. import presenters
from ..api import Api, Auth, Call
from ..envelope import iso
from ..pagination import decode_cursor, encode_cursor, page
from ..schemas.common import Page, PageQuery
from ..schemas.community import (
    ClaimBody,
    ClaimData,
    FavoriteItem,
    HomeData,
    MyWorkItem,
    MyWorksQuery,
    RankingData,
    RankingQuery,
    TodayData,
)

api = Api("me", tag="我的")


@api.route("GET", "/me/favorites", summary="我的收藏", query=PageQuery, response=Page[FavoriteItem],
           auth=Auth.REQUIRED, errors=(2000,))
def favorites(call: Call):
    before = decode_cursor(call.query.cursor, int)
    entries, more = call.services.works().favorites(call.user_id, before, call.query.limit)
    url = call.services.storage().public_url
    items = [{"work_id": e.work.id, "title": e.work.title, "cover_url": url(e.work.cover_key),
              "watermarked_play_url": url(e.work.play_key), "creator": presenters.creator(e),
              "like_count": e.work.engagement.like_count, "favorited_at": iso(e.favorited_at),
              "aigc": presenters.aigc_notice()} for e in entries]
    return page(items, more, encode_cursor(entries[-1].favorite_id) if entries else None)


@api.route("GET", "/tasks_center/today", summary="今日任务", response=TodayData, auth=Auth.REQUIRED)
def today(call: Call):
    center = call.services.task_center()
    return {"tasks": [{"task_key": s.key.value, "title": TITLES[s.key][0], "description": TITLES[s.key][1],
                       "reward_credits": center.reward(s.key).minor, "status": s.status.value,
                       "can_claim": s.can_claim} for s in center.today(call.user_id)]}


@api.route("POST", "/tasks_center/claim", summary="领取任务奖励", body=ClaimBody, response=ClaimData,
           auth=Auth.REQUIRED, throttle="money", message="领取成功", errors=(2003, 2008))
def claim(call: Call):
    claimed, balance = call.services.task_center().claim(call.user_id, call.body.task_key)
    return {"credits_claimed": claimed.minor, "new_balance": balance.minor}


@api.route("GET", "/rankings/creators/tips", summary="创作者打赏排行", query=RankingQuery, response=RankingData,
           auth=Auth.OPTIONAL, errors=(2000,))
def tip_ranking(call: Call):
    return {"items": [{"rank": r.rank, "user_id": r.user_id, "nickname": r.nickname, "avatar_url": r.avatar_url,
                       "total_tipped_credits": r.total_tipped_credits, "followers_count": r.followers_count}
                      for r in call.services.home().tip_ranking(call.query.limit)]}


@api.route("GET", "/me/home", summary="我的主页数据", response=HomeData, auth=Auth.REQUIRED)
def my_home(call: Call):
    v = call.services.home().me(call.user_id)
    card = v.card
    return {"user": presenters.user_card(v.user),
            "stats": {"likes_received_count": v.stats.likes_received_count, "followers_count": v.stats.followers_count},
            "wallets": {"credits_balance": v.credits.minor, "coins_available": v.coins_available.to_decimal(),
                        "coins_pending": v.coins_pending.to_decimal()},
            "subscription": {"is_active": card is not None, "can_claim_today": bool(card and not card.today_claimed),
                             "days_remaining": card.days_remaining if card else 0},
            "tabs_count": {"published_count": v.stats.works_count, "liked_count": v.liked_count,
                           "favorite_count": v.favorite_count}}


@api.route("GET", "/me/works", summary="我的作品列表", query=MyWorksQuery, response=Page[MyWorkItem],
           auth=Auth.REQUIRED, errors=(2000,), description="status=draft 列出尚未发布的视频（work_id 为 null）。")
def my_works(call: Call):
    q = call.query
    before = decode_cursor(q.cursor, int)
    before_id = before[0] if before else None
    url = call.services.storage().public_url
    if q.status == "draft":
        videos, more = call.services.assets().drafts(call.user_id, before_id, q.limit)
        items = [{"work_id": None, "video_id": v.id, "title": "", "cover_url": url(v.cover_key), "like_count": 0,
                  "created_at": iso(v.created_at)} for v in videos]
        return page(items, more, encode_cursor(videos[-1].id) if videos else None)
    entries, more = call.services.works().by_creator(call.user_id, call.user_id, before_id, q.limit)
    items = [{"work_id": e.work.id, "video_id": e.work.video_id, "title": e.work.title, "cover_url": url(e.work.cover_key),
              "like_count": e.work.engagement.like_count, "created_at": iso(e.work.created_at),
              **presenters.review(e.work)} for e in entries]
    return page(items, more, encode_cursor(entries[-1].work.id) if entries else None)
