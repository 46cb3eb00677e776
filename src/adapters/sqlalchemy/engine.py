"""Engines for the embedded default (a SQLite file) and production (PostgreSQL over psycopg 3)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

READ_ONLY = "skyriff_read_only"  # execution option of read-only units of work (see `reader`)


def make_engine(url: str, pool_size: int = 10, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo)
    # No pre-ping: it costs a round trip per checkout. A connection that died with the server fails its
    # next statement once and is replaced; pool_recycle retires connections before idle timeouts do.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=300, echo=echo)


def _sqlite_engine(url: str, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every SQLite test
        # Let SQLAlchemy, not pysqlite, issue BEGIN, so that it can be BEGIN IMMEDIATE (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # pragma: no cover
        # Writers take the write lock at the start: a deferred transaction that later tries to write can
        # fail with SQLITE_BUSY instead of waiting, and SQLite has no row locks to serialize balance changes.
        # Read-only units need no lock (WAL readers see a snapshot): a deferred BEGIN never waits for writers.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def reader(engine: Engine) -> Engine:
    """The engine for read-only units of work: PostgreSQL without a transaction (autocommit: no BEGIN /
    ROLLBACK round trips), SQLite with a deferred BEGIN (no write lock, a consistent snapshot)."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{READ_ONLY: True})
    return engine
