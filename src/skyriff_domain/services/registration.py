"""Finding or creating the user behind a login identity; a new user always gets an empty wallet."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

import attrs

from ..errors import UserBanned
from ..model.user import Identity, User
from ..model.wallet import Wallet
from ..ports import IdentityTaken, UnitOfWork, UnitOfWorkFactory


@attrs.frozen
class NewUser:
    """What a first login knows about the person."""

    nickname: str
    phone: str | None = None
    avatar_url: str | None = None


@attrs.frozen
class LoginResult:
    token: str
    user: User
    is_new_user: bool


def register(uow: UnitOfWork, new: NewUser, identities: list[Identity], now: datetime) -> User:
    """Create a user with its wallet and identities (raises IdentityTaken if one is already in use)."""
    user = uow.users.add(User(nickname=new.nickname, phone=new.phone, avatar_url=new.avatar_url, created_at=now))
    assert user.id is not None
    uow.wallets.add(Wallet(user_id=user.id))
    for identity in identities:
        uow.users.add_identity(user.id, identity, now)
    return user


def find_or_register(uow_factory: UnitOfWorkFactory, lookup: list[Identity], new: Callable[[], NewUser],
                     now: datetime, link: list[Identity] | None = None) -> tuple[User, bool]:
    """The user owning the first identity of `lookup` that exists, else a new one with all of them.

    `link` lists identities to attach to an existing user when missing (e.g. a WeChat unionid that
    appears after an openid-only login). A concurrent first login of the same person loses the race on
    the identity's unique key; the loser retries and finds the winner's user.
    """
    for attempt in range(2):
        with uow_factory() as uow:
            user = next((u for u in map(uow.users.find_by_identity, lookup) if u is not None), None)
            if user is not None:
                if user.is_banned:
                    raise UserBanned()
                _link_missing(uow, user, link or [], now)
                uow.commit()
                return user, False
            try:
                user = register(uow, new(), link or lookup, now)
                uow.commit()
                return user, True
            except IdentityTaken:
                if attempt:
                    raise
    raise AssertionError("unreachable")


def _link_missing(uow: UnitOfWork, user: User, identities: list[Identity], now: datetime) -> None:
    assert user.id is not None
    for identity in identities:
        if uow.users.find_by_identity(identity) is None:
            uow.users.add_identity(user.id, identity, now)
