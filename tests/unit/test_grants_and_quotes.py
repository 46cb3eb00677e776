"""The operations other services call: free credits granted with a reason (at most once per key, cost 0,
audit-clean), and prices quoted before anything is charged — equal to what the charging use cases then take."""
from __future__ import annotations

import pytest

from skyriff_domain.errors import InsufficientCredits, InvalidRequest, NotFound, PermissionDenied
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.works import Listing
from tests.support.usecases import (
    assets, creation, finished_video, pay, quotes, remixes, tipping, wallets, works,
)


def test_a_grant_gives_free_credits_with_the_reason(fakes, make_user):
    uid = make_user()
    grant = wallets(fakes).grant(uid, Credits(50), "  新人活动 ")
    assert not grant.replayed
    entry = grant.entry
    assert (entry.type, entry.amount, entry.balance_after, entry.cost, entry.description) == (
        LedgerType.ADMIN_ADJUST, Credits(50), Credits(50), Cny(0), "赠送：新人活动")
    assert wallets(fakes).overview(uid).credits == Credits(50)
    assert LedgerAudit(fakes.uow).verify() == []


def test_a_grant_with_a_key_happens_once(fakes, make_user):
    alice, bob = make_user(), make_user()
    first = wallets(fakes).grant(alice, Credits(50), "活动", key="welcome")
    again = wallets(fakes).grant(alice, Credits(80), "活动", key="welcome")
    other = wallets(fakes).grant(bob, Credits(50), "活动", key="welcome")  # keys are per user
    assert again.replayed and again.entry.id == first.entry.id and again.entry.amount == Credits(50)
    assert not other.replayed
    assert (wallets(fakes).overview(alice).credits, wallets(fakes).overview(bob).credits) == (Credits(50), Credits(50))


@pytest.mark.parametrize(("credits", "reason", "key", "field"), [
    (0, "活动", None, "credits"), (-5, "活动", None, "credits"), (5, "  ", None, "reason"), (5, "长" * 181, None, "reason"),
    (5, "活动", "", "key"), (5, "活动", "k" * 101, "key"),
])
def test_a_grant_needs_a_positive_amount_a_reason_and_a_sane_key(fakes, make_user, credits, reason, key, field):
    with pytest.raises(InvalidRequest) as err:
        wallets(fakes).grant(make_user(), Credits(credits), reason, key=key)
    assert err.value.field == field


def test_a_grant_needs_a_wallet(fakes):
    with pytest.raises(NotFound):
        wallets(fakes).grant(999, Credits(5), "活动")


def test_granted_credits_earn_a_creator_nothing(fakes, make_user, catalog):
    fan, creator = make_user(), make_user()
    pay(fakes, creator, "credits_6")
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "小猫"))
    wallets(fakes).grant(fan, Credits(20), "活动")
    split = quotes(fakes).spend_split(fan, Credits(20))
    assert (split.cost, split.creator_coins, split.platform) == (Cny(0), Coins(0), Cny(0))
    assert tipping(fakes).tip(fan, work.id, 20).creator_share == Coins(0)
    assert LedgerAudit(fakes.uow).verify() == []


@pytest.mark.parametrize(("model", "seconds", "credits"), [("sora2", 10, 10), ("sora2", 25, 25), ("sora2Pro", 15, 45)])
def test_a_generation_quote_is_what_creating_the_task_charges(fakes, make_user, model, seconds, credits):
    uid = make_user()
    wallets(fakes).grant(uid, Credits(100), "活动")
    quote = quotes(fakes).generation(model, seconds, "16:9")
    task = creation(fakes).create_task(uid, TaskSpec("一只猫", seconds, "16:9", model))
    assert quote.credits == task.cost == Credits(credits)
    assert quote.estimated_seconds == fakes.policy.generation.estimated_seconds[model]


@pytest.mark.parametrize(("model", "seconds", "ratio", "field"), [
    ("sora3", 10, "9:16", "model"), ("sora2", 12, "9:16", "duration_sec"), ("sora2", 10, "4:3", "ratio"),
])
def test_what_cannot_be_made_cannot_be_quoted(fakes, model, seconds, ratio, field):
    with pytest.raises(InvalidRequest) as err:
        quotes(fakes).generation(model, seconds, ratio)
    assert err.value.field == field


def test_a_remix_quote_is_what_remixing_charges(fakes, make_user, catalog):
    creator, fan = make_user(), make_user()
    pay(fakes, creator, "credits_6")
    pay(fakes, fan, "credits_6")
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "小猫", remix_fee=3))
    quote = quotes(fakes).remix(fan, work.id, "sora2", 15, "9:16")
    result = remixes(fakes).remix(fan, work.id, "再快一点", 15, "9:16", "sora2")
    assert (quote.fee, quote.generation, quote.total) == (result.fee, result.generation_cost, Credits(18))
    assert quotes(fakes).remix(creator, work.id, "sora2", 15, "9:16").fee == Credits(0)  # no fee on one's own
    with pytest.raises(NotFound):
        quotes(fakes).remix(fan, 999, "sora2", 15, "9:16")


def test_a_clean_download_quote_is_the_price_once_then_nothing(fakes, make_user, catalog):
    owner, other = make_user(), make_user()
    pay(fakes, owner, "credits_6")
    video_id = finished_video(fakes, owner)
    assert quotes(fakes).clean_download(owner, video_id) == Credits(6)
    assets(fakes).download_clean(owner, video_id)
    assert quotes(fakes).clean_download(owner, video_id) == Credits(0)
    with pytest.raises(PermissionDenied):
        quotes(fakes).clean_download(other, video_id)


def test_a_spend_split_is_what_a_tip_then_moves(fakes, make_user, catalog):
    fan, creator = make_user(), make_user()
    pay(fakes, fan, "credits_30")
    wallets(fakes).grant(fan, Credits(50), "活动")  # 650 credits holding 30.00: 20 of them carry 0.92
    pay(fakes, creator, "credits_6")
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "小猫"))
    split = quotes(fakes).spend_split(fan, Credits(20))
    assert (split.cost, split.creator_coins, split.platform) == (Cny.of("0.92"), Coins.of("0.82"), Cny.of("0.10"))
    before = wallets(fakes).overview(fan)
    assert tipping(fakes).tip(fan, work.id, 20).creator_share == split.creator_coins
    with fakes.uow() as uow:
        assert uow.wallets.get(fan).credits_cost == Cny.of("30.00") - split.cost
    assert before.credits - wallets(fakes).overview(fan).credits == split.credits


def test_a_split_of_more_than_the_wallet_holds_is_refused(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant(uid, Credits(5), "活动")
    with pytest.raises(InsufficientCredits) as err:
        quotes(fakes).spend_split(uid, Credits(6))
    assert err.value.data == {"current_balance": 5, "required": 6}
    with pytest.raises(InvalidRequest):
        quotes(fakes).spend_split(uid, Credits(0))
