
import pytest

from skyriff_domain.errors import IdempotencyConflict, InvalidRequest
from tests.support.usecases import idempotency


def test_first_use_goes_ahead_and_a_retry_replays(fakes):
    idem = idempotency(fakes)
    assert idem.begin(1, "k1", "fp") is None
    idem.finish(1, "k1", 200, b'{"ok":1}')
    record = idem.begin(1, "k1", "fp")
    assert (record.status, record.body) == (200, b'{"ok":1}')


def test_same_key_other_body_is_refused(fakes):
    idem = idempotency(fakes)
    idem.begin(1, "k1", "fp")
    idem.finish(1, "k1", 200, b"{}")
    with pytest.raises(InvalidRequest) as err:
        idem.begin(1, "k1", "other")
    assert err.value.field == "Idempotency-Key"


def test_keys_are_per_user(fakes):
    idem = idempotency(fakes)
    idem.begin(1, "k1", "fp")
    assert idem.begin(2, "k1", "fp") is None


def test_a_request_still_running_is_a_conflict(fakes):
    idem = idempotency(fakes)
    idem.begin(1, "k1", "fp")
    with pytest.raises(IdempotencyConflict):
        idem.begin(1, "k1", "fp")


def test_an_abandoned_request_can_be_retried(fakes):
    idem = idempotency(fakes)
    idem.begin(1, "k1", "fp")
    idem.abandon(1, "k1")
    assert idem.begin(1, "k1", "fp") is None


def test_keys_live_24_hours(fakes):
    idem = idempotency(fakes)
    idem.begin(1, "k1", "fp")
    idem.finish(1, "k1", 200, b"{}")
    fakes.clock.advance(hours=23, minutes=59)
    assert idem.begin(1, "k1", "fp") is not None
    fakes.clock.advance(minutes=2)
    assert fakes.idempotency.purge(fakes.clock.now()) == 1
    assert idem.begin(1, "k1", "other body now fine") is None


@pytest.mark.parametrize("key", ["", "x" * 256, "中文", "a\nb"])
def test_malformed_keys(fakes, key):
    with pytest.raises(InvalidRequest):
        idempotency(fakes).begin(1, key, "fp")
