"""A locked prompt reaches nobody who did not buy it — not the remixer who paid only the fee, not the remixer of a
remix — wherever a prompt is rendered: the remix answer, the task list and detail (succeeded or failed and
refunded), the remix published as a work, the feed, the work detail, its prompt, and the logs."""
from __future__ import annotations

import logging

from tests.support.usecases import buy_pack_on

SECRET = "秘密配方：赛博朋克霓虹雨夜里的橘猫"
A_PHONE, B_PHONE, C_PHONE = ("13800138000", "123456"), ("13900000000", "654321"), ("13700000000", "111111")


def run_worker(client, passes=8):
    container = client.app.extensions["skyriff"]
    for _ in range(passes):
        container.clock().advance(seconds=2)
        container.task_runner().run_once()


def raw(client, method, path, json=None):
    response = client.raw.open(f"/v1{path}", method=method, json=json,
                               headers={"Authorization": f"Bearer {client.token}"})
    return response.get_data(as_text=True)


def publish(client, prompt_task_id, title, **listing):
    video_id = client.get(f"/tasks/{prompt_task_id}")[1]["data"]["video_id"]
    status, body = client.post("/works/publish", {"video_id": video_id, "title": title, **listing})
    assert status == 200, body
    return body["data"]["work_id"]


def test_a_locked_prompt_is_rendered_nowhere_to_remixers(sqlite_engine, caplog):
    from tests.support.http import make_client

    client = make_client(sqlite_engine, test_phones={p: c for p, c in (A_PHONE, B_PHONE, C_PHONE)})
    container = client.app.extensions["skyriff"]
    tokens = {}
    for name, phone in (("A", A_PHONE), ("B", B_PHONE), ("C", C_PHONE)):
        user = client.login(*phone)
        tokens[name] = client.token
        buy_pack_on(container.uow(), container.payments(), user["user_id"], "10.00", credits=200)
    caplog.set_level(logging.DEBUG)

    client.token = tokens["A"]
    task = client.post("/tasks/create", {"prompt": SECRET, "duration_sec": 10, "ratio": "9:16", "model": "sora2"})
    run_worker(client)
    original = publish(client, task[1]["data"]["task_id"], "霓虹猫", is_prompt_locked=True, prompt_price_credits=5,
                       remix_fee_credits=2)

    client.token = tokens["B"]
    seen = [raw(client, "POST", f"/works/{original}/remix",
                {"prompt_delta": "加一把伞", "duration_sec": 10, "ratio": "9:16", "model": "sora2"})]
    seen.append(raw(client, "POST", f"/works/{original}/remix",
                    {"prompt_delta": "[fail]", "duration_sec": 10, "ratio": "9:16", "model": "sora2"}))
    run_worker(client)
    tasks = client.get("/tasks")[1]["data"]["items"]
    assert {t["status"] for t in tasks} == {"SUCCESS", "FAILURE"}
    assert next(t for t in tasks if t["status"] == "FAILURE")["refunded"] is True
    seen += [raw(client, "GET", "/tasks")] + [raw(client, "GET", f"/tasks/{t['task_id']}") for t in tasks]
    remix_task = next(t for t in tasks if t["status"] == "SUCCESS")
    assert remix_task["prompt"] == "二创《霓虹猫》：加一把伞"
    remix_work = publish(client, remix_task["task_id"], "雨伞猫")  # its prompt is free for everyone
    seen += [raw(client, "GET", f"/works/{remix_work}/prompt"), raw(client, "POST", f"/works/{remix_work}/prompt/unlock"),
             raw(client, "GET", f"/works/{remix_work}"), raw(client, "GET", f"/works/{original}"),
             raw(client, "GET", "/feed?tab=discover"), raw(client, "GET", "/me/works")]

    client.token = tokens["C"]  # the remixer of the remix
    seen.append(raw(client, "POST", f"/works/{remix_work}/remix",
                    {"prompt_delta": "再加一只狗", "duration_sec": 10, "ratio": "9:16", "model": "sora2"}))
    run_worker(client)
    seen += [raw(client, "GET", "/tasks"), raw(client, "GET", f"/works/{remix_work}/prompt")]
    assert client.get("/tasks")[1]["data"]["items"][0]["prompt"] == "二创《霓虹猫》：加一把伞\n再加一只狗"

    for text in seen:
        assert SECRET not in text, text
    for record in caplog.records:
        assert SECRET not in record.getMessage(), record.getMessage()
    client.token = tokens["A"]  # the owner still sees their own prompt
    assert client.get(f"/works/{original}/prompt")[1]["data"] == {"locked": False, "prompt_text": SECRET}
