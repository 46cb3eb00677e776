import itertools
import io

import pytest
from PIL import Image

from skyriff_domain.errors import InsufficientCredits, InvalidRequest, NotFound, PermissionDenied
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.media import VideoAsset
from skyriff_domain.money import Credits
from tests.support.usecases import assets, projects, wallets


def png(width=64, height=32) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buf, "PNG")
    return buf.getvalue()


TASK_IDS = itertools.count(1)


def a_video(fakes, owner, project_id=None):
    """A stored video of its own task (one video per task, as the repositories insist)."""
    with fakes.uow() as uow:
        video = uow.videos.add(VideoAsset(owner, next(TASK_IDS), 10, "9:16", "private/o.mp4", "public/w.mp4", "public/c.jpg", 720,
                                          1280, 1000, fakes.clock.now(), project_id))
        uow.commit()
    return video


def test_upload_keeps_size_and_dimensions(fakes, make_user):
    uid = make_user()
    image = assets(fakes).upload_image(uid, png())
    assert (image.width, image.height, image.size, image.owner_id) == (64, 32, len(png()), uid)
    assert image.storage_key.startswith(f"public/images/{uid}/") and image.storage_key.endswith(".png")


def test_upload_refuses_what_is_not_an_image(fakes, make_user):
    with pytest.raises(InvalidRequest) as err:
        assets(fakes).upload_image(make_user(), b"GIF89a not really")
    assert err.value.field == "file"


def test_clean_download_costs_six_credits_once(fakes, make_user):
    uid = make_user()
    wallets(fakes).grant_credits(uid, Credits(10), LedgerType.RECHARGE, "充值")
    video = a_video(fakes, uid)
    first = assets(fakes).download_clean(uid, video.id)
    assert first.cost == Credits(6) and "private/o.mp4" in first.url
    assert (first.expires_at - fakes.clock.now()).total_seconds() == 3600
    second = assets(fakes).download_clean(uid, video.id)
    assert second.cost == Credits(0)
    assert wallets(fakes).overview(uid).credits == Credits(4)


def test_clean_download_is_for_own_videos_only(fakes, make_user):
    owner, other = make_user(), make_user()
    video = a_video(fakes, owner)
    with pytest.raises(PermissionDenied) as err:
        assets(fakes).download_clean(other, video.id)
    assert err.value.code == 2002
    with pytest.raises(NotFound):
        assets(fakes).download_clean(owner, 999)


def test_clean_download_needs_the_credits(fakes, make_user):
    uid = make_user()
    with pytest.raises(InsufficientCredits):
        assets(fakes).download_clean(uid, a_video(fakes, uid).id)


def test_projects_count_their_videos(fakes, make_user):
    uid = make_user()
    first = projects(fakes).create(uid, "我的第一个项目")
    second = projects(fakes).create(uid, "第二个")
    a_video(fakes, uid, first.id)
    a_video(fakes, uid, first.id)
    fakes.clock.advance(minutes=1)
    projects(fakes).rename(uid, second.id, "改名")
    listed = projects(fakes).list(uid)
    assert [(v.project.name, v.video_count) for v in listed] == [("改名", 0), ("我的第一个项目", 2)]
    videos, _ = assets(fakes).videos(uid, first.id, None, 10)
    assert len(videos) == 2


@pytest.mark.parametrize("name", ["", "   ", "x" * 51])
def test_project_names_are_checked(fakes, make_user, name):
    with pytest.raises(InvalidRequest):
        projects(fakes).create(make_user(), name)


def test_only_the_owner_renames(fakes, make_user):
    project = projects(fakes).create(make_user(), "a")
    with pytest.raises(PermissionDenied):
        projects(fakes).rename(make_user(), project.id, "b")
