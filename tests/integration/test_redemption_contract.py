"""Redemption codes behave the same on the in-memory fakes, SQLite and PostgreSQL: batches with their counts and
pages, codes unique by hash, redemptions latest first, card periods from a code, and the use cases end to end.
On PostgreSQL, one code redeemed by many users at once is redeemed exactly once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.errors import InvalidRedemptionCode
from skyriff_domain.model.moderation import Operator
from skyriff_domain.model.redemption import RedemptionBatch, RedemptionCode
from skyriff_domain.model.subscription import CardPeriod
from skyriff_domain.money import Cny, Credits
from skyriff_domain.ports import DuplicateEntry
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.concurrency import errors_of, run_together, values_of
from tests.support.fakes import Fakes
from tests.support.usecases import redemption_batches, redemptions, subscriptions, wallets
from tests.unit.conftest import user_maker

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def fakes(backend) -> Fakes:
    f = Fakes(uow=backend.uow)
    f.clock.at = NOW
    Catalog(f.uow).seed()
    return f


def batch(uow, label="活动", **fields) -> RedemptionBatch:
    return uow.redemptions.add_batch(RedemptionBatch(label=label, count=fields.pop("count", 3), created_by="alice",
                                                     created_at=NOW, credits=fields.pop("credits", Credits(10)),
                                                     **fields))


def test_a_batch_round_trips_with_every_field(fakes):
    with fakes.uow() as uow:
        card = uow.products.get_by_sku("monthly_card")
        stored = batch(uow, "月卡活动", credits=Credits(0), product_id=card.id, expires_at=NOW + timedelta(days=3),
                       operator_id=7)
        uow.commit()
    with fakes.uow() as uow:
        loaded = uow.redemptions.get_batch(stored.id, lock=True)
        assert loaded == stored
        loaded.disabled_at, loaded.disabled_by = NOW + timedelta(hours=1), "bob"
        uow.redemptions.save_batch(loaded)
        uow.commit()
    with fakes.uow() as uow:
        assert uow.redemptions.get_batch(stored.id) == loaded
        assert uow.redemptions.get_batch(stored.id + 1) is None


def test_batches_list_newest_first_with_redeemed_counts(fakes):
    uid = user_maker(fakes)()
    with fakes.uow() as uow:
        first, second, third = batch(uow, "一"), batch(uow, "二"), batch(uow, "三")
        uow.redemptions.add_codes([RedemptionCode(first.id, f"h{i}", "AAAA…AA") for i in range(3)]
                                  + [RedemptionCode(third.id, "h3", "BBBB…BB")])
        for code_hash in ("h0", "h2"):
            code = uow.redemptions.find_code(code_hash)
            code.redeem(uid, NOW)
            uow.redemptions.save_code(code)
        uow.commit()
    with fakes.uow(read_only=True) as uow:
        summaries = uow.redemptions.batches(None, 10)
        assert [(s.batch.id, s.redeemed) for s in summaries] == [(third.id, 0), (second.id, 0), (first.id, 2)]
        assert [s.batch.id for s in uow.redemptions.batches(third.id, 1)] == [second.id]
        assert uow.redemptions.batches(first.id, 10) == []
        assert (uow.redemptions.redeemed_count(first.id), uow.redemptions.redeemed_count(second.id)) == (2, 0)


def test_codes_are_unique_by_hash_and_a_clash_keeps_none_of_the_list(fakes):
    with fakes.uow() as uow:
        b = batch(uow)
        uow.redemptions.add_codes([RedemptionCode(b.id, "same", "AAAA…AA")])
        uow.commit()
    with fakes.uow() as uow:
        with pytest.raises(DuplicateEntry):
            uow.redemptions.add_codes([RedemptionCode(b.id, "new", "CCCC…CC"), RedemptionCode(b.id, "same", "x")])
        assert uow.redemptions.find_code("new") is None  # the transaction stays usable, the list is not kept
        uow.redemptions.add_codes([RedemptionCode(b.id, "other", "DDDD…DD")])
        uow.commit()
    with fakes.uow(read_only=True) as uow:
        found = uow.redemptions.find_code("other")
        assert (found.batch_id, found.hint, found.redeemed_by, found.redeemed_at) == (b.id, "DDDD…DD", None, None)
        assert uow.redemptions.get_code(found.id, lock=False) == found
        assert uow.redemptions.find_code("nope") is None and uow.redemptions.find_code("new") is None


def test_redemptions_page_latest_first_with_a_cursor(fakes):
    make = user_maker(fakes)
    users = [make() for _ in range(4)]
    with fakes.uow() as uow:
        b = batch(uow, count=5)
        uow.redemptions.add_codes([RedemptionCode(b.id, f"k{i}", "EEEE…EE") for i in range(5)])
        for i, uid in enumerate(users):
            code = uow.redemptions.find_code(f"k{i}")
            code.redeem(uid, NOW + timedelta(minutes=min(i, 2)))  # users 2 and 3 at the same instant
            uow.redemptions.save_code(code)
        uow.commit()
    with fakes.uow(read_only=True) as uow:
        page = uow.redemptions.redemptions(b.id, None, 2)
        assert [c.redeemed_by for c in page] == [users[3], users[2]]
        rest = uow.redemptions.redemptions(b.id, (page[-1].redeemed_at, page[-1].id), 10)
        assert [c.redeemed_by for c in rest] == [users[1], users[0]]
        assert rest[0].redeemed_at == NOW + timedelta(minutes=1)


def test_a_card_period_comes_from_a_payment_or_a_code_once(fakes):
    uid = user_maker(fakes)()
    with fakes.uow() as uow:
        b = batch(uow)
        uow.redemptions.add_codes([RedemptionCode(b.id, "card", "FFFF…FF")])
        code = uow.redemptions.find_code("card")
        period = uow.subscriptions.add_period(CardPeriod(uid, None, NOW, NOW + timedelta(days=30), 30, Credits(30),
                                                         Cny(0), redemption_code_id=code.id))
        with pytest.raises(DuplicateEntry):
            uow.subscriptions.add_period(CardPeriod(uid, None, NOW, NOW, 1, Credits(1), Cny(0),
                                                    redemption_code_id=code.id))
        uow.commit()
    with fakes.uow(read_only=True) as uow:
        assert uow.subscriptions.periods_for(uid) == [period]
        assert uow.subscriptions.period_at(uid, NOW) == period
        assert uow.subscriptions.unclaimed_cost() == Cny(0)


def test_generate_and_redeem_end_to_end(fakes):
    make = user_maker(fakes)
    alice, bob = make(), make()
    credits = redemption_batches(fakes).generate("积分", 2, Operator("alice"), credits=100)
    cards = redemption_batches(fakes).generate("月卡", 1, Operator("alice"), product_sku="monthly_card")
    assert redemptions(fakes).redeem(alice, credits.codes[0]).new_balance == Credits(100)
    redeemed = redemptions(fakes).redeem(alice, cards.codes[0])
    assert redeemed.delivery.card_end_at == NOW + timedelta(days=30)
    assert subscriptions(fakes).claim_daily(alice) == (Credits(30), Credits(130))
    with pytest.raises(InvalidRedemptionCode):
        redemptions(fakes).redeem(bob, credits.codes[0])
    redemption_batches(fakes).disable(credits.view.batch.id, Operator("bob"))
    with pytest.raises(InvalidRedemptionCode):
        redemptions(fakes).redeem(bob, credits.codes[1])
    views, _ = redemption_batches(fakes).list()
    assert [(v.batch.label, v.generated, v.redeemed, v.status.value) for v in views] == [
        ("月卡", 1, 1, "active"), ("积分", 2, 1, "disabled")]
    assert [c.redeemed_by for c in redemption_batches(fakes).redemptions(credits.view.batch.id).items] == [alice]
    assert wallets(fakes).overview(bob).credits == Credits(0)
    assert LedgerAudit(fakes.uow, fakes.policy).verify() == []


@pytest.mark.postgres
def test_one_code_redeemed_by_many_users_at_once_is_redeemed_once(pg_engine):
    fakes = Fakes(uow=SqlUnitOfWorkFactory(pg_engine))
    fakes.clock.at = NOW
    Catalog(fakes.uow).seed()
    make = user_maker(fakes)
    users = [make() for _ in range(8)]
    [code] = redemption_batches(fakes).generate("抢兑", 1, Operator("alice"), credits=100).codes
    outcomes = run_together([lambda u=u: redemptions(fakes).redeem(u, code) for u in users], engine=pg_engine)
    assert len(values_of(outcomes)) == 1
    assert all(type(e) is InvalidRedemptionCode for e in errors_of(outcomes)), errors_of(outcomes)
    assert sum(wallets(fakes).overview(u).credits.minor for u in users) == 100


@pytest.mark.postgres
def test_one_card_code_tapped_twice_by_its_user_delivers_one_card(pg_engine):
    fakes = Fakes(uow=SqlUnitOfWorkFactory(pg_engine))
    fakes.clock.at = NOW
    Catalog(fakes.uow).seed()
    uid = user_maker(fakes)()
    [code] = redemption_batches(fakes).generate("月卡", 1, Operator("alice"), product_sku="monthly_card").codes
    outcomes = run_together([lambda: redemptions(fakes).redeem(uid, code)] * 4, engine=pg_engine)
    assert len(values_of(outcomes)) == 1
    assert all(type(e) is InvalidRedemptionCode for e in errors_of(outcomes)), errors_of(outcomes)
    with fakes.uow(read_only=True) as uow:
        assert len(uow.subscriptions.periods_for(uid)) == 1


@pytest.mark.postgres
def test_redemptions_share_the_batch_and_a_disable_waits_for_them(pg_engine):
    """A redemption holds its code exclusively and its batch shared: other redemptions of the batch go on, a
    disable waits (so none commits after the disable), and so does a second redemption of the same code."""
    factory = SqlUnitOfWorkFactory(pg_engine)
    with factory() as uow:
        b = batch(uow)
        uow.redemptions.add_codes([RedemptionCode(b.id, "held", "GGGG…GG"), RedemptionCode(b.id, "free", "HHHH…HH")])
        held_id = uow.redemptions.find_code("held").id
        uow.commit()
    holder = factory()
    try:
        holder.redemptions.get_code(held_id, lock=True)
        holder.redemptions.get_batch(b.id, share=True)
        with factory() as other:
            other.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            assert other.redemptions.get_batch(b.id, share=True) is not None  # redemptions side by side
            assert other.redemptions.get_code(held_id) is not None  # plain reads are not blocked
        for attempt in (lambda u: u.redemptions.get_batch(b.id, lock=True),
                        lambda u: u.redemptions.get_code(held_id, lock=True)):
            with factory() as other:
                other.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
                with pytest.raises(OperationalError, match="lock"):
                    attempt(other)
    finally:
        holder.rollback()
        holder.close()
    with factory() as again:
        again.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
        assert again.redemptions.get_batch(b.id, lock=True) is not None
