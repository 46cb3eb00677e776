"""Double taps on every money path, on PostgreSQL: N threads released together do the same operation; exactly
the right number succeed, the others fail with the rule's error, and the balances and ledger are exact.

Every run checks that the taps really overlapped (each one's first statement waits for all the others'), and
the pg_engine fixture runs `ledger verify` after each test.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.errors import (
    AlreadyClaimed, InsufficientCoins, InsufficientCredits, InvalidReferralCode, NotAllowed,
)
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.withdrawal import WithdrawalStatus
from skyriff_domain.money import Coins, Credits
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.works import Listing
from tests.support.concurrency import Outcome, errors_of, run_together, values_of
from tests.support.fakes import Fakes
from tests.support.usecases import (
    assets, buy_pack, creation, finished_video, pay, payouts, referrals, remixes, subscriptions, task_center, tipping,
    verify, wallets, withdrawals, works,
)
from tests.unit.conftest import user_maker

pytestmark = pytest.mark.postgres

TAPS = 8
ALIPAY = {"account": "13800138000", "name": "张三"}


@pytest.fixture
def world(pg_engine):
    """(fakes over PostgreSQL, make_user, engine)."""
    fakes = Fakes(uow=SqlUnitOfWorkFactory(pg_engine))
    Catalog(fakes.uow).seed()
    return fakes, user_maker(fakes), pg_engine


def taps(engine, operation, times: int = TAPS) -> list[Outcome]:
    """`operation` run `times` at once, each tap's first statement waiting for all the others'."""
    return run_together([operation] * times, engine=engine)


def refused(outcomes: list[Outcome], error: type[Exception], code: int) -> list[Exception]:
    """The failed taps, after checking each failed with `error` (and its API code)."""
    errors = errors_of(outcomes)
    assert all(type(e) is error for e in errors), errors
    assert {e.code for e in errors} <= {code}
    return errors


def entries(fakes: Fakes, user_id: int, currency: str, kind: LedgerType) -> list:
    page, more = wallets(fakes).ledger_page(user_id, currency, None, 100)
    assert not more
    return [e for e in page if e.type is kind]


def funded(fakes: Fakes, make, credits: int, nickname: str = "用户") -> int:
    """A user who bought `credits` at 1.00 CNY each (dearer than any product: creators' shares read like the
    spec's examples, 90% of the credits spent)."""
    uid = make(nickname)
    if credits:
        buy_pack(fakes, uid, f"{credits}.00", credits=credits)
    return uid


def published(fakes: Fakes, make, **listing) -> tuple[int, object]:
    """A creator and their published work (the creator's 10 credits paid for the video)."""
    creator = funded(fakes, make, 10, "创作者")
    return creator, works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品", **listing))


# --- credits spent --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("credits", "charged", "error", "code"), [
    (100, 3, NotAllowed, 2008),  # plenty of credits: the 3-unfinished-tasks limit decides
    (25, 2, InsufficientCredits, 2001),  # credits for two 10-credit generations
])
def test_generation_charge(world, credits, charged, error, code):
    fakes, make, engine = world
    uid = funded(fakes, make, credits)

    outcomes = taps(engine, lambda: creation(fakes).create_task(uid, TaskSpec("猫", 10, "9:16", "sora2")))

    assert len(values_of(outcomes)) == charged
    assert len(refused(outcomes, error, code)) == TAPS - charged
    assert wallets(fakes).overview(uid).credits == Credits(credits - 10 * charged)
    assert len(entries(fakes, uid, "credits", LedgerType.GEN_SPEND)) == charged
    assert len(creation(fakes).page(uid, None, None, 50)[0]) == charged
    assert sorted(fakes.jobs.created) == sorted(t.id for t in values_of(outcomes))


def test_prompt_unlock(world):
    fakes, make, engine = world
    creator, work = published(fakes, make, is_prompt_locked=True, prompt_price=20)
    fan = funded(fakes, make, 100, "粉丝")

    outcomes = taps(engine, lambda: tipping(fakes).unlock_prompt(fan, work.id))

    results = values_of(outcomes)  # every tap sees the prompt; exactly one pays for it
    assert len(results) == TAPS
    assert sorted((r.cost, r.already_unlocked) for r in results) == [(Credits(0), True)] * (TAPS - 1) + [
        (Credits(20), False)]
    assert {r.prompt for r in results} == {work.prompt}
    assert wallets(fakes).overview(fan).credits == Credits(80)
    assert wallets(fakes).overview(creator).coins_pending == Coins.of("18.00")  # 90 % of 20
    assert len(entries(fakes, fan, "credits", LedgerType.PROMPT_UNLOCK_SPEND)) == 1
    assert len(entries(fakes, creator, "coins", LedgerType.PROMPT_INCOME)) == 1


@pytest.mark.parametrize(("credits", "remixed", "error", "code"), [
    (30, 2, InsufficientCredits, 2001),  # two remixes of 10 (generation) + 5 (fee)
    (100, 3, NotAllowed, 2008),  # the 3-unfinished-tasks limit
])
def test_remix(world, credits, remixed, error, code):
    fakes, make, engine = world
    creator, work = published(fakes, make, remix_fee=5)
    fan = funded(fakes, make, credits, "粉丝")

    outcomes = taps(engine, lambda: remixes(fakes).remix(fan, work.id, "换成夜景", 10, "9:16", "sora2"))

    assert [(r.fee, r.generation_cost) for r in values_of(outcomes)] == [(Credits(5), Credits(10))] * remixed
    assert len(refused(outcomes, error, code)) == TAPS - remixed
    assert wallets(fakes).overview(fan).credits == Credits(credits - 15 * remixed)
    assert wallets(fakes).overview(creator).coins_pending == Coins(450 * remixed)  # 90 % of each fee
    assert len(entries(fakes, fan, "credits", LedgerType.GEN_SPEND)) == remixed
    assert len(entries(fakes, fan, "credits", LedgerType.REMIX_SPEND)) == remixed
    assert len(entries(fakes, creator, "coins", LedgerType.REMIX_INCOME)) == remixed


def test_clean_download(world):
    fakes, make, engine = world
    uid = funded(fakes, make, 10 + 20)
    video = finished_video(fakes, uid)  # 10 credits

    outcomes = taps(engine, lambda: assets(fakes).download_clean(uid, video))

    costs = sorted(d.cost for d in values_of(outcomes))  # every tap gets a link; exactly one pays for it
    assert costs == [Credits(0)] * (TAPS - 1) + [Credits(6)]
    assert wallets(fakes).overview(uid).credits == Credits(20 - 6)
    assert len(entries(fakes, uid, "credits", LedgerType.DOWNLOAD_SPEND)) == 1


def test_clean_download_without_the_credits(world):
    fakes, make, engine = world
    uid = funded(fakes, make, 10 + 5)
    video = finished_video(fakes, uid)

    outcomes = taps(engine, lambda: assets(fakes).download_clean(uid, video))

    assert len(refused(outcomes, InsufficientCredits, 2001)) == TAPS
    assert wallets(fakes).overview(uid).credits == Credits(5)
    assert entries(fakes, uid, "credits", LedgerType.DOWNLOAD_SPEND) == []
    fakes.clock.advance(seconds=1)
    wallets(fakes).grant_credits(uid, Credits(1), LedgerType.TASK_REWARD, "奖励")
    assert assets(fakes).download_clean(uid, video).cost == Credits(6)  # nothing was marked paid before


# --- credits granted ------------------------------------------------------------------------------------

def test_subscription_daily_claim(world):
    fakes, make, engine = world
    uid = make()
    pay(fakes, uid, "monthly_card")

    outcomes = taps(engine, lambda: subscriptions(fakes).claim_daily(uid))

    assert values_of(outcomes) == [(Credits(30), Credits(30))]
    assert len(refused(outcomes, AlreadyClaimed, 2003)) == TAPS - 1
    assert wallets(fakes).overview(uid).credits == Credits(30)
    assert len(entries(fakes, uid, "credits", LedgerType.SUBSCRIPTION_CLAIM)) == 1


@pytest.mark.parametrize("task", ["login_daily", "like_work"])
def test_task_center_claim(world, task):
    fakes, make, engine = world
    uid = make()
    if task == "like_work":  # completed beforehand (login_daily is completed by the claim itself)
        works(fakes).like(uid, published(fakes, make)[1].id)

    outcomes = taps(engine, lambda: task_center(fakes).claim(uid, task))

    assert values_of(outcomes) == [(Credits(2), Credits(2))]
    assert len(refused(outcomes, AlreadyClaimed, 2003)) == TAPS - 1  # claimed already, not "not completed"
    assert wallets(fakes).overview(uid).credits == Credits(2)
    assert len(entries(fakes, uid, "credits", LedgerType.TASK_REWARD)) == 1


def test_referral_bind(world):
    fakes, make, engine = world
    promoter = make("推广员")
    pay(fakes, promoter, "promoter_activation")
    code = referrals(fakes).promoter(promoter).referral_code
    invitee = make("新人")

    outcomes = taps(engine, lambda: referrals(fakes).bind(invitee, code))

    assert [(r.bonus, r.new_balance) for r in values_of(outcomes)] == [(Credits(50), Credits(50))]
    assert len(refused(outcomes, InvalidReferralCode, 2004)) == TAPS - 1
    assert wallets(fakes).overview(invitee).credits == Credits(50)
    assert len(entries(fakes, invitee, "credits", LedgerType.REFERRAL_BONUS)) == 1
    assert referrals(fakes).promoter(promoter).total_invites == 1


# --- coins ----------------------------------------------------------------------------------------------

def earner(fakes: Fakes, make, coins: str) -> int:
    """A verified user whose `coins` have matured (7 days on) but were released by no batch yet."""
    uid = make("创作者")
    buy_pack(fakes, uid, coins, coins=coins)  # bought coins wait 7 days like tip income
    fakes.clock.advance(days=7)
    verify(fakes, uid, ALIPAY["name"])
    return uid


def test_coin_release_alongside_tips_and_withdrawals(world):
    fakes, make, engine = world
    creator, work = published(fakes, make)
    buy_pack(fakes, creator, "300.00", coins="300.00")
    fakes.clock.advance(days=7)  # those 300.00 matured; nothing released them yet
    verify(fakes, creator, ALIPAY["name"])
    fans = [funded(fakes, make, 10, f"粉丝{i}") for i in range(4)]
    jobs = [lambda: wallets(fakes).release_matured_coins()] * 2
    jobs += [lambda f=fan: tipping(fakes).tip(f, work.id, 10) for fan in fans]
    jobs += [lambda: withdrawals(fakes).apply(creator, Decimal("100.00"), "alipay", ALIPAY)] * 2

    outcomes = run_together(jobs, engine=engine)

    assert errors_of(outcomes) == []
    assert sum((o.value for o in outcomes[:2]), Coins(0)) <= Coins.of("300.00")  # the rest went with a withdrawal
    view = wallets(fakes).overview(creator)
    assert (view.coins_available, view.coins_held) == (Coins.of("100.00"), Coins.of("200.00"))
    assert view.coins_pending == Coins(4 * 900)  # the four new tips, not matured
    released = entries(fakes, creator, "coins", LedgerType.RELEASE)
    assert sum(e.amount.minor for e in released if e.amount.is_positive) == Coins.of("300.00").minor  # once
    assert len(entries(fakes, creator, "coins", LedgerType.WITHDRAW_HOLD)) == 2 * 2  # each: available -, held +
    assert all(wallets(fakes).overview(f).credits == Credits(0) for f in fans)
    assert wallets(fakes).release_matured_coins() == Coins(0)  # nothing left over to release


def test_withdrawal_apply(world):
    fakes, make, engine = world
    uid = earner(fakes, make, "250.00")

    outcomes = taps(engine, lambda: withdrawals(fakes).apply(uid, Decimal("100.00"), "alipay", ALIPAY))

    assert [w.status for w in values_of(outcomes)] == [WithdrawalStatus.APPLIED] * 2
    errors = refused(outcomes, InsufficientCoins, 2005)
    assert len(errors) == TAPS - 2
    assert {(e.data["available"], e.data["required"]) for e in errors} == {(Decimal("50.00"), Decimal("100.00"))}
    view = wallets(fakes).overview(uid)
    assert (view.coins_available, view.coins_held, view.coins_pending) == (
        Coins.of("50.00"), Coins.of("200.00"), Coins(0))
    assert len(withdrawals(fakes).page(uid, None, 50)[0]) == 2
    assert len(entries(fakes, uid, "coins", LedgerType.WITHDRAW_HOLD)) == 2 * 2  # each: available -, held +


BANK = {"card_no": "4111111111111111", "bank_name": "招商银行", "name": "张三"}


@pytest.mark.parametrize("decision", ["approve", "reject", "mark_paid"])
def test_withdrawal_decisions(world, decision):
    """Approving sends the payout once (the sandbox-like channel pays at once); a bank card is marked paid by
    hand once; a rejection returns the coins once."""
    fakes, make, engine = world
    uid = earner(fakes, make, "250.00")
    if decision == "mark_paid":
        applied = withdrawals(fakes).apply(uid, Decimal("100.00"), "bank_card", BANK)
        payouts(fakes).approve(applied.id)
    else:
        applied = withdrawals(fakes).apply(uid, Decimal("100.00"), "alipay", ALIPAY)
    call = {"approve": lambda: payouts(fakes).approve(applied.id),
            "reject": lambda: payouts(fakes).reject(applied.id, "账户有误"),
            "mark_paid": lambda: payouts(fakes).mark_paid(applied.id, "BANK-REF-1")}[decision]

    outcomes = taps(engine, call)

    status = {"approve": WithdrawalStatus.PAID, "reject": WithdrawalStatus.REJECTED,
              "mark_paid": WithdrawalStatus.PAID}[decision]
    assert [w.status for w in values_of(outcomes)] == [status]
    assert len(refused(outcomes, NotAllowed, 2008)) == TAPS - 1
    [stored] = withdrawals(fakes).page(uid, None, 50)[0]
    assert stored.status is status
    assert len(fakes.payouts["alipay"].sent) == (1 if decision == "approve" else 0)  # one transfer, never two
    view = wallets(fakes).overview(uid)
    available = {"approve": "150.00", "reject": "250.00", "mark_paid": "150.00"}[decision]
    assert (view.coins_available, view.coins_held) == (Coins.of(available), Coins(0))
    moves = [e.type for e in wallets(fakes).ledger_page(uid, "coins", None, 100)[0]]
    # A rejection is two entries (held -, available +), a payment one (held -).
    assert (moves.count(LedgerType.WITHDRAW_RELEASE), moves.count(LedgerType.WITHDRAW_PAID)) == {
        "approve": (0, 1), "reject": (2, 0), "mark_paid": (0, 1)}[decision]


def test_withdrawal_rejected_and_paid_at_once(world):
    fakes, make, engine = world
    uid = earner(fakes, make, "250.00")
    applied = withdrawals(fakes).apply(uid, Decimal("100.00"), "bank_card", BANK)
    payouts(fakes).approve(applied.id)

    outcomes = run_together([lambda: payouts(fakes).reject(applied.id, "账户有误"),
                             lambda: payouts(fakes).mark_paid(applied.id, "BANK-REF-1")] * (TAPS // 2),
                            engine=engine)

    [winner] = values_of(outcomes)  # one decision, whichever came first
    assert len(refused(outcomes, NotAllowed, 2008)) == TAPS - 1
    view = wallets(fakes).overview(uid)
    if winner.status is WithdrawalStatus.REJECTED:
        assert (view.coins_available, view.coins_held) == (Coins.of("250.00"), Coins(0))
    else:
        assert winner.status is WithdrawalStatus.PAID
        assert (view.coins_available, view.coins_held) == (Coins.of("150.00"), Coins(0))
    moves = [e.type for e in wallets(fakes).ledger_page(uid, "coins", None, 100)[0]]
    assert (moves.count(LedgerType.WITHDRAW_RELEASE), moves.count(LedgerType.WITHDRAW_PAID)) == (
        (2, 0) if winner.status is WithdrawalStatus.REJECTED else (0, 1))
