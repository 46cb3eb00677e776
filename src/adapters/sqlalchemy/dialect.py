"""The little that differs between SQLite and PostgreSQL: upserts."""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


def insert_for(executor: Connection | Session, table: Table):
    """An INSERT that supports `on_conflict_do_*` on the connection's (or session's) backend."""
    name = (executor.dialect if isinstance(executor, Connection) else executor.get_bind().dialect).name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)
