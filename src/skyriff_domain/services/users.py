"""Profiles and follows: what a user shows of themselves and whom they follow."""
from __future__ import annotations

import logging

import attrs

from ..errors import NotAllowed, NotFound
from ..model.user import BIO_MAX, NICKNAME_MAX, User, UserStats
from ..ports import BlobStorage, Clock, UnitOfWorkFactory
from ..text import clean_text
from .lookups import owned
from .screening import Screen, refuse_blocked

log = logging.getLogger("skyriff.moderation")
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
    screen: Screen | None = None  # None: profiles are not moderated (unit tests of other rules)
    storage: BlobStorage | None = None  # where avatars are read from to be moderated

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
        """Change what was given; the avatar must be an image the user uploaded. A nickname, bio or avatar the
        moderator blocks is refused (2009); one it would hold is accepted (profiles have no review state)."""
        self._moderate(user_id, nickname, bio, avatar_asset_id)
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

    def _moderate(self, user_id: int, nickname: object, bio: object, avatar_asset_id: object) -> None:
        if self.screen is None:
            return
        texts = {}
        if nickname is not UNSET:
            texts["nickname"] = clean_text("nickname", str(nickname), NICKNAME_MAX, min_len=1)
        if bio is not UNSET:
            texts["bio"] = clean_text("bio", str(bio or ""), BIO_MAX, multiline=True)
        if self.screen.fields(texts).held:
            log.info("user %s: profile text accepted but flagged by moderation", user_id)
        if avatar_asset_id is UNSET or avatar_asset_id is None or self.storage is None:
            return
        with self.uow(read_only=True) as uow:
            asset = owned(uow.assets.get_image(int(avatar_asset_id)), user_id,  # type: ignore[arg-type]
                          "图片不存在", "只能使用自己上传的图片")
        try:
            data = self.storage.get(asset.storage_key) if asset.storage_key else None
        except Exception as error:  # noqa: BLE001 - a file we cannot read is one the moderator cannot see
            log.warning("avatar %s of user %s unreadable for moderation: %s", asset.id, user_id, error)
            data = None
        decision = self.screen.image(data) if data is not None else self.screen.unreadable("avatar")
        refuse_blocked(decision, "avatar_asset_id")

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
