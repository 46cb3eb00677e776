"""Backends for contract tests: the same test runs against the in-memory fakes, SQLite and PostgreSQL, and a
module that sets `ALSO_ON_REDIS = True` runs on the Redis stores too (codes, states, rate limits; the unit of
work, idempotency records and leases stay in memory there, as Redis has no adapter for them)."""
from __future__ import annotations

import attrs
import pytest

from adapters.memory.stores import (
    MemoryIdempotencyStore,
    MemoryLeases,
    MemoryOAuthStates,
    MemoryRateLimiter,
    MemorySmsCodes,
)
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.redis_stores import RedisOAuthStates, RedisRateLimiter, RedisSmsCodes
from adapters.sqlalchemy.stores import SqlIdempotencyStore, SqlLeases, SqlOAuthStates, SqlRateLimiter, SqlSmsCodes
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from tests.support.redis import delete_prefix, redis_or_skip, unique_prefix

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_generate_tests(metafunc):
    """Parametrize `backend` here rather than in the fixture: only the opted-in modules get "redis"."""
    if "backend" in metafunc.fixturenames:
        on_redis = getattr(metafunc.module, "ALSO_ON_REDIS", False)
        redis = [pytest.param("redis", marks=pytest.mark.redis)] if on_redis else []
        metafunc.parametrize("backend", [*BACKENDS, *redis], indirect=True)


@attrs.frozen
class Backend:
    name: str
    uow: object
    codes: object
    states: object
    limiter: object
    idempotency: object
    leases: object


def _sql(name, engine) -> Backend:
    return Backend(name, SqlUnitOfWorkFactory(engine), SqlSmsCodes(engine), SqlOAuthStates(engine),
                   SqlRateLimiter(engine), SqlIdempotencyStore(engine), SqlLeases(engine))


@pytest.fixture
def backend(request) -> Backend:
    if request.param == "memory":
        return Backend("memory", MemoryUnitOfWorkFactory(), MemorySmsCodes(), MemoryOAuthStates(),
                       MemoryRateLimiter(), MemoryIdempotencyStore(), MemoryLeases())
    if request.param == "redis":
        client, prefix = request.getfixturevalue("redis_keys")
        return Backend("redis", MemoryUnitOfWorkFactory(), RedisSmsCodes(client, prefix),
                       RedisOAuthStates(client, prefix), RedisRateLimiter(client, prefix), MemoryIdempotencyStore(),
                       MemoryLeases())
    engine = request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")
    return _sql(request.param, engine)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_engine(request):
    return request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_engine")


@pytest.fixture(scope="session")
def redis_client():
    client = redis_or_skip()
    yield client
    client.close()


@pytest.fixture
def redis_keys(redis_client):
    """(client, prefix): a key prefix of this test's own on the shared server, its keys deleted afterwards."""
    prefix = unique_prefix()
    yield redis_client, prefix
    delete_prefix(redis_client, prefix)
