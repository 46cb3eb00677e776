from datetime import datetime, timezone

import pytest

from adapters.providers.webhooks import WebhookRejected, sign, verify

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def headers(body, event_id="msg_1", ts=None, secret=SECRET):
    ts = int(NOW.timestamp()) if ts is None else ts
    return {"webhook-id": event_id, "webhook-timestamp": str(ts), "webhook-signature": sign(secret, event_id, ts, body)}


def test_standard_webhooks_reference_vector():
    # The example from the Standard Webhooks specification.
    body = b'{"test": 2432232314}'
    assert sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == \
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_valid_event():
    body = b'{"type": "video.completed", "data": {"id": "video_1"}}'
    event = verify(SECRET, headers(body), body, NOW)
    assert (event.event_id, event.type, event.video_id) == ("msg_1", "video.completed", "video_1")


def test_any_of_several_signatures_may_match():
    body = b'{"type": "video.failed", "data": {"id": "v"}}'
    h = headers(body)
    h["webhook-signature"] = "v1,AAAA " + h["webhook-signature"]
    assert verify(SECRET, h, body, NOW).type == "video.failed"


@pytest.mark.parametrize("change", ["body", "stale", "future", "secret", "missing", "not_json"])
def test_tampering_is_rejected(change):
    body = b'{"type": "video.completed", "data": {"id": "video_1"}}'
    h = headers(body, ts=int(NOW.timestamp()) - 301 if change == "stale" else
                int(NOW.timestamp()) + 301 if change == "future" else None,
                secret="whsec_b3RoZXI=" if change == "secret" else SECRET)
    if change == "body":
        body = body.replace(b"video_1", b"video_2")
    if change == "missing":
        del h["webhook-signature"]
    if change == "not_json":
        body = b"[]"
        h = headers(body)
    with pytest.raises(WebhookRejected):
        verify(SECRET, h, body, NOW)
