from __future__ import annotations

import pytest

from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.services.registration import NewUser, register
from tests.support.fakes import Fakes


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def catalog(fakes):
    """The default catalogue, seeded."""
    from skyriff_domain.services.catalog import Catalog

    Catalog(fakes.uow).seed()


@pytest.fixture
def make_user(fakes):
    """Create a user (with its wallet) directly; returns its id."""
    return user_maker(fakes)


def user_maker(fakes):
    counter = iter(range(13800000001, 13899999999))

    def make(nickname: str = "tester") -> int:
        phone = str(next(counter))
        with fakes.uow() as uow:
            user = register(uow, NewUser(nickname, phone), [Identity(IdentityKind.PHONE, phone)], fakes.clock.now())
            uow.commit()
        return user.id

    return make
