"""三、用户模块: me, profile, public profiles, works lists, follows."""
from __future__ import annotations

from skyriff_domain.errors import InvalidRequest

from .. import presenters
from ..api import Api, Auth, Call
from ..pagination import decode_cursor, encode_cursor, page
from ..schemas.common import Page, PageQuery
from ..schemas.users import FollowData, MeData, ProfileUpdateBody, ProfileUpdateData, PublicProfileData, WorkCard

api = Api("users", tag="用户")


@api.route("GET", "/me", summary="获取当前用户信息", response=MeData, auth=Auth.REQUIRED)
def me(call: Call):
    return presenters.me(call.user)


@api.route("PATCH", "/me/profile", summary="更新个人资料", body=ProfileUpdateBody, response=ProfileUpdateData,
           auth=Auth.REQUIRED, message="更新成功", errors=(2000, 2002, 2007, 2009),
           description="只修改请求中出现的字段；avatar_asset_id 为 null 时清除头像。昵称、简介与头像经内容审核，违规 2009。")
def update_profile(call: Call):
    given = {name: getattr(call.body, name) for name in call.body.model_fields_set}
    if given.get("nickname", "") is None:
        raise InvalidRequest("nickname", "不能为 null")
    user = call.services.profiles().update(call.user_id, **given)
    return presenters.user_card(user)


@api.route("GET", "/users/<int:user_id>/profile", summary="获取用户主页", response=PublicProfileData,
           auth=Auth.OPTIONAL, errors=(2007,))
def profile(call: Call):
    view = call.services.profiles().public(call.path["user_id"], call.viewer_id)
    s = view.stats
    return {"user": presenters.user_card(view.user), "is_following": view.is_following,
            "stats": {"likes_received_count": s.likes_received_count, "followers_count": s.followers_count,
                      "following_count": s.following_count, "works_count": s.works_count}}


@api.route("GET", "/users/<int:user_id>/works", summary="获取用户作品列表", query=PageQuery,
           response=Page[WorkCard], auth=Auth.OPTIONAL, errors=(2000, 2007))
def works(call: Call):
    before = decode_cursor(call.query.cursor, int)
    entries, more = call.services.works().by_creator(call.path["user_id"], call.viewer_id,
                                                     before[0] if before else None, call.query.limit)
    url = call.services.storage().public_url
    return page([presenters.work_card(e, url) for e in entries], more,
                encode_cursor(entries[-1].work.id) if entries else None)


@api.route("POST", "/users/<int:user_id>/follow", summary="关注用户", response=FollowData, auth=Auth.REQUIRED,
           message="关注成功", errors=(2007, 2008))
def follow(call: Call):
    return {"is_following": call.services.following().follow(call.user_id, call.path["user_id"])}


@api.route("POST", "/users/<int:user_id>/unfollow", summary="取消关注", response=FollowData, auth=Auth.REQUIRED,
           message="已取消关注", errors=(2007,))
def unfollow(call: Call):
    return {"is_following": call.services.following().unfollow(call.user_id, call.path["user_id"])}
