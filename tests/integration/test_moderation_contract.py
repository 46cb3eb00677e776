"""Moderation's repositories behave the same on the in-memory fakes, SQLite and PostgreSQL: the feed shows passed
works only, cases, reports, appeals and sanctions keep their unique rules, and the page generation is shared."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from adapters.shared_page_cache import MemoryGenerations, RedisGenerations
from adapters.sqlalchemy.generations import SqlGenerations
from skyriff_domain.model.moderation import CaseKind, CaseStatus, ModerationCase, Operator, ReviewStatus
from skyriff_domain.model.report import Appeal, Report, ReportReason, ReportStatus
from skyriff_domain.model.sanction import Sanction, SanctionKind
from skyriff_domain.ports import DuplicateEntry
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.works import Listing
from tests.support.concurrency import race_all
from tests.support.fakes import Fakes
from tests.support.usecases import appeals, finished_video, moderation, pay, reports, works
from tests.unit.conftest import user_maker

OPERATOR = Operator("alice")


@pytest.fixture
def world(backend):
    fakes = Fakes(uow=backend.uow)
    Catalog(fakes.uow).seed()
    make = user_maker(fakes)
    creator = make("创作者")
    pay(fakes, creator, "credits_6")
    return fakes, creator, [make(f"粉丝{i}") for i in range(3)]


def publish(fakes, creator, title):
    return works(fakes).publish(creator, Listing(finished_video(fakes, creator), title))


def ids(entries):
    return [e.work.id for e in entries]


def test_only_passed_works_are_in_the_feed_and_in_other_peoples_lists(world):
    fakes, creator, fans = world
    live = publish(fakes, creator, "正常")
    reviewing = publish(fakes, creator, "[review] 待审")
    down = publish(fakes, creator, "下架")
    for work in (live, down):
        works(fakes).favorite(fans[0], work.id)
        works(fakes).like(fans[0], work.id)
    moderation(fakes).take_down_work(down.id, OPERATOR, "违规")
    with fakes.uow() as uow:
        for tab in ("discover", "hot", "rank"):
            assert ids(uow.works.feed(tab, fans[0], None, 10)) == [live.id], tab
        assert ids(uow.works.by_creator(creator, fans[0], None, 10)) == [live.id]
        assert ids(uow.works.by_creator(creator, None, None, 10)) == [live.id]
        assert ids(uow.works.by_creator(creator, creator, None, 10)) == [down.id, reviewing.id, live.id]
        assert ids(uow.works.favorites_of(fans[0], None, 10)) == [live.id]
        stored = uow.works.get(down.id)
        assert (stored.review_status, stored.review_note) == (ReviewStatus.TAKEN_DOWN, "违规")
        assert uow.works.entry(reviewing.id, None).work.review_status is ReviewStatus.REVIEWING


def test_the_creators_own_favorites_keep_their_hidden_works(world):
    fakes, creator, fans = world
    work = publish(fakes, creator, "[review] 自己收藏")
    works(fakes).favorite(creator, work.id)
    with fakes.uow() as uow:
        assert ids(uow.works.favorites_of(creator, None, 10)) == [work.id]


def test_reports_group_into_one_case_and_are_resolved_with_it(world):
    fakes, creator, fans = world
    work = publish(fakes, creator, "作品")
    reports(fakes).report(fans[0], work.id, "porn", "细节")
    reports(fakes).report(fans[1], work.id, "porn")
    reports(fakes).report(fans[2], work.id, "copyright")
    [item] = moderation(fakes).queue()
    assert item.reports == {"porn": 2, "copyright": 1}
    fakes.clock.advance(minutes=1)
    moderation(fakes).take_down(item.case.id, Operator("bob", 5), "色情")
    with fakes.uow() as uow:
        case = uow.cases.get(item.case.id)
        assert (case.status, case.decided_by, case.operator_id, case.decided_at, case.labels) == (
            CaseStatus.TAKEN_DOWN, "bob", 5, fakes.clock.now(), ())
        mine = uow.reports.page_for_user(fans[0], None, 10)
        assert [(r.status, r.detail, r.resolved_at, r.reason) for r in mine] == [
            (ReportStatus.UPHELD, "细节", fakes.clock.now(), ReportReason.PORN)]
        assert uow.reports.open_reasons([case.id]) == {}
        assert uow.reports.count_since(fans[0], fakes.clock.now() - timedelta(hours=1)) == 1
    lodged = appeals(fakes).appeal(creator, work.id, "请复核")
    appeals(fakes).grant(lodged.appeal.id, OPERATOR, "复核通过")
    with fakes.uow() as uow:
        assert uow.works.get(work.id).review_status is ReviewStatus.PASSED
        appeal = uow.appeals.for_case(case.id)
        assert (appeal.decided_by, appeal.decision_reason, appeal.status.value) == ("alice", "复核通过", "granted")


def test_the_unique_rules_hold_and_leave_the_transaction_usable(world):
    fakes, creator, fans = world
    work = publish(fakes, creator, "作品")
    now = fakes.clock.now()
    with fakes.uow() as uow:
        case = uow.cases.add(ModerationCase(CaseKind.REPORT, creator, now, work_id=work.id, video_id=work.video_id))
        with pytest.raises(DuplicateEntry):
            uow.cases.add(ModerationCase(CaseKind.LISTING, creator, now, work_id=work.id))
        uow.reports.add(Report(work.id, fans[0], ReportReason.FRAUD, "", now, case.id))
        with pytest.raises(DuplicateEntry):
            uow.reports.add(Report(work.id, fans[0], ReportReason.PORN, "", now, case.id))
        uow.reports.add(Report(work.id, fans[1], ReportReason.PORN, "", now, case.id))  # still usable
        case.decide(CaseStatus.TAKEN_DOWN, OPERATOR, "违规", now)
        uow.cases.save(case)
        uow.appeals.add(Appeal(work.id, creator, case.id, "请复核", now))
        with pytest.raises(DuplicateEntry):
            uow.appeals.add(Appeal(work.id, creator, case.id, "再次", now))
        assert uow.reports.resolve_open(work.id, ReportStatus.UPHELD, now) == 2
        again = uow.cases.add(ModerationCase(CaseKind.REPORT, creator, now, work_id=work.id))  # decided: a new one
        uow.reports.add(Report(work.id, fans[0], ReportReason.PORN, "", now, again.id))  # the old one is closed
        uow.commit()
    with fakes.uow() as uow:
        assert uow.cases.open_for_work(work.id).id == again.id
        assert uow.cases.latest_for_work(work.id, CaseStatus.TAKEN_DOWN).id == case.id


def test_cases_are_found_by_content_and_queued_oldest_first(world):
    fakes, creator, fans = world
    work = publish(fakes, creator, "作品")
    now = fakes.clock.now()
    with fakes.uow() as uow:
        task_id = uow.videos.get(work.video_id).task_id
        late = uow.cases.add(ModerationCase(CaseKind.OUTPUT, creator, now, task_id=task_id, video_id=work.video_id,
                                            labels=("Porn", "色情"), reference="req-1", excerpt="提示词"))
        early = uow.cases.add(ModerationCase(CaseKind.PROMPT, creator, now - timedelta(hours=1), task_id=task_id))
        other = uow.cases.add(ModerationCase(CaseKind.LISTING, creator, now - timedelta(hours=2), work_id=work.id))
        other.decide(CaseStatus.PASSED, OPERATOR, "", now)
        uow.cases.save(other)
        uow.commit()
    with fakes.uow() as uow:
        assert [c.id for c in uow.cases.queue(10)] == [early.id, late.id]
        assert [c.id for c in uow.cases.for_content(task_id, None)] == [late.id, early.id]
        assert [c.id for c in uow.cases.for_content(None, work.video_id)] == [late.id]
        got = uow.cases.get_for_update(late.id)
        assert (got.labels, got.reference, got.excerpt, got.opened_at) == (("Porn", "色情"), "req-1", "提示词", now)


def test_the_running_suspension_is_the_latest_end(world):
    fakes, creator, fans = world
    now = fakes.clock.now()
    with fakes.uow() as uow:
        assert uow.sanctions.suspended_until(creator, now) is None
        uow.sanctions.add(Sanction(creator, SanctionKind.WARNING, "警告", now, "bob"))
        uow.sanctions.add(Sanction(creator, SanctionKind.SUSPENSION, "短", now, "bob", until=now + timedelta(days=1)))
        uow.sanctions.add(Sanction(creator, SanctionKind.SUSPENSION, "长", now, "bob", 4, now + timedelta(days=7)))
        uow.commit()
    with fakes.uow() as uow:
        assert uow.sanctions.suspended_until(creator, now) == now + timedelta(days=7)
        assert uow.sanctions.suspended_until(creator, now + timedelta(days=7)) is None
        assert [s.operator_id for s in uow.sanctions.for_user(creator)] == [None, None, 4]


def test_the_page_generation_is_shared(backend, request):
    if backend.name == "memory":
        generations = [MemoryGenerations()] * 2
    else:
        engine = request.getfixturevalue("sqlite_engine" if backend.name == "sqlite" else "pg_engine")
        generations = [SqlGenerations(engine), SqlGenerations(engine)]  # two processes' views of one database
    api, cli = generations
    assert api.read("feed") == 0
    assert cli.bump("feed") == 1 and cli.bump("feed") == 2
    assert api.read("feed") == 2 and api.read("other") == 0


@pytest.mark.redis
def test_the_page_generation_is_shared_on_redis(redis_keys):
    client, prefix = redis_keys
    api, cli = RedisGenerations(client, prefix), RedisGenerations(client, prefix)
    assert api.read("feed") == 0
    assert cli.bump("feed") == 1 and api.read("feed") == 1


@pytest.mark.redis
def test_a_generation_reader_whose_connection_died_reads_again(redis_keys):
    """The reader holds a connection per thread; when Redis drops it, the next read still answers."""
    client, prefix = redis_keys
    api = RedisGenerations(client, prefix)
    assert api.read("feed") == 0
    held = api._held.conn
    held.send_command("CLIENT", "ID")
    client.client_kill_filter(_id=held.read_response())  # Redis closes the reader's connection
    RedisGenerations(client, prefix).bump("feed")
    assert api.read("feed") == 1
    assert api.read("feed") == 1  # and the next reads go on


def _generic_plan(conn, statement: str, params: dict) -> str:
    """EXPLAIN of the plan PostgreSQL caches for a prepared statement once it stops replanning per call (psycopg
    prepares statements it sees often): a plan made without the parameters' values."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    conn.exec_driver_sql("PREPARE feed_page AS " + re.sub(r"%\((\w+)\)s", number, statement).replace("%%", "%"))
    literal = lambda v: str(v) if isinstance(v, (int, float)) else "'" + str(v).replace("'", "''") + "'"  # noqa: E731
    args = ", ".join(literal(params[n]) for n in names)
    plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN EXECUTE feed_page({args})" if args
                                                              else "EXPLAIN EXECUTE feed_page"))
    conn.exec_driver_sql("DEALLOCATE feed_page")
    return plan


@pytest.mark.postgres
def test_the_feed_reads_the_partial_indexes_on_postgres_even_in_a_generic_plan(pg_engine):
    """The feed's predicate is inlined, not bound: a cached generic plan cannot prove `review_status = $1`
    implies the partial index's predicate, and would scan instead."""
    from adapters.sqlalchemy.repositories.community import SqlWorks

    statements = []
    with pg_engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # an empty table would be scanned otherwise
        conn.execute(text("SET plan_cache_mode = force_generic_plan"))

        @event.listens_for(conn, "before_cursor_execute")
        def capture(conn_, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))

        for tab in ("discover", "hot", "rank"):
            SqlWorks(conn).feed(tab, None, None, 20)
        event.remove(conn, "before_cursor_execute", capture)
        plans = [_generic_plan(conn, sql, params) for sql, params in statements]
        conn.rollback()
    for plan, index in zip(plans, ("ix_works_discover_passed", "ix_works_hot_passed", "ix_works_rank_passed")):
        assert index in plan, plan


@pytest.mark.postgres
def test_first_reports_racing_on_postgres_join_one_case(pg_engine):
    from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory

    fakes = Fakes(uow=SqlUnitOfWorkFactory(pg_engine))
    Catalog(fakes.uow).seed()
    make = user_maker(fakes)
    creator = make("创作者")
    pay(fakes, creator, "credits_6")
    work = publish(fakes, creator, "作品")
    fans = [make(f"粉丝{i}") for i in range(8)]
    results = race_all([lambda fan=fan: reports(fakes).report(fan, work.id, "porn") for fan in fans])
    assert all(not isinstance(r, BaseException) for r in results), results
    [item] = moderation(fakes).queue()
    assert item.reports == {"porn": 8}
    again = race_all([lambda: reports(fakes).report(fans[0], work.id, "fraud") for _ in range(4)])
    assert {r.report.id for r in again} == {results[0].report.id}
