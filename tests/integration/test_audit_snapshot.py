"""`ledger verify` reads one snapshot: money moving while it runs (every 5 minutes in production) never makes
it report a difference that is not there. On PostgreSQL its reads share one REPEATABLE READ transaction;
read one after another, a grant committed between them looked like a wallet without its ledger entry."""
from __future__ import annotations

import threading

import pytest

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.fakes import Fakes
from tests.support.usecases import wallets
from tests.unit.conftest import user_maker

pytestmark = pytest.mark.postgres


def test_verify_while_money_moves_finds_nothing(pg_engine):
    fakes = Fakes(uow=SqlUnitOfWorkFactory(pg_engine))
    make = user_maker(fakes)
    users = [make() for _ in range(4)]
    stop = threading.Event()
    grants = []

    def grant(user_id):
        while not stop.is_set():
            wallets(fakes).grant_credits(user_id, Credits(1), LedgerType.TASK_REWARD, "奖励")
            grants.append(user_id)

    movers = [threading.Thread(target=grant, args=(u,)) for u in users]
    for t in movers:
        t.start()
    try:
        reports = [LedgerAudit(fakes.uow).verify() for _ in range(30)]
    finally:
        stop.set()
        for t in movers:
            t.join()
    assert len(grants) > 30, "money did not move while the audit ran"
    assert reports == [[]] * 30
