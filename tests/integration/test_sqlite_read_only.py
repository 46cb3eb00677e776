"""On SQLite a read-only unit of work must not take the global write lock: writers begin with BEGIN IMMEDIATE,
pure reads with a deferred BEGIN, so a page view never queues behind (or fails on) a write transaction."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from adapters.clock import FixedClock
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.services.registration import NewUser, register


@pytest.fixture
def impatient(sqlite_engine):
    """A second engine on the same file whose connections give up at once instead of waiting for a lock,
    so "would wait for the write lock" shows as an error rather than as time passing."""
    engine = make_engine(str(sqlite_engine.url))

    @event.listens_for(engine, "connect")
    def _no_waiting(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    yield SqlUnitOfWorkFactory(engine)
    engine.dispose()


def make_user(factory) -> int:
    with factory() as uow:
        user = register(uow, NewUser("u", "13800138000"), [Identity(IdentityKind.PHONE, "13800138000")],
                        FixedClock().now())
        uow.commit()
    return user.id


def test_a_read_completes_while_another_connection_holds_a_write_transaction(sqlite_engine, impatient):
    uid = make_user(SqlUnitOfWorkFactory(sqlite_engine))
    with SqlUnitOfWorkFactory(sqlite_engine)() as writer:
        writer.users.bump(uid, works_count=1)  # BEGIN IMMEDIATE and a write: the write lock is held
        with impatient(read_only=True) as reader:
            user = reader.users.get(uid)
            assert user is not None and reader.users.stats(uid).works_count == 0  # the last committed state
        with pytest.raises(OperationalError, match="locked"):  # while a writer would have to wait
            with impatient() as other_writer:
                other_writer.users.get(uid)
        writer.rollback()


def test_read_only_units_start_a_deferred_transaction(sqlite_engine):
    """Seen from SQLite itself: with a reader open, a raw BEGIN IMMEDIATE from elsewhere still succeeds."""
    uid = make_user(SqlUnitOfWorkFactory(sqlite_engine))
    with SqlUnitOfWorkFactory(sqlite_engine)(read_only=True) as reader:
        assert reader.users.get(uid) is not None
        raw = sqlite3.connect(sqlite_engine.url.database, timeout=0, isolation_level=None)
        try:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("ROLLBACK")
        finally:
            raw.close()
