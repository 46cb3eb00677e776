"""The shared feed pages' generation counters in the database (see adapters.shared_page_cache)."""
from __future__ import annotations

from sqlalchemy import Engine, select

from .dialect import insert_for
from .engine import reader
from .models import DbPageCacheGeneration

generations = DbPageCacheGeneration.__table__


class SqlGenerations:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reader = reader(engine)  # no transaction to begin and end for one primary-key read

    def read(self, name: str) -> int:
        with self._reader.connect() as conn:
            value = conn.execute(select(generations.c.generation).where(generations.c.name == name)).scalar()
        return int(value or 0)

    def bump(self, name: str) -> int:
        with self._engine.begin() as conn:
            stmt = (insert_for(conn, generations).values(name=name, generation=1)
                    .on_conflict_do_update(index_elements=["name"],
                                           set_={"generation": generations.c.generation + 1})
                    .returning(generations.c.generation))
            return int(conn.execute(stmt).scalar_one())
