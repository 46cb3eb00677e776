from datetime import timedelta

import attrs
import pytest

from skyriff_domain.errors import InvalidRequest, NotAllowed, NotFound, PermissionDenied
from skyriff_domain.model.generation import TaskStatus, UpstreamJob, UpstreamState
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.work import hot_score
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.works import Listing
from tests.support.usecases import (
    buy_pack,
    finished_video,
    home,
    pay,
    profiles,
    remixes,
    runner,
    tipping,
    wallets,
    works,
)

LOCKED = dict(title="可爱的小猫", description="一只在草地上奔跑的可爱猫咪", is_prompt_locked=True, prompt_price=5,
              remix_fee=2)


@pytest.fixture
def creator(fakes, make_user, catalog):
    uid = make_user("创作者")
    pay(fakes, uid, "credits_6")  # 120 credits for 6.00
    return uid


@pytest.fixture
def fan(fakes, make_user, catalog):
    uid = make_user("粉丝")
    pay(fakes, uid, "credits_30")  # 600 credits for 30.00: 0.05 each
    return uid


@pytest.fixture
def work(fakes, creator):
    return works(fakes).publish(creator, Listing(finished_video(fakes, creator), **LOCKED))


def test_publishing_makes_a_creator(fakes, creator, work):
    assert work.prompt == "一只可爱的橘猫在草地上奔跑" and work.remix_fee == Credits(2)
    assert profiles(fakes).get(creator).is_creator
    assert profiles(fakes).public(creator, None).stats.works_count == 1


def test_a_video_is_published_once_and_only_by_its_owner(fakes, creator, fan, work):
    with pytest.raises(NotAllowed):
        works(fakes).publish(creator, Listing(work.video_id, "again"))
    other = finished_video(fakes, creator)
    with pytest.raises(PermissionDenied):
        works(fakes).publish(fan, Listing(other, "not mine"))
    with pytest.raises(NotFound):
        works(fakes).publish(creator, Listing(999, "missing"))


@pytest.mark.parametrize("field, kw", [("title", {"title": ""}), ("title", {"title": "x" * 51}),
                                       ("prompt_price_credits", {"is_prompt_locked": True, "prompt_price": 0}),
                                       ("prompt_price_credits", {"is_prompt_locked": False, "prompt_price": 3}),
                                       ("remix_fee_credits", {"remix_fee": -1})])
def test_listing_rules(fakes, creator, field, kw):
    with pytest.raises(InvalidRequest) as err:
        works(fakes).publish(creator, Listing(finished_video(fakes, creator), **{"title": "ok", **kw}))
    assert err.value.field == field


def test_likes_are_idempotent_and_counted(fakes, creator, fan, work):
    assert works(fakes).like(fan, work.id).engagement.like_count == 1
    assert works(fakes).like(fan, work.id).engagement.like_count == 1
    assert profiles(fakes).public(creator, None).stats.likes_received_count == 1
    assert works(fakes).detail(work.id, fan).entry.is_liked
    assert works(fakes).unlike(fan, work.id).engagement.like_count == 0
    assert works(fakes).unlike(fan, work.id).engagement.like_count == 0
    assert profiles(fakes).public(creator, None).stats.likes_received_count == 0


def test_tip_pays_the_creator_ninety_percent_of_its_cost_pending_for_seven_days(fakes, creator, fan, work):
    result = tipping(fakes).tip(fan, work.id, 20)  # 20 credits bought at 0.05 cost 1.00
    assert (result.cost, result.creator_share, result.already_favorited) == (Credits(20), Coins.of("0.90"), False)
    assert wallets(fakes).overview(fan).credits == Credits(580)
    view = wallets(fakes).overview(creator)
    assert view.coins_pending == Coins.of("0.90")
    assert view.pending_lots[0].unlock_at == fakes.clock.now() + timedelta(days=7)
    entry = works(fakes).detail(work.id, fan).entry
    assert entry.is_favorited and (entry.work.engagement.tip_count, entry.work.engagement.favorite_count) == (1, 1)
    assert tipping(fakes).tip(fan, work.id, 10).already_favorited is True
    assert LedgerAudit(fakes.uow).verify() == []


@pytest.mark.parametrize("amount", [0, 5, 15, 30, 1000, -10])
def test_only_allowed_tip_amounts(fakes, fan, work, amount):
    with pytest.raises(InvalidRequest) as err:
        tipping(fakes).tip(fan, work.id, amount)
    assert err.value.field == "amount_credits"


def test_no_tipping_your_own_work(fakes, creator, work):
    with pytest.raises(PermissionDenied) as err:
        tipping(fakes).tip(creator, work.id, 10)
    assert err.value.code == 2002


def test_prompt_unlock_charges_once(fakes, creator, fan, work):
    locked, text, price = tipping(fakes).prompt(fan, work.id)
    assert (locked, text, price) == (True, None, Credits(5))
    first = tipping(fakes).unlock_prompt(fan, work.id)
    assert (first.cost, first.creator_share, first.already_unlocked) == (Credits(5), Coins.of("0.22"), False)
    again = tipping(fakes).unlock_prompt(fan, work.id)
    assert (again.cost, again.already_unlocked, again.prompt) == (Credits(0), True, work.prompt)
    assert tipping(fakes).prompt(fan, work.id)[:2] == (False, work.prompt)
    assert wallets(fakes).overview(fan).credits == Credits(595)


def test_owner_and_open_prompts_are_free(fakes, creator, fan, work):
    assert tipping(fakes).unlock_prompt(creator, work.id).cost == Credits(0)
    open_work = works(fakes).publish(creator, Listing(finished_video(fakes, creator, "公开的提示词"), "公开"))
    assert tipping(fakes).unlock_prompt(fan, open_work.id).cost == Credits(0)
    assert tipping(fakes).prompt(None, open_work.id)[:2] == (False, "公开的提示词")


def test_remix_pays_fee_plus_generation_and_hides_a_locked_prompt(fakes, creator, fan, work):
    result = remixes(fakes).remix(fan, work.id, "但是天空下着小雨", 15, "9:16", "sora2")
    assert (result.fee, result.generation_cost, result.creator_share) == (Credits(2), Credits(15), Coins.of("0.09"))
    assert wallets(fakes).overview(fan).credits == Credits(583)
    task = result.task
    assert task.upstream_prompt == f"{work.prompt}\n但是天空下着小雨"  # the provider gets the full prompt
    assert task.prompt == "二创《可爱的小猫》：但是天空下着小雨" and work.prompt not in task.prompt
    entries, _ = wallets(fakes).ledger_page(fan, "credits", None, 2)
    assert {(e.type, e.amount) for e in entries} == {(LedgerType.GEN_SPEND, Credits(-15)),
                                                     (LedgerType.REMIX_SPEND, Credits(-2))}


def test_remixing_your_own_work_has_no_fee(fakes, creator, work):
    result = remixes(fakes).remix(creator, work.id, "", 10, "9:16", "sora2")
    assert (result.fee, result.creator_share, result.task.prompt) == (Credits(0), Coins(0), work.prompt)


def test_a_failed_remix_refunds_everything_and_reverses_the_creators_share(fakes, creator, fan, work):
    fakes.provider.polls.append(UpstreamJob("x", UpstreamState.FAILED, 0, "e", "视频生成失败"))
    result = remixes(fakes).remix(fan, work.id, "下雨", 10, "9:16", "sora2")
    runner(fakes).run_once()
    fakes.clock.advance(seconds=10)
    runner(fakes).run_once()
    with fakes.uow() as uow:
        task = uow.tasks.get(result.task.id)
    assert (task.status, task.refunded) == (TaskStatus.FAILURE, True)
    assert wallets(fakes).overview(fan).credits == Credits(600)
    with fakes.uow() as uow:
        assert uow.wallets.get(fan).credits_cost == Cny.of("30.00")  # the cost came back with the credits
    assert wallets(fakes).overview(creator).coins_pending == Coins(0)
    coin_types = [e.type for e in wallets(fakes).ledger_page(creator, "coins", None, 10)[0]]
    assert coin_types == [LedgerType.INCOME_REVERSAL, LedgerType.REMIX_INCOME]
    assert LedgerAudit(fakes.uow).verify() == []


def test_a_published_remix_does_not_leak_the_locked_prompt(fakes, creator, fan, work):
    result = remixes(fakes).remix(fan, work.id, "下雨", 10, "9:16", "sora2")
    runner(fakes).run_once()
    fakes.clock.advance(seconds=10)
    runner(fakes).run_once()
    with fakes.uow() as uow:
        video_id = uow.tasks.get(result.task.id).video_id
    remix_work = works(fakes).publish(fan, Listing(video_id, "二创"))
    assert work.prompt not in remix_work.prompt


def finish(fakes, task_id):
    runner(fakes).run_once()
    fakes.clock.advance(seconds=10)
    runner(fakes).run_once()
    with fakes.uow() as uow:
        return uow.tasks.get(task_id)


def test_a_remix_of_a_remix_sends_the_whole_chain_and_shows_only_placeholders(fakes, creator, fan, work,
                                                                              make_user):
    first = remixes(fakes).remix(fan, work.id, "下雨", 10, "9:16", "sora2").task
    remix_work = works(fakes).publish(fan, Listing(finish(fakes, first.id).video_id, "雨中猫"))  # prompt not locked
    assert remix_work.prompt == "二创《可爱的小猫》：下雨"
    third = make_user("第三人")
    buy_pack(fakes, third, "30.00", credits=600)
    second = remixes(fakes).remix(third, remix_work.id, "晚上", 10, "9:16", "sora2").task
    assert second.upstream_prompt == f"{work.prompt}\n下雨\n晚上"  # never the display placeholder
    assert second.prompt == "二创《可爱的小猫》：下雨\n晚上" and work.prompt not in second.prompt
    finish(fakes, second.id)
    assert fakes.provider.submitted[-1].prompt == f"{work.prompt}\n下雨\n晚上"
    assert tipping(fakes).prompt(third, remix_work.id)[1] == "二创《可爱的小猫》：下雨"  # free, and no locked part


def test_a_remixer_who_bought_the_prompt_still_sees_a_placeholder_in_what_they_may_publish(fakes, creator, fan,
                                                                                          work):
    tipping(fakes).unlock_prompt(fan, work.id)
    task = remixes(fakes).remix(fan, work.id, "", 10, "9:16", "sora2").task
    assert task.prompt == "二创《可爱的小猫》" and task.upstream_prompt == work.prompt


def test_a_provider_that_quotes_a_hidden_prompt_never_reaches_the_remixer(fakes, creator, fan, work):
    from skyriff_domain.ports import SubmitRejected
    fakes.provider.submits.append(SubmitRejected(f"内容违规：{work.prompt}"))
    task = finish(fakes, remixes(fakes).remix(fan, work.id, "下雨", 10, "9:16", "sora2").task.id)
    assert task.status is TaskStatus.FAILURE and work.prompt not in task.error_message
    own = works(fakes).publish(creator, Listing(finished_video(fakes, creator, "公开"), "公开"))
    fakes.provider.submits.append(SubmitRejected("内容违规：公开"))
    task = finish(fakes, remixes(fakes).remix(fan, own.id, "", 10, "9:16", "sora2").task.id)
    assert task.error_message == "内容违规：公开"  # nothing hidden: the provider's words are shown


def test_a_chain_too_long_to_remix_is_refused_whatever_the_delta(fakes, creator, fan, work):
    fakes.policy = attrs.evolve(fakes.policy, generation=attrs.evolve(fakes.policy.generation,
                                                                      remix_prompt_max=len(work.prompt) + 500))
    for delta in ("", "x" * 500):
        with pytest.raises(NotAllowed):
            remixes(fakes).remix(fan, work.id, delta, 10, "9:16", "sora2")
    assert wallets(fakes).overview(fan).credits == Credits(600)


def test_feeds_order_and_page(fakes, creator, fan):
    made = []
    for i in range(4):
        made.append(works(fakes).publish(creator, Listing(finished_video(fakes, creator, f"第{i}个"), f"作品{i}")))
        fakes.clock.advance(hours=1)
    works(fakes).like(fan, made[0].id)
    tipping(fakes).tip(fan, made[1].id, 50)
    tipping(fakes).tip(fan, made[2].id, 10)
    discover, more = works(fakes).feed("discover", fan, None, 3)
    assert [e.work.id for e in discover] == [made[3].id, made[2].id, made[1].id] and more
    rest, more = works(fakes).feed("discover", fan, (discover[-1].work.id,), 3)
    assert [e.work.id for e in rest] == [made[0].id] and not more
    rank, _ = works(fakes).feed("rank", None, None, 2)
    assert [e.work.id for e in rank] == [made[1].id, made[2].id]
    hot, _ = works(fakes).feed("hot", fan, None, 10)
    # equal engagement (a tip and a favorite): the newer one first; any engagement beats an hour of age
    assert [e.work.id for e in hot] == [made[2].id, made[1].id, made[3].id, made[0].id]
    assert hot[0].is_favorited and not hot[0].is_liked and hot[3].is_liked


def test_hot_score_decays_with_age():
    from datetime import datetime, timezone
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    older_popular = hot_score(100, 0, 0, 0, t0)
    newer_quiet = hot_score(10, 0, 0, 0, t0 + timedelta(hours=12.5))
    assert abs(older_popular - newer_quiet) < 1e-6  # 12.5 hours cost one order of magnitude
    assert hot_score(0, 0, 1, 0, t0) > hot_score(4, 0, 0, 0, t0)


def test_favorites_list_and_unfavorite(fakes, creator, fan, work):
    works(fakes).favorite(fan, work.id)
    entries, _ = works(fakes).favorites(fan, None, 10)
    assert [e.work.id for e in entries] == [work.id] and entries[0].favorited_at == fakes.clock.now()
    assert works(fakes).unfavorite(fan, work.id).engagement.favorite_count == 0
    assert works(fakes).favorites(fan, None, 10) == ([], False)


def test_home_and_ranking(fakes, creator, fan, work):
    tipping(fakes).tip(fan, work.id, 100)
    works(fakes).like(fan, work.id)
    view = home(fakes).me(fan)
    assert (view.credits, view.liked_count, view.favorite_count) == (Credits(500), 1, 1)
    creator_view = home(fakes).me(creator)
    assert creator_view.coins_pending == Coins.of("4.50") and creator_view.stats.likes_received_count == 1
    [first] = home(fakes).tip_ranking(10)
    assert (first.rank, first.user_id, first.total_tipped_credits) == (1, creator, 100)


def test_views_and_shares(fakes, fan, work):
    works(fakes).detail(work.id, fan)
    works(fakes).detail(work.id, None)
    assert works(fakes).share(fan, work.id).engagement.share_count == 1
    assert works(fakes).detail(work.id, None).entry.work.engagement.views == 3


def test_a_share_counts_once_per_user_work_and_business_day(fakes, creator, fan, work):
    first = works(fakes).share(fan, work.id)
    for _ in range(49):
        again = works(fakes).share(fan, work.id)
    assert again.engagement.share_count == first.engagement.share_count == 1
    assert again.hot_score == first.hot_score == hot_score(0, 0, 0, 1, work.created_at)
    assert works(fakes).share(creator, work.id).engagement.share_count == 2  # another user
    fakes.clock.at = fakes.clock.at.replace(hour=15, minute=59)  # 23:59 in Shanghai: the same business day
    assert works(fakes).share(fan, work.id).engagement.share_count == 2
    fakes.clock.advance(minutes=1)  # midnight in Shanghai
    assert works(fakes).share(fan, work.id).engagement.share_count == 3
    with pytest.raises(NotFound):
        works(fakes).share(fan, 999)
