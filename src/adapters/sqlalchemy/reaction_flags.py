"""A viewer's like/favorite flags on a page of works: the one read every logged-in feed request makes.

On PostgreSQL it is one prepared statement on a pooled connection in autocommit — no transaction, no statement
compilation — which costs about a third of the same query through a unit of work. Elsewhere (SQLite) the
repository's query serves. Either way it reads the rows themselves, so a like shows on the very next request.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from skyriff_domain.ports import ReactionFlags, UnitOfWorkFactory

FLAGS_SQL = ("SELECT kind, work_id FROM work_reactions "
             "WHERE kind IN ('like', 'favorite') AND user_id = %s AND work_id = ANY(%s)")


class SqlReactionFlags(ReactionFlags):
    def __init__(self, engine: Engine, uow: UnitOfWorkFactory) -> None:
        self._engine = engine
        self._uow = uow
        self._postgres = engine.dialect.name == "postgresql"
        if self._postgres:
            import psycopg  # only PostgreSQL deployments have the driver

            self._dead: type[Exception] = psycopg.OperationalError

    def flags(self, user_id: int, work_ids: list[int]) -> tuple[set[int], set[int]]:
        if not work_ids:
            return set(), set()
        if not self._postgres:
            with self._uow(read_only=True) as uow:
                return uow.reactions.flags(user_id, work_ids)
        liked: set[int] = set()
        favorited: set[int] = set()
        for kind, work_id in self._rows(user_id, work_ids):
            (liked if kind == "like" else favorited).add(work_id)
        return liked, favorited

    def _rows(self, user_id: int, work_ids: list[int]) -> list[tuple[str, int]]:
        pooled = self._engine.raw_connection()
        try:
            connection: Any = pooled.driver_connection  # a psycopg.Connection
            connection.autocommit = True  # one statement: no BEGIN / COMMIT round trips
            try:
                return connection.execute(FLAGS_SQL, (user_id, work_ids), prepare=True).fetchall()
            finally:
                connection.autocommit = False  # as the pool hands connections out
        except self._dead:
            pooled.invalidate()  # a dead connection goes, not back to the pool
            raise
        finally:
            pooled.close()
