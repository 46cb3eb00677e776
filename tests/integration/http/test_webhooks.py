"""Provider webhooks over HTTP: signed events nudge an immediate poll, once per event id."""
from __future__ import annotations

import json

from adapters.providers.webhooks import sign
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from tests.support.http import make_client

SECRET = "whsec_" + "c2VjcmV0LWtleS1mb3Itd2ViaG9va3M="


def post_event(client, event_type, video_id, event_id="evt_1", at=None, secret=SECRET, provider="fake"):
    now = int((at or client.app.extensions["skyriff"].clock().now()).timestamp())
    body = json.dumps({"id": event_id, "object": "event", "type": event_type, "data": {"id": video_id}}).encode()
    headers = {"webhook-id": event_id, "webhook-timestamp": str(now),
               "webhook-signature": sign(secret, event_id, now, body), "Content-Type": "application/json"}
    response = client.raw.post(f"/v1/providers/{provider}/webhooks", data=body, headers=headers)
    return response.status_code, response.get_json()


def running_task(client):
    me = client.login()
    container = client.app.extensions["skyriff"]
    container.wallets().grant_credits(me["user_id"], Credits(50), LedgerType.RECHARGE, "充值")
    task_id = client.post("/tasks/create", {"prompt": "猫", "duration_sec": 10, "ratio": "9:16",
                                            "model": "sora2"})[1]["data"]["task_id"]
    container.task_runner().run_once()  # submitted; next poll in a second or so
    with container.uow()() as uow:
        return uow.tasks.get(task_id)


def test_a_signed_event_polls_the_task_now(sqlite_engine):
    client = make_client(sqlite_engine, video_webhook_secret=SECRET)
    task = running_task(client)
    jobs = client.app.extensions["skyriff"].job_queue()
    assert post_event(client, "video.completed", task.upstream_id) == (200, {"code": 0, "message": "success",
                                                                             "data": {"result": "polled"}})
    assert jobs.changed == [task.id]
    with client.app.extensions["skyriff"].uow()() as uow:
        assert uow.tasks.get(task.id).next_poll_at == client.app.extensions["skyriff"].clock().now()
    assert post_event(client, "video.completed", task.upstream_id)[1]["data"]["result"] == "duplicate"
    assert post_event(client, "video.completed", "no-such-job", event_id="evt_2")[1]["data"]["result"] == "unknown"
    assert post_event(client, "video.created", task.upstream_id, event_id="evt_3")[1]["data"]["result"] == "ignored"


def test_bad_signatures_and_stale_events_are_refused(sqlite_engine):
    from datetime import timedelta

    client = make_client(sqlite_engine, video_webhook_secret=SECRET)
    task = running_task(client)
    assert post_event(client, "video.completed", task.upstream_id, secret="whsec_b3RoZXI=")[0] == 400
    stale = client.app.extensions["skyriff"].clock().now() - timedelta(minutes=6)
    assert post_event(client, "video.completed", task.upstream_id, event_id="evt_9", at=stale)[0] == 400
    assert post_event(client, "video.completed", task.upstream_id, provider="nobody")[0] == 404


def test_webhooks_are_off_without_a_secret(sqlite_engine):
    client = make_client(sqlite_engine)
    assert post_event(client, "video.completed", "x")[0] == 404
