"""The fast flags read answers exactly what the repository's query answers, on SQLite and PostgreSQL, and a
like shows on the very next read."""
from __future__ import annotations

from datetime import datetime, timezone

from adapters.sqlalchemy.reaction_flags import FLAGS_SQL, SqlReactionFlags
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.work import ViewerFlags
from tests.support.rows import published_work, registered_user

NOW = datetime(2026, 11, 30, tzinfo=timezone.utc)


def test_flags_match_the_rows(sql_engine):
    uow = SqlUnitOfWorkFactory(sql_engine)
    creator, fan, other = (registered_user(uow, p) for p in ("13800000001", "13800000002", "13800000003"))
    works = [published_work(uow, creator) for _ in range(4)]
    fast = SqlReactionFlags(sql_engine, uow)
    assert fast.flags(fan, works) == ViewerFlags() == fast.flags(fan, [])
    with uow() as u:
        u.reactions.add("like", fan, works[0], NOW)
        u.reactions.add("favorite", fan, works[0], NOW)
        u.reactions.add("favorite", fan, works[2], NOW)
        u.reactions.add("unlock", fan, works[3], NOW)
        u.reactions.add("like", other, works[1], NOW)  # someone else's
        u.commit()
    assert fast.flags(fan, works) == ViewerFlags(frozenset({works[0]}), frozenset({works[0], works[2]}),
                                                 frozenset({works[3]}))
    with uow(read_only=True) as u:
        assert u.reactions.flags(fan, works) == fast.flags(fan, works)
    with uow() as u:
        u.reactions.remove("like", fan, works[0])
        u.commit()
    assert fast.flags(fan, works).liked == frozenset()  # at once


def test_a_held_connection_the_server_dropped_is_replaced(pg_engine):
    """Each thread keeps its own connection for the flags read; when PostgreSQL ends it (a restart, a
    failover, an idle timeout), the next read reconnects instead of failing."""
    from sqlalchemy import text

    uow = SqlUnitOfWorkFactory(pg_engine)
    creator, fan = (registered_user(uow, p) for p in ("13800000001", "13800000002"))
    work = published_work(uow, creator)
    fast = SqlReactionFlags(pg_engine, uow)
    assert fast.flags(fan, [work]) == ViewerFlags()
    held = fast._held.connection
    with pg_engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": held.info.backend_pid})
    with uow() as u:
        u.reactions.add("like", fan, work, NOW)
        u.commit()
    assert fast.flags(fan, [work]).liked == frozenset({work})
    assert fast._held.connection is not held
    fast._drop()


def test_the_flags_read_probes_the_index_per_work_even_with_a_generic_plan(pg_engine):
    """After five runs PostgreSQL may switch a prepared statement to a generic plan, which for the plain
    `work_id = ANY(…)` form scanned every reaction the viewer ever made; the lateral form's generic plan is
    one (user, work) index probe per work of the page."""
    uow = SqlUnitOfWorkFactory(pg_engine)
    creator, fan = (registered_user(uow, p) for p in ("13800000001", "13800000002"))
    works = [published_work(uow, creator) for _ in range(3)]
    fast = SqlReactionFlags(pg_engine, uow)
    for _ in range(8):
        assert fast.flags(fan, works) == ViewerFlags()
    connection = fast._held.connection
    connection.execute("SET plan_cache_mode = force_generic_plan")
    connection.execute("SET enable_seqscan = off")  # the test's table is tiny: plan as for a large one
    try:
        numbered = FLAGS_SQL.replace("%s", "$1", 1).replace("%s", "$2", 1)
        connection.execute(f"PREPARE flags_plan (text, bigint) AS {numbered}")
        plan = "\n".join(r[0] for r in connection.execute(
            "EXPLAIN EXECUTE flags_plan ('{" + ",".join(map(str, works)) + "}', " + str(fan) + ")"))
    finally:
        connection.execute("RESET plan_cache_mode")
        connection.execute("RESET enable_seqscan")
        fast._drop()
    assert "Nested Loop" in plan and "ix_work_reactions_user_work" in plan, plan
    assert "Index Cond: ((user_id = $2) AND (work_id = p.work_id))" in plan, plan
