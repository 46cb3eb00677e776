from __future__ import annotations

import pytest

from tests.support.http import make_client


@pytest.fixture
def client(sqlite_engine):
    return make_client(sqlite_engine)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_client(request):
    engine = request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")
    return make_client(engine)
