import pytest

from skyriff_domain.errors import InsufficientCredits, InvalidRequest, NotAllowed, NotFound, PermissionDenied
from skyriff_domain.model.catalog import ImageAsset
from skyriff_domain.model.generation import ModelCapability, TaskStatus
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from skyriff_domain.services.creation import TaskSpec
from tests.support.providers import ScriptedProvider
from tests.support.usecases import creation, projects, wallets


@pytest.fixture
def rich(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(1000), LedgerType.RECHARGE, "充值")
    return uid


def spec(**kw):
    return TaskSpec(**{"prompt": "一只猫在草地上奔跑", "duration_sec": 10, "ratio": "9:16", "model": "sora2", **kw})


@pytest.mark.parametrize("model, seconds, cost", [("sora2", 10, 10), ("sora2", 25, 25), ("sora2Pro", 15, 45)])
def test_creating_a_task_debits_its_cost_and_stores_it_not_started(fakes, rich, model, seconds, cost):
    task = creation(fakes).create_task(rich, spec(model=model, duration_sec=seconds))
    assert (task.status, task.cost, task.progress) == (TaskStatus.NOT_START, Credits(cost), 0)
    entries, _ = wallets(fakes).ledger_page(rich, "credits", None, 1)
    assert (entries[0].type, entries[0].amount, entries[0].description) == (
        LedgerType.GEN_SPEND, Credits(-cost), f"生成{seconds}秒视频")
    assert fakes.jobs.created == [task.id]


@pytest.mark.parametrize("field, kw", [("duration_sec", {"duration_sec": 12}), ("ratio", {"ratio": "4:3"}),
                                       ("model", {"model": "sora3"}), ("prompt", {"prompt": "  "}),
                                       ("prompt", {"prompt": "x" * 2001})])
def test_bad_specs_are_2000_and_charge_nothing(fakes, rich, field, kw):
    with pytest.raises(InvalidRequest) as err:
        creation(fakes).create_task(rich, spec(**kw))
    assert err.value.field == field
    assert wallets(fakes).overview(rich).credits == Credits(1000)


def test_what_the_configured_provider_cannot_serve_is_refused_before_charging(fakes, rich):
    official = ScriptedProvider("official", ModelCapability("sora-2", {10: "12"}, {"9:16": "720x1280",
                                                                                   "16:9": "1280x720"}))
    with pytest.raises(InvalidRequest) as err:
        creation(fakes, official).create_task(rich, spec(duration_sec=15))
    assert err.value.field == "duration_sec"
    with pytest.raises(InvalidRequest) as err:
        creation(fakes, official).create_task(rich, spec(ratio="1:1"))
    assert err.value.field == "ratio"
    assert wallets(fakes).overview(rich).credits == Credits(1000)
    assert creation(fakes, official).create_task(rich, spec()).cost == Credits(10)


def test_square_is_served_by_cropping_when_the_provider_says_so(fakes, rich):
    task = creation(fakes).create_task(rich, spec(ratio="1:1"))
    assert task.ratio == "1:1"


def test_not_enough_credits(fakes, make_user):
    with pytest.raises(InsufficientCredits) as err:
        creation(fakes).create_task(make_user(), spec())
    assert err.value.data == {"current_balance": 0, "required": 10}


def test_at_most_three_unfinished_tasks(fakes, rich):
    for _ in range(3):
        creation(fakes).create_task(rich, spec())
    with pytest.raises(NotAllowed) as err:
        creation(fakes).create_task(rich, spec())
    assert err.value.code == 2008
    assert wallets(fakes).overview(rich).credits == Credits(970)


def test_project_and_reference_image_must_be_the_callers(fakes, rich, make_user):
    other = make_user()
    theirs = projects(fakes).create(other, "他的项目")
    with pytest.raises(PermissionDenied):
        creation(fakes).create_task(rich, spec(project_id=theirs.id))
    with pytest.raises(NotFound):
        creation(fakes).create_task(rich, spec(project_id=999))
    with fakes.uow() as uow:
        image = uow.assets.add_image(ImageAsset(other, "u", 1, 1, 1, fakes.clock.now(), "public/x.png"))
        uow.commit()
    with pytest.raises(PermissionDenied):
        creation(fakes).create_task(rich, spec(reference_image_asset_id=image.id))
    assert wallets(fakes).overview(rich).credits == Credits(1000)


def test_tasks_are_private_and_paged(fakes, rich, make_user):
    made = [creation(fakes).create_task(rich, spec()) for _ in range(3)]
    page, more = creation(fakes).page(rich, None, None, 2)
    assert [t.id for t in page] == [made[2].id, made[1].id] and more
    assert creation(fakes).page(rich, TaskStatus.SUCCESS, None, 10) == ([], False)
    with pytest.raises(NotFound):
        creation(fakes).get(make_user(), made[0].id)
