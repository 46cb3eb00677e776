"""Operator actions on users."""
from __future__ import annotations

import attrs

from ..errors import NotFound
from ..ports import UnitOfWorkFactory


@attrs.define
class UserAdmin:
    uow: UnitOfWorkFactory

    def set_banned(self, user_id: int, banned: bool) -> None:
        """A banned user's tokens stop working at once (1004) and they cannot log in again."""
        with self.uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("用户不存在")
            user.is_banned = banned
            uow.users.save(user)
            uow.commit()
