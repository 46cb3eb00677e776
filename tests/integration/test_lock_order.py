"""Every transaction that changes two wallets locks them in id order, so opposite-direction pairs run at the
same time never deadlock — proven on PostgreSQL with the two flows that used to lock the payer first: a
promoter's commission on a payment and the reversal of a failed remix's fee, each raced against tips going
the other way."""
from __future__ import annotations

import pytest

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.money import Coins, Credits
from skyriff_domain.model.generation import TaskStatus, UpstreamJob, UpstreamState
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.referrals import Referrals
from skyriff_domain.services.works import Listing
from tests.support.concurrency import race_all
from tests.support.fakes import Fakes
from tests.support.usecases import (
    buy_pack,
    finished_video,
    pay,
    payments,
    remixes,
    runner,
    sandbox_notice,
    tipping,
    wallets,
    works,
)
from tests.unit.conftest import user_maker

pytestmark = pytest.mark.postgres


@pytest.fixture
def fakes(pg_engine) -> Fakes:
    from skyriff_domain.services.catalog import Catalog

    f = Fakes(uow=SqlUnitOfWorkFactory(pg_engine))
    Catalog(f.uow).seed()
    return f


def published(fakes, user_id, **listing) -> int:
    buy_pack(fakes, user_id, "0.50", credits=10)
    return works(fakes).publish(user_id, Listing(finished_video(fakes, user_id), "作品", **listing)).id


def test_commission_and_tips_the_other_way_do_not_deadlock(fakes):
    make = user_maker(fakes)
    promoter = make("推广员")  # the lower id: a payment by the invitee used to lock the higher one first
    invitee = make("用户")
    pay(fakes, promoter, "promoter_activation")
    with fakes.uow() as uow:
        code = uow.users.get(promoter).referral_code
    Referrals(fakes.uow, fakes.clock, fakes.policy).bind(invitee, code)
    invitee_work = published(fakes, invitee)
    with fakes.uow() as uow:
        pack = uow.products.get_by_sku("credits_6")
    orders = [payments(fakes).create(invitee, pack.id, "sandbox").payment.id for _ in range(10)]

    def settle(payment_id):
        return lambda: payments(fakes).handle_notification("sandbox", *sandbox_notice(payment_id, "6.00"))

    tip = lambda: tipping(fakes).tip(promoter, invitee_work, 10)  # noqa: E731 - locks promoter, then invitee
    outcomes = race_all([settle(p) for p in orders] + [tip] * 10)

    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    # 10% of ten 6.00 payments, and of the 0.50 pack the invitee bought to make a video
    assert wallets(fakes).overview(promoter).coins_pending == Coins.of("6.05")
    assert wallets(fakes).overview(invitee).credits == Credits(50 + 10 - 10 + 10 * 120)
    assert LedgerAudit(fakes.uow).verify() == []


def test_failed_remixes_and_tips_the_other_way_do_not_deadlock(fakes):
    make = user_maker(fakes)
    creator = make("创作者")  # the lower id: a failing remix used to lock the remixer first
    remixer = make("二创者")
    locked_work = published(fakes, creator, is_prompt_locked=True, prompt_price=5, remix_fee=2)
    remixer_work = published(fakes, remixer)
    buy_pack(fakes, remixer, "30.00", credits=600)
    buy_pack(fakes, creator, "30.00", credits=600)
    tasks = [remixes(fakes).remix(remixer, locked_work, "下雨", 10, "9:16", "sora2").task.id for _ in range(3)]
    work_runner = runner(fakes)
    work_runner.run_once()  # submitted: each now waits for its next poll
    fakes.clock.advance(seconds=30)
    fakes.provider.polls.extend(UpstreamJob("x", UpstreamState.FAILED, 0, "e", "失败") for _ in tasks)

    fail = [lambda t=t: work_runner.poll_one(t) for t in tasks]  # refund the remixer, reverse the creator's share
    tip = lambda: tipping(fakes).tip(creator, remixer_work, 10)  # noqa: E731 - locks creator, then remixer
    outcomes = race_all(fail + [tip] * 9)

    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    assert [o.status for o in outcomes[:3]] == [TaskStatus.FAILURE] * 3
    creator_view = wallets(fakes).overview(creator)
    assert creator_view.credits == Credits(600 - 90) and creator_view.coins_pending == Coins(0)  # fees reversed
    assert wallets(fakes).overview(remixer).credits == Credits(600)  # every remix refunded in full
    assert LedgerAudit(fakes.uow).verify() == []



def test_a_minors_monthly_card_order_locks_the_wallet_before_making_the_card(fakes, pg_engine):
    """The money simulation caught a deadlock: a minor's first card order made the card row, then locked the
    wallet for the monthly total, while a claim or a fulfilment locks the wallet first, then the card."""
    from datetime import date, datetime, timezone

    from sqlalchemy import event

    from tests.support.money_out import id_number
    from tests.support.usecases import verify

    fakes.clock.at = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)
    minor = user_maker(fakes)("中学生")
    verify(fakes, minor, "小明", id_number(date(2010, 1, 1)))
    with fakes.uow() as uow:
        card = uow.products.get_by_sku("monthly_card")
    seen: list[str] = []

    def remember(conn, cursor, statement, *args):
        if "FOR UPDATE" in statement and "wallets" in statement:
            seen.append("wallet locked")
        elif statement.lstrip().upper().startswith("INSERT INTO SUBSCRIPTIONS"):
            seen.append("card made")

    event.listen(pg_engine, "before_cursor_execute", remember)
    try:
        payments(fakes).create(minor, card.id, "sandbox")
    finally:
        event.remove(pg_engine, "before_cursor_execute", remember)
    assert seen[:2] == ["wallet locked", "card made"], seen
