"""Use cases that only read open read-only units of work: on SQLite those start a deferred BEGIN instead of
taking the global write lock, on PostgreSQL they skip the transaction (see adapters/sqlalchemy/engine.py)."""
from __future__ import annotations

import pytest

from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.works import Listing
from tests.support.usecases import (
    assets,
    creation,
    finished_video,
    home,
    pay,
    payments,
    projects,
    referrals,
    subscriptions,
    tipping,
    wallets,
    withdrawals,
    works,
)

pytestmark = pytest.mark.usefixtures("catalog")


class RecordingFactory:
    """Opens units of work on the real fake database and remembers whether each was read-only."""

    def __init__(self, inner) -> None:
        self.inner, self.opened = inner, []

    def __call__(self, read_only: bool = False, snapshot: bool = False):
        self.opened.append(read_only or snapshot)  # a snapshot is read-only too
        return self.inner(read_only=read_only, snapshot=snapshot)


READS = {
    "Creation.page": lambda f, s: creation(f).page(s["user"], None, None, 20),
    "Assets.videos": lambda f, s: assets(f).videos(s["user"], None, None, 20),
    "Assets.drafts": lambda f, s: assets(f).drafts(s["user"], None, 20),
    "Projects.list": lambda f, s: projects(f).list(s["user"]),
    "Home.me": lambda f, s: home(f).me(s["user"]),
    "Home.tip_ranking": lambda f, s: home(f).tip_ranking(10),
    "Subscriptions.active": lambda f, s: subscriptions(f).active(s["user"]),
    "Referrals.promoter": lambda f, s: referrals(f).promoter(s["user"]),
    "Payments.get": lambda f, s: payments(f).get(s["user"], s["payment"]),
    "Withdrawals.page": lambda f, s: withdrawals(f).page(s["user"], None, 20),
    "Withdrawals.queue": lambda f, s: withdrawals(f).queue(),
    "Catalog.list": lambda f, s: Catalog(f.uow).list(),
    "Tipping.prompt": lambda f, s: tipping(f).prompt(s["user"], s["work"]),
    "LedgerAudit.verify": lambda f, s: LedgerAudit(f.uow).verify(),
    "Works.feed": lambda f, s: works(f).feed("discover", s["user"], None, 20),
}


@pytest.fixture
def scene(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(100), LedgerType.RECHARGE, "充值")
    work = works(fakes).publish(uid, Listing(finished_video(fakes, uid), "作品", is_prompt_locked=True,
                                             prompt_price=5))
    return {"user": uid, "work": work.id, "payment": pay(fakes, uid, "monthly_card")}


@pytest.mark.parametrize("name", READS)
def test_pure_reads_open_only_read_only_units_of_work(fakes, scene, name):
    recording = RecordingFactory(fakes.uow)
    fakes.uow = recording
    READS[name](fakes, scene)
    assert recording.opened and all(recording.opened), f"{name} opened a writing unit of work: {recording.opened}"
