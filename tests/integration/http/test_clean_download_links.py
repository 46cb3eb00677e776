"""Clean download links over HTTP: each request gets its own link, served as an attachment under its signed name;
a link whose name was changed or dropped is refused."""
from __future__ import annotations

from urllib.parse import urlsplit

from tests.support.usecases import buy_pack_on


def finished_video(client) -> int:
    container = client.app.extensions["skyriff"]
    client.post("/tasks/create", {"prompt": "一只猫", "duration_sec": 10, "ratio": "9:16", "model": "sora2"})
    runner = container.task_runner()
    for _ in range(4):
        runner.run_once()
        container.clock().advance(seconds=3)
    return client.get("/assets/videos")[1]["data"]["items"][0]["video_id"]


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_each_clean_download_is_its_own_link_and_an_attachment(client):
    me = client.login()
    container = client.app.extensions["skyriff"]
    buy_pack_on(container.uow(), container.payments(), me["user_id"], "6.00", credits=120)
    video_id = finished_video(client)
    first = client.post(f"/assets/videos/{video_id}/download_no_watermark")[1]
    again = client.post(f"/assets/videos/{video_id}/download_no_watermark")[1]
    assert (first["message"], again["message"]) == ("扣费成功", "已购买，免费获取新链接")
    assert first["data"]["download_url"] != again["data"]["download_url"]

    response = client.raw.get(local(again["data"]["download_url"]))
    assert response.status_code == 200 and response.mimetype == "video/mp4"
    assert response.headers["Content-Disposition"] == f"attachment; filename=skyriff-{video_id}-2.mp4"
    assert client.raw.get(local(first["data"]["download_url"])).status_code == 200

    link = local(again["data"]["download_url"])
    renamed = link.replace(f"skyriff-{video_id}-2.mp4", f"skyriff-{video_id}-1.mp4")
    unnamed = link.replace(f"&filename=skyriff-{video_id}-2.mp4", "")
    for bad in (renamed, unnamed):
        answer = client.raw.get(bad)
        assert answer.status_code == 403 and answer.get_json()["code"] == 2002, bad
