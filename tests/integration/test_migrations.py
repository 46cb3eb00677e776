"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from adapters.sqlalchemy.migrate import current_revision, upgrade
from adapters.sqlalchemy.models import Base


def test_migrated_schema_matches_the_models(sql_engine):
    with sql_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(sql_engine):
    head = current_revision(sql_engine)
    upgrade(sql_engine)
    assert current_revision(sql_engine) == head is not None
