"""五、六 over HTTP with the embedded fake provider, real ffmpeg and local storage: upload → task → video →
paid clean download, failures refunded once, signed links that expire."""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from adapters.media.ffmpeg import probe
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits


def png_bytes(width=720, height=1280, fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture
def studio(client):
    me = client.login()
    client.app.extensions["skyriff"].wallets().grant_credits(me["user_id"], Credits(100), LedgerType.RECHARGE, "充值")
    return client


def upload(client, data: bytes, name="ref.png"):
    response = client.raw.post("/v1/media/upload", data={"file": (io.BytesIO(data), name)},
                               headers={"Authorization": f"Bearer {client.token}"},
                               content_type="multipart/form-data")
    return response.status_code, response.get_json()


def work(client, seconds=3):
    container = client.app.extensions["skyriff"]
    container.clock().advance(seconds=seconds)
    container.task_runner().run_once()


def fetch(client, url):
    parts = urlsplit(url)
    return client.raw.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def balance(client):
    return client.get("/me/wallets")[1]["data"]["credits"]["balance"]


def test_upload_checks_the_image(studio):
    status, body = upload(studio, png_bytes(1024, 768))
    assert (status, body["message"]) == (200, "上传成功")
    assert {k: body["data"][k] for k in ("width", "height", "size")} == {"width": 1024, "height": 768,
                                                                          "size": len(png_bytes(1024, 768))}
    assert fetch(studio, body["data"]["url"]).data == png_bytes(1024, 768)
    for data, name in [(b"GIF89a" + b"\x00" * 100, "x.gif"), (b"hello", "x.png"), (b"", "x.png"),
                       (png_bytes(fmt="BMP"), "x.png")]:
        status, body = upload(studio, data, name)
        assert (status, body["code"], body["data"]["field"]) == (400, 2000, "file"), name
    too_big = b"\x89PNG" + b"\x00" * (10 * 1024 * 1024)
    assert upload(studio, too_big)[1]["data"]["field"] == "file"
    response = studio.raw.post("/v1/media/upload", data={}, headers={"Authorization": f"Bearer {studio.token}"},
                               content_type="multipart/form-data")
    assert response.get_json()["data"]["field"] == "file"


def test_from_upload_to_video_and_clean_download(studio):
    _, image = upload(studio, png_bytes())
    status, body = studio.post("/tasks/create", {"prompt": "一只可爱的猫咪在草地上奔跑", "duration_sec": 10,
                                                 "ratio": "9:16", "model": "sora2",
                                                 "reference_image_asset_id": image["data"]["asset_id"]})
    assert (status, body["message"]) == (200, "任务创建成功")
    created = body["data"]
    assert (created["status"], created["cost_credits"]) == ("NOT_START", 10) and created["estimated_time"] > 0
    assert balance(studio) == 90
    ledger = studio.get("/wallet/ledgers")[1]["data"]["items"][0]
    assert (ledger["type"], ledger["amount"]) == ("gen_spend", -10)

    task_id = created["task_id"]
    seen = []
    for _ in range(6):
        work(studio, seconds=2)
        detail = studio.get(f"/tasks/{task_id}")[1]["data"]
        seen.append(detail["status"])
    assert seen[0] == "QUEUED" and "IN_PROGRESS" in seen and seen[-1] == "SUCCESS"
    assert detail["progress"] == 100 and detail["video_id"] and detail["finished_at"].endswith("Z")

    videos = studio.get("/assets/videos")[1]["data"]["items"]
    assert [v["video_id"] for v in videos] == [detail["video_id"]]
    play = fetch(studio, videos[0]["watermarked_play_url"])
    assert play.status_code == 200 and play.mimetype == "video/mp4"
    info = probe(play.data)
    assert info.has_video and info.codec == "h264"
    cover = fetch(studio, videos[0]["thumbnail_url"])
    assert cover.status_code == 200 and Image.open(io.BytesIO(cover.data)).format == "JPEG"

    status, body = studio.post(f"/assets/videos/{detail['video_id']}/download_no_watermark")
    assert (status, body["message"], body["data"]["cost_credits"]) == (200, "扣费成功", 6)
    assert balance(studio) == 84
    original = fetch(studio, body["data"]["download_url"])
    assert original.status_code == 200 and probe(original.data).has_video and original.data != play.data
    assert studio.post(f"/assets/videos/{detail['video_id']}/download_no_watermark")[1]["data"]["cost_credits"] == 0
    assert balance(studio) == 84

    studio.login("13900000000", "654321")
    status, body = studio.post(f"/assets/videos/{detail['video_id']}/download_no_watermark")
    assert (status, body["code"]) == (403, 2002)
    assert studio.get(f"/tasks/{task_id}")[1]["code"] == 2007


def test_clean_links_expire_after_an_hour_and_cannot_be_forged(studio):
    studio.post("/tasks/create", {"prompt": "猫", "duration_sec": 10, "ratio": "16:9", "model": "sora2"})
    for _ in range(5):
        work(studio, seconds=2)
    video = studio.get("/assets/videos")[1]["data"]["items"][0]
    assert (video["width"], video["height"]) == (320, 180)  # the fake provider's tiny 16:9
    link = studio.post(f"/assets/videos/{video['video_id']}/download_no_watermark")[1]["data"]["download_url"]
    assert fetch(studio, link).status_code == 200
    assert fetch(studio, link.replace("signature=", "signature=0")).status_code == 403
    assert fetch(studio, link.split("?")[0]).status_code == 403
    studio.app.extensions["skyriff"].clock().advance(minutes=61)
    response = fetch(studio, link)
    assert response.status_code == 403 and response.get_json()["code"] == 2002
    assert studio.raw.get("/v1/files/public/../private/x").status_code == 404


def test_a_failed_task_is_refunded_once(studio):
    _, body = studio.post("/tasks/create", {"prompt": "[fail] 违规内容", "duration_sec": 15, "ratio": "9:16",
                                            "model": "sora2Pro"})
    assert balance(studio) == 55
    for _ in range(4):
        work(studio, seconds=2)
    detail = studio.get(f"/tasks/{body['data']['task_id']}")[1]["data"]
    assert (detail["status"], detail["refunded"], detail["error_message"]) == (
        "FAILURE", True, "提示词或参考图不符合内容规范")
    assert balance(studio) == 100
    refunds = [i for i in studio.get("/wallet/ledgers")[1]["data"]["items"] if i["type"] == "gen_refund"]
    assert len(refunds) == 1


def test_square_videos_are_cropped(studio):
    studio.post("/tasks/create", {"prompt": "猫", "duration_sec": 10, "ratio": "1:1", "model": "sora2"})
    for _ in range(5):
        work(studio, seconds=2)
    video = studio.get("/assets/videos")[1]["data"]["items"][0]
    assert video["ratio"] == "1:1" and video["width"] == video["height"]
    assert probe(fetch(studio, video["watermarked_play_url"]).data).width == video["width"]


def test_task_rules_over_http(studio):
    base = {"prompt": "猫", "duration_sec": 10, "ratio": "9:16", "model": "sora2"}
    for change, field in [({"duration_sec": 12}, "duration_sec"), ({"ratio": "4:3"}, "ratio"),
                          ({"model": "sora3"}, "model"), ({"prompt": ""}, "prompt"), ({"duration_sec": "10"},
                                                                                    "duration_sec")]:
        status, body = studio.post("/tasks/create", {**base, **change})
        assert (status, body["data"]["field"]) == (400, field), change
    for _ in range(3):
        assert studio.post("/tasks/create", base)[0] == 200
    status, body = studio.post("/tasks/create", base)
    assert (status, body["code"]) == (409, 2008)
    assert studio.post("/tasks/create", {**base, "project_id": 999})[1]["code"] in (2007, 2008)
    page = studio.get("/tasks?limit=2")[1]["data"]
    assert len(page["items"]) == 2 and page["has_more"] is True
    rest = studio.get(f"/tasks?limit=2&cursor={page['next_cursor']}")[1]["data"]
    assert len(rest["items"]) == 1 and rest["has_more"] is False
    assert studio.get("/tasks?status=SUCCESS")[1]["data"]["items"] == []
    assert studio.get("/tasks?status=DONE")[1]["data"]["field"] == "status"


def test_poor_users_are_told_what_they_lack(client):
    client.login()
    status, body = client.post("/tasks/create", {"prompt": "猫", "duration_sec": 25, "ratio": "9:16",
                                                 "model": "sora2Pro"})
    assert (status, body["code"], body["data"]) == (409, 2001, {"current_balance": 0, "required": 75})


def test_projects(studio):
    status, body = studio.post("/projects", {"name": "我的第一个项目"})
    assert (status, body["message"], body["data"]["video_count"]) == (200, "创建成功", 0)
    pid = body["data"]["project_id"]
    studio.post("/tasks/create", {"prompt": "猫", "duration_sec": 10, "ratio": "9:16", "model": "sora2",
                                  "project_id": pid})
    for _ in range(5):
        work(studio, seconds=2)
    listed = studio.get("/projects")[1]["data"]["items"]
    assert [(p["name"], p["video_count"]) for p in listed] == [("我的第一个项目", 1)]
    assert len(studio.get(f"/assets/videos?project_id={pid}")[1]["data"]["items"]) == 1
    status, body = studio.call("PATCH", f"/projects/{pid}", json={"name": "新名字"})
    assert (status, body["message"], body["data"]["name"], body["data"]["video_count"]) == (200, "更新成功", "新名字", 1)
    assert studio.post("/projects", {"name": ""})[1]["data"]["field"] == "name"
    studio.login("13900000000", "654321")
    assert studio.call("PATCH", f"/projects/{pid}", json={"name": "x"})[1]["code"] == 2002
