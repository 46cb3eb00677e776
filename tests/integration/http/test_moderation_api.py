"""Moderation over HTTP on the embedded defaults (the local moderator, the fake provider, real ffmpeg), with the
operator's `skyriff` commands run from a second container — another process's view of the same database."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from entrypoints.cli import main
from entrypoints.container import PURGE_REACHES_EVERY_PROCESS_WITHIN
from tests.support.http import make_client, make_container
from tests.support.usecases import buy_pack_on

A_PHONE, B_PHONE, C_PHONE = ("13800138000", "123456"), ("13900000000", "654321"), ("13700000000", "111111")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request):
    """A creator (A) and two fans (B, C) with credits; the API and the command line each with a real shared page
    cache on a clock that stands still, so only a purge can retire a cached page."""
    engine = request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")
    client = make_client(engine, test_phones=dict((A_PHONE, B_PHONE, C_PHONE)))
    api = client.app.extensions["skyriff"]
    api.page_cache.reset_override()
    cli = make_container(engine, clock=api.clock(), storage_dir=api.settings().storage_dir)  # one file store
    cli.page_cache.reset_override()
    users = {}
    for name, phone in (("A", A_PHONE), ("B", B_PHONE), ("C", C_PHONE)):
        user = client.login(*phone)
        users[name] = (client.token, user["user_id"])
        buy_pack_on(api.uow(), api.payments(), user["user_id"], "10.00", credits=200)
    client.token = users["A"][0]
    return client, cli, users


def run(client, passes=6):
    container = client.app.extensions["skyriff"]
    for _ in range(passes):
        container.clock().advance(seconds=2)
        container.task_runner().run_once()


def video(client, prompt="一只可爱的橘猫在草地上奔跑"):
    status, body = client.post("/tasks/create", {"prompt": prompt, "duration_sec": 10, "ratio": "9:16",
                                                 "model": "sora2"})
    assert status == 200, body
    run(client)
    return client.get(f"/tasks/{body['data']['task_id']}")[1]["data"]


def another_process_purged() -> None:
    """The CLI is another process: its purge reaches the API's pages within a quarter second."""
    time.sleep(PURGE_REACHES_EVERY_PROCESS_WITHIN + 0.05)


def feed_ids(client, token=None):
    return {tab: [i["work_id"] for i in client.get(f"/feed?tab={tab}", token=token)[1]["data"]["items"]]
            for tab in ("discover", "hot", "rank")}


def balance(client):
    return client.get("/me/wallets")[1]["data"]["credits"]["balance"]


def test_a_blocked_prompt_is_422_2009_and_charges_nothing(world):
    client, cli, users = world
    before = balance(client)
    status, body = client.post("/tasks/create", {"prompt": "一只猫 [block]", "duration_sec": 10, "ratio": "9:16",
                                                 "model": "sora2"})
    assert (status, body["code"], body["message"], body["data"]) == (422, 2009, "内容不符合社区规范",
                                                                     {"field": "prompt"})
    assert balance(client) == before
    assert client.get("/tasks")[1]["data"]["items"] == []


def test_a_held_title_waits_in_review_until_an_operator_passes_it(world, capsys):
    client, cli, users = world
    task = video(client)
    status, body = client.post("/works/publish", {"video_id": task["video_id"], "title": "小猫 [review]"})
    assert (status, body["data"]["review_status"], body["message"]) == (200, "reviewing", "已提交，审核通过后展示")
    work_id = body["data"]["work_id"]
    assert feed_ids(client, users["B"][0]) == {"discover": [], "hot": [], "rank": []}
    assert client.get(f"/works/{work_id}", token=users["B"][0])[1]["code"] == 2007
    mine = client.get(f"/works/{work_id}")[1]["data"]
    assert (mine["review_status"], mine["review_reason"]) == ("reviewing", None)
    assert client.get("/me/works")[1]["data"]["items"][0]["review_status"] == "reviewing"

    assert main(["moderation", "queue"], cli) == 0
    out = capsys.readouterr().out
    assert "1 open item(s)" in out and f"work {work_id}" in out and "listing" in out
    case_id = out.splitlines()[1].split("\t")[0].lstrip("#")
    assert main(["moderation", "pass", case_id, "--operator", "alice"], cli) == 0
    another_process_purged()
    assert f"case {case_id} (work {work_id}): passed by alice" in capsys.readouterr().out
    assert feed_ids(client, users["B"][0]) == {"discover": [work_id], "hot": [work_id], "rank": [work_id]}


def test_reports_then_a_takedown_empty_every_tab_and_an_appeal_restores(world, capsys):
    client, cli, users = world
    task = video(client)
    work_id = client.post("/works/publish", {"video_id": task["video_id"], "title": "可爱的小猫"})[1]["data"]["work_id"]
    assert feed_ids(client) == {"discover": [work_id], "hot": [work_id], "rank": [work_id]}  # cached now
    shown = client.get(f"/works/{work_id}")[1]["data"]
    links = [urlsplit(shown[k]).path for k in ("watermarked_play_url", "cover_url")]  # what a viewer could keep
    assert [client.raw.get(p).status_code for p in links] == [200, 200]

    assert client.post(f"/works/{work_id}/report", {"reason": "porn"})[1]["code"] == 2002  # my own work
    reported = {}
    for name, reason in (("B", "porn"), ("C", "violence")):
        status, body = client.post(f"/works/{work_id}/report", {"reason": reason, "detail": "不适合"},
                                   token=users[name][0])
        assert (status, body["message"], body["data"]["status"]) == (200, "举报成功", "open")
        reported[name] = body["data"]["report_id"]
    status, body = client.post(f"/works/{work_id}/report", {"reason": "fraud"}, token=users["B"][0])
    assert (status, body["code"], body["data"]["report_id"]) == (200, 0, reported["B"])

    assert main(["moderation", "queue"], cli) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert "porn×1, violence×1" in line
    case_id = line.split("\t")[0].lstrip("#")
    assert main(["moderation", "takedown", case_id, "--reason", "含有不适内容", "--operator", "bob"], cli) == 0
    another_process_purged()
    capsys.readouterr()

    assert feed_ids(client) == {"discover": [], "hot": [], "rank": []}  # within a quarter second: the very next request after it
    assert client.get(f"/works/{work_id}", token=users["B"][0])[1]["code"] == 2007
    mine = client.get(f"/works/{work_id}")[1]["data"]
    assert (mine["review_status"], mine["review_reason"]) == ("taken_down", "含有不适内容")
    assert [client.raw.get(p).status_code for p in links] == [404, 404]  # kept links stop working
    for name in ("B", "C"):
        [item] = client.get("/me/reports", token=users[name][0])[1]["data"]["items"]
        assert (item["report_id"], item["status"], item["work_id"]) == (reported[name], "upheld", work_id)
        assert item["resolved_at"] is not None

    assert client.post(f"/works/{work_id}/appeal", {"reason": "x"}, token=users["B"][0])[1]["code"] == 2007
    status, body = client.post(f"/works/{work_id}/appeal", {"reason": "这是原创作品，请复核"})
    assert (status, body["data"]["status"]) == (200, "open")
    appeal_id = body["data"]["appeal_id"]
    assert main(["appeals", "list"], cli) == 0
    assert f"{appeal_id}\twork {work_id}" in capsys.readouterr().out
    assert main(["appeals", "grant", str(appeal_id), "--operator", "carol"], cli) == 0
    another_process_purged()
    assert "granted by carol" in capsys.readouterr().out
    assert feed_ids(client) == {"discover": [work_id], "hot": [work_id], "rank": [work_id]}
    assert client.get(f"/works/{work_id}")[1]["data"]["review_status"] == "passed"
    assert [client.raw.get(p).status_code for p in links] == [200, 200]  # the same links work again


def test_blocked_and_held_outputs_on_the_fake_provider(world, capsys):
    client, cli, users = world
    before = balance(client)
    blocked = video(client, "一只猫 [block-output]")
    assert (blocked["status"], blocked["error_message"], blocked["refunded"], blocked["video_id"]) == (
        "FAILURE", "生成内容不符合社区规范", True, None)
    assert balance(client) == before
    refunds = [e for e in client.get("/wallet/ledgers")[1]["data"]["items"] if e["type"] == "gen_refund"]
    assert len(refunds) == 1

    held = video(client, "一只猫 [review-output]")
    assert held["status"] == "SUCCESS" and held["video_id"]
    status, body = client.post("/works/publish", {"video_id": held["video_id"], "title": "小猫"})
    assert (status, body["code"], body["message"]) == (409, 2008, "内容审核中")
    assert main(["moderation", "queue"], cli) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert "output" in line and f"video {held['video_id']}" in line and "test_card" in line
    assert main(["moderation", "pass", line.split("\t")[0].lstrip("#")], cli) == 0
    another_process_purged()
    status, body = client.post("/works/publish", {"video_id": held["video_id"], "title": "小猫"})
    assert (status, body["data"]["review_status"]) == (200, "passed")


def test_sanctions_from_the_command_line(world, capsys):
    client, cli, users = world
    task = video(client)
    _, b_id = users["B"]
    a_token, a_id = users["A"]
    assert main(["users", "sanction", str(a_id), "--suspend-days", "3", "--reason", "多次违规"], cli) == 0
    status, body = client.post("/works/publish", {"video_id": task["video_id"], "title": "小猫"})
    assert (status, body["code"], body["message"]) == (409, 2008, "发布功能已被暂停")
    assert body["data"]["until"].endswith("Z")
    assert main(["users", "sanction", str(b_id), "--warn", "--reason", "标题党"], cli) == 0
    assert main(["users", "sanction", str(b_id), "--ban", "--reason", "诈骗", "--operator", "dave"], cli) == 0
    assert client.get("/me", token=users["B"][0])[1]["code"] == 1004
    assert main(["users", "sanctions", str(b_id)], cli) == 0
    out = capsys.readouterr().out
    assert "warning" in out and "ban" in out and "by dave" in out


def test_profiles_are_moderated(world):
    client, cli, users = world
    status, body = client.patch("/me/profile", {"nickname": "坏人 [block]"})
    assert (status, body["code"], body["data"]) == (422, 2009, {"field": "nickname"})
    assert client.patch("/me/profile", {"bio": "代开发票"})[1]["data"] == {"field": "bio"}
    assert client.patch("/me/profile", {"nickname": "好人"})[1]["data"]["nickname"] == "好人"


@pytest.mark.parametrize("argv", [
    ["moderation", "takedown", "1"], ["moderation", "takedown", "video:3", "--reason", "x"],
    ["moderation", "pass", "work:3"], ["users", "sanction", "1", "--reason", "x"],
    ["users", "sanction", "1", "--warn", "--ban", "--reason", "x"], ["users", "sanction", "1", "--suspend-days", "0",
                                                                     "--reason", "x"],
    ["appeals", "deny", "1"], ["moderation", "pass", "1", "--operator", ""],
])
def test_bad_operator_commands_are_usage_errors(sqlite_engine, argv):
    with pytest.raises(SystemExit) as exited:
        main(argv, make_container(sqlite_engine))
    assert exited.value.code == 2


def test_deciding_an_unknown_case_is_an_error(sqlite_engine, capsys):
    assert main(["moderation", "pass", "424242"], make_container(sqlite_engine)) == 2
    assert "2007" in capsys.readouterr().err


def test_reporting_is_rate_limited(world):
    client, cli, users = world
    work_id = client.post("/works/publish", {"video_id": video(client)["video_id"], "title": "小猫"})[1]["data"][
        "work_id"]
    answers = [client.post(f"/works/{work_id}/report", {"reason": "other"}, token=users["B"][0]) for _ in range(11)]
    assert [status for status, _ in answers] == [200] * 10 + [429]
    assert answers[-1][1]["code"] == 1006
