"""What simulated users, operators, channels and batches do: each operation picks its actors with the thread's
own random generator and calls the use cases the API, the worker and the console call. A domain refusal
(2001 not enough credits, 2008 not now…) is a normal outcome; anything else is a finding."""
from __future__ import annotations

import random
import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

from skyriff_domain.errors import NotificationRejected
from skyriff_domain.model.moderation import Operator
from skyriff_domain.model.withdrawal import WithdrawalStatus
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.works import Listing

from tests.support.money_out import id_number

from .world import World

SKUS = ("credits_6", "credits_30", "credits_68", "credits_128", "monthly_card", "promoter_activation", "coins_100")
FATES = ("once", "once", "twice", "forged", "wrong_amount", "lost", "late", "abandon")
PROMPTS = ("一只猫在草地上奔跑", "海边日落", "城市夜景 [fail]", "雪山 [stuck]", "森林 [reject]")
GRANTS = ({"credits": 50}, {"credits": 300}, {"product_sku": "monthly_card"}, {"product_sku": "credits_30"},
          {"product_sku": "promoter_activation"})
SIM_OPERATOR = Operator("sim")


class Shared:
    """What threads learn from each other: published works and notifications held back for later."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.works: list[int] = []
        self.late: list[tuple[int, str]] = []
        self.payments: list[int] = []
        self.codes: list[str] = []  # redemption codes handed out (some redeemed, expired or disabled meanwhile)
        self.batches: list[int] = []

    def pick_work(self, rng: random.Random) -> int | None:
        with self.lock:
            return rng.choice(self.works) if self.works else None


def buy(w: World, s: Shared, rng: random.Random) -> str:
    """A payment with a fate: notified once or twice, a forged or wrong-amount notice first, lost (only
    reconciliation finds it), late (delivered by another step, maybe after the order was closed), or never
    paid."""
    user, sku, fate = rng.choice(w.users), rng.choice(SKUS), rng.choice(FATES)
    payment = w.payments.create(user, w.product_ids()[sku], "sim").payment
    with s.lock:
        s.payments.append(payment.id)
    if fate == "abandon":
        return "buy, never paid"
    w.channel.pay(payment.out_trade_no, payment.id)
    amount = str(payment.amount)
    if fate == "forged":
        _must_refuse(w, w.channel.notification(payment.id, amount, forged=True))
    if fate == "wrong_amount":
        _must_refuse(w, w.channel.notification(payment.id, str(payment.amount - Cny(1))))
    if fate == "late":
        with s.lock:
            s.late.append((payment.id, amount))
    elif fate != "lost":
        for _ in range(2 if fate == "twice" else 1):
            w.payments.handle_notification("sim", *w.channel.notification(payment.id, amount))
    return f"buy, notified {fate}"


def _must_refuse(w: World, notice) -> None:
    try:
        w.payments.handle_notification("sim", *notice)
    except NotificationRejected:
        return
    raise AssertionError("a forged or mismatched notification was accepted")


def deliver_late(w: World, s: Shared, rng: random.Random) -> str:
    with s.lock:
        if not s.late:
            return "late: none"
        payment_id, amount = s.late.pop(rng.randrange(len(s.late)))
    w.payments.handle_notification("sim", *w.channel.notification(payment_id, amount))
    return "late delivered"


def reconcile(w: World, s: Shared, rng: random.Random) -> str:
    report = w.payments.reconcile(parallel=1)
    assert report.errors == 0, f"reconciliation errors: {report}"
    return "reconcile settled a lost payment" if report.paid else "reconcile"


def generate(w: World, s: Shared, rng: random.Random) -> str:
    spec = TaskSpec(rng.choice(PROMPTS), rng.choice((10, 15, 25)), rng.choice(("9:16", "16:9", "1:1")),
                    rng.choice(("sora2", "sora2Pro")))
    w.creation.create_task(rng.choice(w.users), spec)
    return "generate"


def worker(w: World, s: Shared, rng: random.Random) -> str:
    report = w.runner.run_once()
    return f"worker pass ({report.finished} finished)" if report.finished else "worker pass"


def publish(w: World, s: Shared, rng: random.Random) -> str:
    user = rng.choice(w.users)
    drafts, _ = w.assets.drafts(user, None, 5)
    if not drafts:
        return "publish: no draft"
    locked = rng.random() < 0.5
    work = w.works.publish(user, Listing(rng.choice(drafts).id, "模拟作品", "", locked,
                                         rng.randint(1, 20) if locked else 0, rng.choice((0, 1, 2, 5))))
    with s.lock:
        s.works.append(work.id)
    return "publish"


def tip(w: World, s: Shared, rng: random.Random) -> str:
    work = s.pick_work(rng)
    if work is None:
        return "tip: no work yet"
    paid = w.tipping.tip(rng.choice(w.users), work, rng.choice(w.policy.pricing.tip_amounts)).creator_share
    return "tip" if paid else "tip of free credits"


def unlock(w: World, s: Shared, rng: random.Random) -> str:
    work = s.pick_work(rng)
    if work is None:
        return "unlock: no work yet"
    return "unlock" if w.tipping.unlock_prompt(rng.choice(w.users), work).cost else "unlock: free"


def remix(w: World, s: Shared, rng: random.Random) -> str:
    work = s.pick_work(rng)
    if work is None:
        return "remix: no work yet"
    delta = rng.choice(("", "下雨", "夜晚 [fail]", "雪 [stuck]"))
    w.remixes.remix(rng.choice(w.users), work, delta, 10, "9:16", rng.choice(("sora2", "sora2Pro")))
    return "remix"


def like(w: World, s: Shared, rng: random.Random) -> str:
    work = s.pick_work(rng)
    if work is None:
        return "like: no work yet"
    w.works.like(rng.choice(w.users), work)
    return "like"


def claim_card(w: World, s: Shared, rng: random.Random) -> str:
    w.subscriptions.claim_daily(rng.choice(w.users))
    return "claim card"


def claim_task(w: World, s: Shared, rng: random.Random) -> str:
    user = rng.choice(w.users)
    w.task_center.today(user)
    w.task_center.claim(user, rng.choice(("login_daily", "gen_success", "like_work")))
    return "claim task"


def bind(w: World, s: Shared, rng: random.Random) -> str:
    promoter, user = rng.choice(w.users), rng.choice(w.users)
    code = w.referrals.promoter(promoter).referral_code
    if not code:
        return "bind: not a promoter"
    return "bind" if w.referrals.bind(user, code).bonus else "bind without a bonus"


ACCOUNTS = ("13800138000", "a[fail]@example.com", "b[timeout]@example.com")  # the sandbox's paths


def verify(w: World, s: Shared, rng: random.Random) -> str:
    """Users verify as adults, some as minors (their payments, tips and withdrawals are limited)."""
    user = rng.choice(w.users)
    born = date(rng.choice((1960, 1990, 2001, 2010, 2012)), 6, 1)
    w.verifications.verify(user, "张三", id_number(born, sequence=f"{user % 1000:03d}"))
    return "verify"


def withdraw(w: World, s: Shared, rng: random.Random) -> str:
    amount = Decimal(rng.choice(("100.00", "120.50", "300.00")))
    if rng.random() < 0.2:
        w.withdrawals.apply(rng.choice(w.users), amount, "bank_card",
                            {"card_no": "4111111111111111", "bank_name": "招商银行", "name": "张三"})
        return "withdraw to a bank card"
    w.withdrawals.apply(rng.choice(w.users), amount, "alipay", {"account": rng.choice(ACCOUNTS), "name": "张三"})
    return "withdraw"


def payout_sync(w: World, s: Shared, rng: random.Random) -> str:
    report = w.payouts.sync(min_age=timedelta(0))
    assert report.errors == 0, f"payout sync errors: {report}"
    return "payout sync settled a transfer" if report.paid or report.failed else "payout sync"


def refund(w: World, s: Shared, rng: random.Random) -> str:
    """An operator refunds one of the payments made so far (some not paid, some spent: refused), maybe forced."""
    with s.lock:
        if not s.payments:
            return "refund: no payment yet"
        payment_id = rng.choice(s.payments)
    w.refunds.refund(payment_id, "模拟退款", force=rng.random() < 0.5, operator="sim")
    return "refund"


def review(w: World, s: Shared, rng: random.Random) -> str:
    queue = w.withdrawals.queue(None, 200)
    open_ = [x for x in queue if x.status in (WithdrawalStatus.APPLIED, WithdrawalStatus.APPROVED)]
    if not open_:
        return "review: none"
    target = rng.choice(open_)
    action = rng.choice(("approve", "reject", "pay"))
    {"approve": w.payouts.approve, "pay": lambda i: w.payouts.mark_paid(i, "BANK-REF"),
     "reject": lambda i: w.payouts.reject(i, "模拟拒绝")}[action](target.id)
    return f"review {action}"


def release(w: World, s: Shared, rng: random.Random) -> str:
    released = w.wallets.release_matured_coins(batch_size=rng.choice((1, 3, 100)))
    return "release" if released else "release: nothing matured"


def download(w: World, s: Shared, rng: random.Random) -> str:
    user = rng.choice(w.users)
    videos, _ = w.assets.videos(user, None, None, 5)
    if not videos:
        return "download: no video"
    return "download" if w.assets.download_clean(user, rng.choice(videos).id).cost else "download again"


def adjust(w: World, s: Shared, rng: random.Random) -> str:
    user = rng.choice(w.users)
    if rng.random() < 0.5:
        w.wallets.adjust(user, "模拟调整", credits=Credits(rng.choice((-50, -5, 5, 50))))
    else:
        w.wallets.adjust(user, "模拟调整", coins=Coins.of(rng.choice(("-10.00", "150.00"))))
    return "adjust"


def hand_out_codes(w: World, s: Shared, rng: random.Random) -> str:
    """An operator generates a small batch of codes (some good through today only) and hands them out, or
    disables a batch handed out before (maybe while its codes are being redeemed)."""
    with s.lock:
        batch_id = rng.choice(s.batches) if s.batches and rng.random() < 0.2 else None
    if batch_id is not None:
        w.redemption_batches.disable(batch_id, SIM_OPERATOR)
        return "disable codes"
    expires_on = w.policy.business_day(w.clock.now()) if rng.random() < 0.3 else None
    made = w.redemption_batches.generate("模拟兑换码", rng.randint(1, 4), SIM_OPERATOR, expires_on=expires_on,
                                         **rng.choice(GRANTS))
    with s.lock:
        s.codes += made.codes
        s.batches.append(made.view.batch.id)
    return "generate codes"


def redeem(w: World, s: Shared, rng: random.Random) -> str:
    """A user redeems a code handed out — maybe one another user is redeeming at the same moment."""
    with s.lock:
        if not s.codes:
            return "redeem: no code yet"
        code = rng.choice(s.codes)
    w.redemptions.redeem(rng.choice(w.users), code, f"10.0.0.{rng.randint(1, 4)}")
    return "redeem"


def advance(w: World, s: Shared, rng: random.Random) -> str:
    seconds = rng.choice((1, 2, 5, 5, 10, 30, 60, 300, 1900, 86400, 86400 * 8))
    w.clock.advance(seconds=seconds)
    return "advance a day or more" if seconds >= 86400 else "advance"


Operation = Callable[[World, Shared, random.Random], str]
WEIGHTED: tuple[tuple[Operation, int], ...] = (
    (buy, 12), (deliver_late, 3), (reconcile, 3), (generate, 8), (worker, 14), (publish, 5), (tip, 10),
    (unlock, 4), (remix, 6), (like, 3), (claim_card, 3), (claim_task, 3), (bind, 2), (withdraw, 3), (review, 4),
    (release, 2), (download, 2), (adjust, 2), (advance, 6), (verify, 3), (payout_sync, 2), (refund, 2),
    (hand_out_codes, 2), (redeem, 4),
)
OPERATIONS = [op for op, weight in WEIGHTED for _ in range(weight)]
