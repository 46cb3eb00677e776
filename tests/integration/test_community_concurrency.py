"""Concurrent likes, unlikes and tips on PostgreSQL: counters equal the rows, balances are exact."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.errors import InsufficientCredits
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Coins, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.works import Listing
from tests.support.concurrency import errors_of, run_together, values_of
from tests.support.fakes import Fakes
from tests.support.usecases import buy_pack, finished_video, tipping, wallets, works
from tests.unit.conftest import user_maker

pytestmark = pytest.mark.postgres


@pytest.fixture
def world(pg_engine):
    fakes = Fakes(uow=SqlUnitOfWorkFactory(pg_engine))
    make = user_maker(fakes)
    creator = make("创作者")
    wallets(fakes).grant_credits(creator, Credits(10), LedgerType.RECHARGE, "充值")
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))
    fans = [make(f"粉丝{i}") for i in range(12)]
    return fakes, pg_engine, creator, work, fans


def run_all(jobs, threads=12):
    """Every job's outcome; the threads start together at a barrier and share the jobs between them."""
    return run_together(jobs, threads)


def test_concurrent_likes_and_unlikes_keep_counts_equal_to_rows(world):
    fakes, engine, creator, work, fans = world
    service = works(fakes)
    rng = random.Random(7)
    jobs = []
    for fan in fans:
        for _ in range(4):
            action = service.like if rng.random() < 0.6 else service.unlike
            jobs.append(lambda a=action, f=fan: a(f, work.id))
    rng.shuffle(jobs)
    outcomes = run_all(jobs)
    assert errors_of(outcomes) == []  # liking twice or unliking what is not liked is fine, never an error
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM work_reactions WHERE kind='like' AND work_id=:w"),
                            {"w": work.id}).scalar_one()
        counter = conn.execute(text("SELECT like_count FROM works WHERE id=:w"), {"w": work.id}).scalar_one()
        received = conn.execute(text("SELECT likes_received_count FROM users WHERE id=:u"), {"u": creator}).scalar_one()
    assert counter == rows == received


def test_concurrent_tips_are_exact(world):
    fakes, engine, creator, work, fans = world
    for fan in fans:
        buy_pack(fakes, fan, "5.00", credits=100)  # 0.05 a credit, like the 30.00 pack

    outcomes = run_all([lambda f=fan: tipping(fakes).tip(f, work.id, 50) for fan in fans for _ in range(3)])
    assert len(values_of(outcomes)) == len(fans) * 2  # 100 credits: exactly two tips of 50 each...
    refused = errors_of(outcomes)  # ...and the third refused for want of credits, with what was missing
    assert len(refused) == len(fans) and all(isinstance(e, InsufficientCredits) for e in refused), refused
    assert {(e.data["current_balance"], e.data["required"]) for e in refused} == {(0, 50)}
    for fan in fans:
        assert wallets(fakes).overview(fan).credits == Credits(0)
    # each tip of 50 credits carries 2.50 of cost: the creator earns 90% of it
    assert wallets(fakes).overview(creator).coins_pending == Coins(225 * 2 * len(fans))
    entry = works(fakes).detail(work.id, None).entry.work.engagement
    assert (entry.tip_count, entry.tip_total, entry.favorite_count) == (2 * len(fans), Credits(100 * len(fans)),
                                                                        len(fans))
    assert LedgerAudit(fakes.uow).verify() == []


def test_tips_in_both_directions_do_not_deadlock(world):
    fakes, engine, creator, work, fans = world
    a, b = fans[0], fans[1]
    work_b = works(fakes).publish(b, Listing(finished_video_for(fakes, b), "B的作品"))
    for uid in (a, b, creator):
        buy_pack(fakes, uid, "1000.00", credits=1000)  # 1.00 a credit: each tip of 10 earns 9.00
    # creator tips B while B tips the creator: the two wallets are locked in id order either way
    jobs = [lambda: tipping(fakes).tip(creator, work_b.id, 10), lambda: tipping(fakes).tip(b, work.id, 10)] * 10
    outcomes = run_all(jobs, threads=8)
    assert errors_of(outcomes) == []  # no deadlock victim, no other failure: all 20 tips went through
    assert [r.cost for r in values_of(outcomes)] == [Credits(10)] * 20
    for uid in (creator, b):  # each paid 10 tips of 10 and earned 10 tips' 90 %, still pending
        view = wallets(fakes).overview(uid)
        assert (view.credits, view.coins_pending, view.coins_available) == (Credits(900), Coins(10 * 900), Coins(0))
    assert wallets(fakes).overview(a).credits == Credits(1000)
    for tipped in (work, work_b):
        engagement = works(fakes).detail(tipped.id, None).entry.work.engagement
        assert (engagement.tip_count, engagement.tip_total) == (10, Credits(100))
    assert LedgerAudit(fakes.uow).verify() == []


def finished_video_for(fakes, user_id):
    wallets(fakes).grant_credits(user_id, Credits(10), LedgerType.RECHARGE, "充值")
    return finished_video(fakes, user_id)
