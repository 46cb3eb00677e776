"""The use-case rules of the community, the task center, the creation pipeline, grants and quotes, re-run
unchanged on SQLite and PostgreSQL: the SQL repositories must behave exactly like the in-memory fakes."""
from __future__ import annotations

import pytest

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from tests.support.fakes import Fakes
from tests.unit.conftest import user_maker
from tests.unit.test_community import *  # noqa: F401,F403 - the same tests, collected here again
from tests.unit.test_creation import *  # noqa: F401,F403
from tests.unit.test_grants_and_quotes import *  # noqa: F401,F403
from tests.unit.test_task_center import *  # noqa: F401,F403
from tests.unit.test_task_runner import *  # noqa: F401,F403


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fakes(request) -> Fakes:
    engine = request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")
    return Fakes(uow=SqlUnitOfWorkFactory(engine))


@pytest.fixture
def make_user(fakes):
    return user_maker(fakes)


@pytest.fixture
def catalog(fakes):
    from skyriff_domain.services.catalog import Catalog

    Catalog(fakes.uow).seed()
