"""Backends for contract tests: the same test runs against the in-memory fakes, SQLite and PostgreSQL."""
from __future__ import annotations

import attrs
import pytest

from adapters.memory.stores import MemoryIdempotencyStore, MemoryOAuthStates, MemoryRateLimiter, MemorySmsCodes
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.sqlalchemy.stores import SqlIdempotencyStore, SqlOAuthStates, SqlRateLimiter, SqlSmsCodes
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory


@attrs.frozen
class Backend:
    name: str
    uow: object
    codes: object
    states: object
    limiter: object
    idempotency: object


def _sql(name, engine) -> Backend:
    return Backend(name, SqlUnitOfWorkFactory(engine), SqlSmsCodes(engine), SqlOAuthStates(engine),
                   SqlRateLimiter(engine), SqlIdempotencyStore(engine))


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> Backend:
    if request.param == "memory":
        return Backend("memory", MemoryUnitOfWorkFactory(), MemorySmsCodes(), MemoryOAuthStates(),
                       MemoryRateLimiter(), MemoryIdempotencyStore())
    engine = request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")
    return _sql(request.param, engine)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_engine(request):
    return request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_engine")
