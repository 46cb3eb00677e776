"""AIGC labels over HTTP with the embedded fake provider, real ffmpeg and local storage: the play copy, the clean
download and the stored original carry the signed implicit label, the play copy shows `AI生成`, publishing
gives the served copy the work's PropagateID, works tell clients, clean downloads are logged, uploads' labels
are kept."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops
from PIL.PngImagePlugin import PngInfo

from adapters.media.ffmpeg import INPUT, run_ffmpeg
from skyriff_domain.services.aigc import Verdict
from tests.support.http import make_client
from tests.support.usecases import buy_pack_on

from .test_creation_api import fetch, upload

NOTICE = {"label": "1", "text": "AI生成"}


def finished_video(client) -> int:
    container = client.app.extensions["skyriff"]
    task = client.post("/tasks/create", {"prompt": "一只可爱的橘猫在草地上奔跑", "duration_sec": 10, "ratio": "9:16",
                                         "model": "sora2"})[1]["data"]
    for _ in range(6):
        container.clock().advance(seconds=2)
        container.task_runner().run_once()
    video_id = client.get(f"/tasks/{task['task_id']}")[1]["data"]["video_id"]
    assert video_id, "the task did not finish"
    return video_id


def has_label_ink(mp4: bytes) -> bool:
    """Near-white pixels in the bottom fifth of the first frame: the label's text (the fake provider's test
    pattern is colour bars there, the watermark translucent)."""
    png = run_ffmpeg(["-i", INPUT, "-frames:v", "1", "-update", "1", "f.png"], mp4)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.crop((0, image.height * 4 // 5, image.width, image.height))
    r, g, b = (channel.point(lambda v: 255 if v > 235 else 0) for channel in image.split())
    return ImageChops.multiply(ImageChops.multiply(r, g), b).getbbox() is not None


@pytest.fixture
def creator(sqlite_engine):
    client = make_client(sqlite_engine, trusted_proxies=1)
    container = client.app.extensions["skyriff"]
    user = client.login()
    buy_pack_on(container.uow(), container.payments(), user["user_id"], "10.00", credits=200)
    return client


def test_every_stored_and_served_mp4_carries_a_valid_label_and_publishing_propagates_it(creator):
    container = creator.app.extensions["skyriff"]
    labels = container.aigc_labels()
    video_id = finished_video(creator)
    item = creator.get("/assets/videos")[1]["data"]["items"][0]
    play = fetch(creator, item["watermarked_play_url"]).data
    status, body = creator.post(f"/assets/videos/{video_id}/download_no_watermark",
                                headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert status == 200, body
    clean = fetch(creator, body["data"]["download_url"]).data
    with container.uow()(read_only=True) as uow:
        video = uow.videos.get(video_id)
        records = uow.clean_downloads.find(video_id, None, 10)
    original = container.storage().get(video.original_key)
    assert clean == original  # the clean download is the stored original
    play_label, clean_label = labels.inspect(play), labels.inspect(clean)
    assert play_label.verdict is clean_label.verdict is Verdict.VERIFIED
    assert play_label.label.produce_id == clean_label.label.produce_id == video.aigc_produce_id
    assert has_label_ink(play) and not has_label_ink(clean)
    assert [(r.user_id, r.client_ip) for r in records] == [(video.owner_id, "203.0.113.7")]  # the trusted hop's

    status, body = creator.post("/works/publish", {"video_id": video_id, "title": "小猫"})
    assert status == 200, body
    work_id = body["data"]["work_id"]
    feed_item = creator.get("/feed")[1]["data"]["items"][0]
    detail = creator.get(f"/works/{work_id}")[1]["data"]
    assert feed_item["aigc"] == detail["aigc"] == NOTICE
    served = labels.inspect(fetch(creator, detail["watermarked_play_url"]).data)
    with container.uow()(read_only=True) as uow:
        work = uow.works.get(work_id)
    assert served.verdict is Verdict.VERIFIED and work.aigc_propagate_id
    assert (served.label.produce_id, served.label.propagate_id) == (video.aigc_produce_id, work.aigc_propagate_id)
    assert creator.get("/assets/videos")[1]["data"]["items"][0]["watermarked_play_url"] == detail[
        "watermarked_play_url"]
    again = creator.post(f"/assets/videos/{video_id}/download_no_watermark")[1]["data"]["download_url"]
    assert labels.inspect(fetch(creator, again).data).label.propagate_id == ""  # the owner's copy, not propagated
    user_id = work.creator_id
    assert creator.get(f"/users/{user_id}/works")[1]["data"]["items"][0]["aigc"] == NOTICE
    creator.post(f"/works/{work_id}/favorite")
    assert creator.get("/me/favorites")[1]["data"]["items"][0]["aigc"] == NOTICE


def png(text: dict[str, str]) -> bytes:
    info = PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_the_upload_answer_names_the_images_aigc_label(client):
    client.login()
    status, body = upload(client, png({"AIGC": '{"Label":"1","ContentProducer":"doubao","ProduceID":"x"}'}))
    assert (status, body["data"]["aigc_label"]) == (200, "1")
    status, body = upload(client, png({"Comment": "a photo"}))
    assert (status, body["data"]["aigc_label"]) == (200, None)
    with client.app.extensions["skyriff"].uow()(read_only=True) as uow:
        assert uow.assets.get_image(body["data"]["asset_id"]).aigc_label is None
