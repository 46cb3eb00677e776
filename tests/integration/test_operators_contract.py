"""Operators' accounts, sessions, the audit log and the console's read model behave the same on the in-memory fakes,
SQLite and PostgreSQL; the audit table refuses changes; failed logins are counted atomically."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.errors import OperatorLoginFailed
from skyriff_domain.model.audit import AuditFilter
from skyriff_domain.model.operator import Operator
from skyriff_domain.model.payment import PaymentStatus
from skyriff_domain.money import Coins, Credits
from skyriff_domain.policy import ConsolePolicy, Policy
from skyriff_domain.ports import PaymentQuery
from skyriff_domain.queries.dashboard import Dashboard
from skyriff_domain.queries.people import find_users
from skyriff_domain.services.catalog import Catalog
from tests.support.concurrency import errors_of, run_together
from tests.support.fakes import Fakes
from tests.support.usecases import console_auth, operators, pay, wallets
from tests.unit.conftest import user_maker

PASSWORD = "correct horse battery"
ADMIN = Operator("alice", 1, "admin", "10.1.2.3")


@pytest.fixture
def fakes(backend):
    f = Fakes(uow=backend.uow, policy=Policy(console=ConsolePolicy(totp_required=False)))
    Catalog(f.uow).seed()
    return f


def test_accounts_sessions_and_the_log_round_trip(fakes):
    added = operators(fakes).add("sue", "support", PASSWORD, totp=True, actor=ADMIN)
    with fakes.uow() as uow:
        account = uow.operators.by_name_for_update("sue")
        assert account == added.account and account.totp_token.startswith("plain:")
        assert [a.name for a in uow.operators.all()] == ["sue"]
    login = console_auth(fakes).login("sue", PASSWORD, __import__("pyotp").TOTP(added.totp.secret).at(
        fakes.clock.now().timestamp()), ip="10.9.9.9")
    resumed = console_auth(fakes).resume(login.token)
    assert resumed.session == login.session and resumed.actor == Operator("sue", account.id, "support", "10.9.9.9")
    with fakes.uow() as uow:
        entries = uow.audit.search(AuditFilter(), None, 10)
    assert [(e.action, e.operator_name, e.object_id) for e in entries] == [
        ("console.login", "sue", "sue"), ("operator.add", "alice", "sue")]
    assert entries[1].after == {"role": "support", "totp": True} and entries[1].ip == "10.1.2.3"


def test_the_audit_search_filters_and_pages(fakes):
    for name in ("a1", "b2", "c3"):
        operators(fakes).add(name, "support", PASSWORD, actor=ADMIN)
    operators(fakes).set_disabled("b2", True, actor=ADMIN, reason="离职")
    with fakes.uow() as uow:
        assert [e.object_id for e in uow.audit.search(AuditFilter(action="operator.add"), None, 2)] == ["c3", "b2"]
        newest = uow.audit.search(AuditFilter(), None, 1)[0]
        assert newest.action == "operator.disable" and newest.reason == "离职"
        assert [e.object_id for e in uow.audit.search(AuditFilter(action="operator.add"), newest.id - 1, 5)] == [
            "b2", "a1"]
        assert uow.audit.search(AuditFilter(object_type="operator", object_id="b2"), None, 5)[0].before == {
            "disabled": False}
        later = fakes.clock.now() + timedelta(seconds=1)
        assert uow.audit.search(AuditFilter(since=later), None, 5) == []


def test_sessions_purge_and_end_per_operator(fakes):
    operators(fakes).add("sue", "support", PASSWORD)
    tokens = [console_auth(fakes).login("sue", PASSWORD).token for _ in range(2)]
    fakes.clock.advance(minutes=31)
    assert console_auth(fakes).purge() == 2
    assert all(console_auth(fakes).resume(t) is None for t in tokens)


def test_the_read_model_finds_users_and_payments_and_sums_a_day(fakes):
    make = user_maker(fakes)
    alice, bob = make("Alice小天"), make("bob")
    payment_id = pay(fakes, alice, "credits_30")
    wallets(fakes).adjust(bob, "补偿", Credits(50), actor=ADMIN)
    wallets(fakes).adjust(alice, "扣回", Credits(-10), Coins(0), actor=ADMIN)
    with fakes.uow() as uow:
        assert [u.id for u in find_users(uow, "alice")] == [alice]
        assert [u.id for u in find_users(uow, "13800000002")] == [bob]
        assert find_users(uow, "1380000000") == []  # never a part of a number
        assert [u.id for u in find_users(uow, str(bob))] == [bob]
        found = uow.console.payments(PaymentQuery(user_id=alice, status=PaymentStatus.PAID), None, 10)
        assert [p.id for p in found] == [payment_id]
        assert uow.console.payments(PaymentQuery(out_trade_no="nope"), None, 10) == []
        assert [e.outcome for e in uow.payment_events.for_payment(payment_id)] == ["settled"]
    today = Dashboard(fakes.uow, fakes.clock, fakes.policy).view().today
    assert (today.new_users, today.paying_users, str(today.gmv)) == (2, 1, "30.00")
    assert (today.credits_sold, today.credits_granted, today.credits_spent) == (600, 50, 0)


def test_wallet_adjustment_and_its_audit_entry_commit_together(fakes):
    user = user_maker(fakes)("bob")
    with pytest.raises(Exception):
        wallets(fakes).adjust(user, "扣回", Credits(-10), actor=ADMIN)  # nothing to take: refused
    with fakes.uow() as uow:
        assert uow.audit.search(AuditFilter(action="wallet.adjust"), None, 5) == []
    wallets(fakes).adjust(user, "补偿", Credits(10), actor=ADMIN)
    with fakes.uow() as uow:
        entry = uow.audit.search(AuditFilter(action="wallet.adjust"), None, 5)[0]
    assert (entry.before["credits"], entry.after["credits"], entry.reason) == (0, 10, "补偿")


def test_the_audit_table_refuses_updates_and_deletes(sql_engine):
    f = Fakes(uow=SqlUnitOfWorkFactory(sql_engine))
    operators(f).add("sue", "support", PASSWORD, actor=ADMIN)
    for statement in ("UPDATE audit_log SET reason = 'edited'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"):
            with sql_engine.begin() as conn:
                conn.execute(text(statement))
    with sql_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), max(reason) FROM audit_log")).one() == (1, "")


@pytest.mark.postgres
def test_parallel_wrong_passwords_are_all_counted(pg_engine):
    """Ten guesses at once on PostgreSQL: the row lock serialises them, so the fifth locks the account and
    none is lost (a lost update would leave the count below five and the account open)."""
    f = Fakes(uow=SqlUnitOfWorkFactory(pg_engine), policy=Policy(console=ConsolePolicy(totp_required=False)))
    operators(f).add("sue", "support", PASSWORD)
    outcomes = run_together([lambda: console_auth(f).login("sue", "wrong password!") for _ in range(10)])
    assert all(isinstance(e, OperatorLoginFailed) for e in errors_of(outcomes)) and len(errors_of(outcomes)) == 10
    with f.uow() as uow:
        account = uow.operators.by_name_for_update("sue")
        failures = uow.audit.search(AuditFilter(action="console.login_failed"), None, 20)
    assert account.is_locked(f.clock.now())
    assert sorted(e.reason for e in failures).count("wrong_password; locked") == 1
    assert sum(e.reason.startswith("wrong_password") for e in failures) == 5  # then: "locked", uncounted


def test_credits_a_code_delivers_count_as_granted_not_sold(fakes):
    """A promoter activation bought is sold credits; the same product from a redemption code is a grant."""
    from tests.support.usecases import redemption_batches, redemptions

    make = user_maker(fakes)
    buyer, lucky = make("买家"), make("幸运儿")
    pay(fakes, buyer, "promoter_activation")
    made = redemption_batches(fakes).generate("活动", 1, ADMIN, product_sku="promoter_activation")
    redemptions(fakes).redeem(lucky, made.codes[0])
    today = Dashboard(fakes.uow, fakes.clock, fakes.policy).view().today
    assert (today.credits_sold, today.credits_granted) == (600, 600)
