"""Profiles and follows: what a user shows of themselves and whom they follow."""
from __future__ import annotations

import attrs

from ..errors import NotAllowed, NotFound
from ..model.user import User, UserStats
from ..ports import Clock, UnitOfWorkFactory
from .lookups import owned

UNSET = object()


@attrs.frozen
class PublicProfile:
    user: User
    stats: UserStats
    is_following: bool


@attrs.define
class Profiles:
    uow: UnitOfWorkFactory
    clock: Clock

    def get(self, user_id: int) -> User:
        with self.uow(read_only=True) as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise NotFound("用户不存在")
        return user

    def public(self, user_id: int, viewer_id: int | None) -> PublicProfile:
        with self.uow(read_only=True) as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("用户不存在")
            following = viewer_id is not None and uow.follows.is_following(viewer_id, user_id)
            return PublicProfile(user, uow.users.stats(user_id), following)

    def update(self, user_id: int, nickname: object = UNSET, bio: object = UNSET,
               avatar_asset_id: object = UNSET) -> User:
        """Change what was given; the avatar must be an image the user uploaded."""
        with self.uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("用户不存在")
            if nickname is not UNSET:
                user.rename(str(nickname))
            if bio is not UNSET:
                user.describe(str(bio or ""))
            if avatar_asset_id is not UNSET:
                self._set_avatar(uow, user, avatar_asset_id)
            uow.users.save(user)
            uow.commit()
        return user

    @staticmethod
    def _set_avatar(uow, user: User, asset_id: object) -> None:
        if asset_id is None:
            user.avatar_asset_id, user.avatar_url = None, None
            return
        image = uow.assets.get_image(int(asset_id))  # type: ignore[arg-type]
        asset = owned(image, user.id, "图片不存在", "只能使用自己上传的图片")
        user.avatar_asset_id, user.avatar_url = asset.id, asset.url


@attrs.define
class Following:
    uow: UnitOfWorkFactory
    clock: Clock

    def follow(self, follower_id: int, followee_id: int) -> bool:
        """Idempotent; returns True (now following)."""
        if follower_id == followee_id:
            raise NotAllowed("不能关注自己")
        with self.uow() as uow:
            if uow.users.get(followee_id) is None:
                raise NotFound("用户不存在")
            uow.follows.follow(follower_id, followee_id, self.clock.now())
            uow.commit()
        return True

    def unfollow(self, follower_id: int, followee_id: int) -> bool:
        """Idempotent; returns False (no longer following)."""
        with self.uow() as uow:
            if uow.users.get(followee_id) is None:
                raise NotFound("用户不存在")
            uow.follows.unfollow(follower_id, followee_id)
            uow.commit()
        return False
