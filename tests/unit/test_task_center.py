from datetime import datetime, timezone

import pytest

from skyriff_domain.errors import AlreadyClaimed, InvalidRequest, NotAllowed
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.task_center import DailyStatus, DailyTask
from skyriff_domain.money import Credits
from skyriff_domain.services.works import Listing
from tests.support.usecases import finished_video, task_center, wallets, works


def statuses(fakes, uid):
    return {s.key: s.status for s in task_center(fakes).today(uid)}


def test_login_counts_as_soon_as_the_center_is_opened(fakes, make_user):
    uid = make_user()
    assert statuses(fakes, uid) == {DailyTask.LOGIN_DAILY: DailyStatus.COMPLETED,
                                    DailyTask.GEN_SUCCESS: DailyStatus.PENDING,
                                    DailyTask.LIKE_WORK: DailyStatus.PENDING}
    assert task_center(fakes).claim(uid, "login_daily") == (Credits(2), Credits(2))
    assert statuses(fakes, uid)[DailyTask.LOGIN_DAILY] is DailyStatus.CLAIMED
    with pytest.raises(AlreadyClaimed):
        task_center(fakes).claim(uid, "login_daily")


def test_a_successful_generation_and_a_like_complete_their_tasks(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(50), LedgerType.RECHARGE, "充值")
    finished_video(fakes, uid)
    assert statuses(fakes, uid)[DailyTask.GEN_SUCCESS] is DailyStatus.COMPLETED
    with pytest.raises(NotAllowed):
        task_center(fakes).claim(uid, "like_work")
    creator = make_user("创作者")
    wallets(fakes).grant_credits(creator, Credits(50), LedgerType.RECHARGE, "充值")
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))
    works(fakes).like(uid, work.id)
    assert task_center(fakes).claim(uid, "like_work")[0] == Credits(2)
    assert task_center(fakes).claim(uid, "gen_success")[0] == Credits(2)


def test_liking_your_own_work_does_not_complete_like_work(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(50), LedgerType.RECHARGE, "充值")
    work = works(fakes).publish(uid, Listing(finished_video(fakes, uid), "作品"))
    assert works(fakes).like(uid, work.id).engagement.like_count == 1  # the like itself is allowed
    assert statuses(fakes, uid)[DailyTask.LIKE_WORK] is DailyStatus.PENDING
    with pytest.raises(NotAllowed):
        task_center(fakes).claim(uid, "like_work")


def test_tasks_reset_at_shanghai_midnight(fakes, make_user):
    uid = make_user()
    fakes.clock.at = datetime(2026, 1, 15, 15, 59, tzinfo=timezone.utc)
    task_center(fakes).claim(uid, "login_daily")
    fakes.clock.at = datetime(2026, 1, 15, 16, 0, tzinfo=timezone.utc)
    assert statuses(fakes, uid)[DailyTask.LOGIN_DAILY] is DailyStatus.COMPLETED
    assert task_center(fakes).claim(uid, "login_daily")[1] == Credits(4)


def test_unknown_task_key(fakes, make_user):
    with pytest.raises(InvalidRequest) as err:
        task_center(fakes).claim(make_user(), "sleep")
    assert err.value.field == "task_key"
