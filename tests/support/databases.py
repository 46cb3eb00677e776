"""Test databases: a fresh SQLite file per test, and one throw-away PostgreSQL database per test session."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import upgrade
from adapters.sqlalchemy.models import Base

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("SKYRIFF_TEST_POSTGRES_URL", DEFAULT_PG)
REQUIRE_PG = os.environ.get("SKYRIFF_TEST_REQUIRE_POSTGRES") == "1"


def postgres_or_skip() -> str:
    """The server URL, after checking it answers; skip (or fail, when CI makes Postgres mandatory)."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 10})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no usable Postgres here"
        reason = f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string(hide_password=True)}: {exc}"
        if REQUIRE_PG:
            pytest.fail(f"{reason} (SKYRIFF_TEST_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    return PG_URL


def create_database(server_url: str) -> str:
    name = f"skyriff_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def migrated_engine(url: str):
    engine = make_engine(url)
    upgrade(engine)
    return engine


def truncate_all(engine) -> None:
    """Empty every table between tests (much faster than re-creating the database)."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
