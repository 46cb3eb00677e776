"""One payment, the same notification 20 times from 8 threads: fulfilled exactly once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.ledger import Account
from skyriff_domain.model.payment import PaymentStatus
from skyriff_domain.money import Coins, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.integration.test_commerce_contract import World
from tests.support.usecases import sandbox_notice


def notify_concurrently(world: World, payment_id: int, amount: str, times: int = 20, threads: int = 8) -> None:
    headers, body = sandbox_notice(payment_id, amount)
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda _: world.payments.handle_notification("sandbox", headers, body), range(times)))


@pytest.mark.postgres
def test_20_notifications_from_8_threads_fulfil_once_on_postgres(pg_engine):
    world = World(SqlUnitOfWorkFactory(pg_engine))
    pid = world.user()
    world.pay(pid, "promoter_activation")
    invitee = world.user()
    world.referrals.bind(invitee, world.referrals.promoter(pid).referral_code)
    with world.uow() as uow:
        product = uow.products.get_by_sku("credits_30")
    created = world.payments.create(invitee, product.id, "sandbox")

    notify_concurrently(world, created.payment.id, "30.00")

    assert world.payments.get(invitee, created.payment.id).status is PaymentStatus.PAID
    assert world.wallets.overview(invitee).credits == Credits(50 + 600)
    assert world.wallets.overview(pid).coins_pending == Coins.of("3.00")  # one commission, not twenty
    with world.uow() as uow:
        recharges = [e for e in uow.ledger.page(invitee, (Account.CREDITS,), None, 100) if e.type.value == "recharge"]
    assert len(recharges) == 1
    assert LedgerAudit(world.uow).verify() == []


def test_repeated_notifications_fulfil_once_on_sqlite(sqlite_engine):
    world = World(SqlUnitOfWorkFactory(sqlite_engine))
    uid = world.user()
    with world.uow() as uow:
        product = uow.products.get_by_sku("credits_6")
    created = world.payments.create(uid, product.id, "sandbox")
    notify_concurrently(world, created.payment.id, "6.00", times=10, threads=4)
    assert world.wallets.overview(uid).credits == Credits(120)
