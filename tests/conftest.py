"""Fixtures shared by every test: database engines for SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from tests.support.databases import create_database, drop_database, migrated_engine, postgres_or_skip, truncate_all


@pytest.fixture(scope="session")
def postgres_url():
    """A migrated, throw-away PostgreSQL database for this test session."""
    server = postgres_or_skip()
    url = create_database(server)
    engine = migrated_engine(url)
    engine.dispose()
    yield url
    drop_database(server, url)


@pytest.fixture(scope="session")
def _pg_engine(postgres_url):
    from adapters.sqlalchemy.engine import make_engine

    engine = make_engine(postgres_url, pool_size=40)
    yield engine
    engine.dispose()


def assert_ledger_clean(request, engine) -> None:
    """`skyriff ledger verify` after every test that used a real database: balances = ledger sums."""
    if request.node.get_closest_marker("ledger_tampered"):
        return
    from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
    from skyriff_domain.services.ledger_audit import LedgerAudit

    problems = LedgerAudit(SqlUnitOfWorkFactory(engine)).verify()
    assert problems == [], f"ledger verify found differences: {[str(p) for p in problems]}"


@pytest.fixture
def pg_engine(_pg_engine, request):
    """The session's PostgreSQL engine, checked with `ledger verify` and emptied after the test."""
    yield _pg_engine
    try:
        assert_ledger_clean(request, _pg_engine)
    finally:
        truncate_all(_pg_engine)


@pytest.fixture
def sqlite_engine(tmp_path, request):
    engine = migrated_engine(f"sqlite:///{tmp_path / 'skyriff.sqlite3'}")
    yield engine
    assert_ledger_clean(request, engine)
    engine.dispose()
