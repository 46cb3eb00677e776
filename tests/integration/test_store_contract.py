"""Challenge stores, rate limiter and idempotency store behave the same in memory, in SQL and in Redis."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from adapters.clock import FixedClock
from skyriff_domain.errors import IdempotencyConflict, InvalidRequest
from skyriff_domain.model.auth import Attempt, SmsChallenge, WeChatPlatform
from skyriff_domain.policy import Policy
from skyriff_domain.services.idempotency import Idempotency
from tests.support.concurrency import race

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
ALSO_ON_REDIS = True  # conftest adds a "redis" backend: the Redis SMS code, OAuth state and rate limit stores
THREADS = 20


def test_sms_code_consumed_once(backend):
    codes = backend.codes
    codes.put(SmsChallenge("13800138000", "h1", NOW + timedelta(minutes=5)))
    assert codes.get("13800138000").code_hash == "h1"
    assert codes.attempt("13800138000", "wrong", NOW, 5) is Attempt.WRONG
    assert codes.attempt("13800138000", "h1", NOW, 5) is Attempt.MATCHED
    assert codes.attempt("13800138000", "h1", NOW, 5) is Attempt.REFUSED
    assert codes.get("13800138000") is None


def test_sms_code_expiry_and_attempts(backend):
    codes = backend.codes
    codes.put(SmsChallenge("13800138000", "h1", NOW + timedelta(minutes=5)))
    assert codes.attempt("13800138000", "h1", NOW + timedelta(minutes=5), 5) is Attempt.REFUSED  # expired
    assert [codes.attempt("13800138000", "bad", NOW, 3) for _ in range(4)] == [Attempt.WRONG] * 3 + [Attempt.REFUSED]
    assert codes.get("13800138000").attempts == 3  # a refused try is not counted, and the dead code stays
    assert codes.attempt("13800138000", "h1", NOW, 3) is Attempt.REFUSED  # out of tries: even the right code
    codes.put(SmsChallenge("13800138000", "h2", NOW + timedelta(minutes=5)))  # a new code resets attempts
    assert codes.attempt("13800138000", "h2", NOW, 3) is Attempt.MATCHED
    assert codes.attempt("13800138000", "h2", NOW, 3) is Attempt.REFUSED
    assert codes.attempt("13900000000", "h2", NOW, 3) is Attempt.REFUSED  # no code at all


def test_sms_code_added_only_where_none_is_live(backend):
    codes = backend.codes
    first = SmsChallenge("13800138000", "h1", NOW + timedelta(minutes=5))
    assert codes.add(first, NOW)
    assert not codes.add(SmsChallenge("13800138000", "h2", NOW + timedelta(minutes=9)), NOW)
    codes.attempt("13800138000", "bad", NOW, 1)
    assert not codes.add(SmsChallenge("13800138000", "h2", NOW + timedelta(minutes=9)), NOW)  # dead, still live
    assert codes.get("13800138000") == attrs.evolve(first, attempts=1)
    later = NOW + timedelta(minutes=5)  # expired: taken over, with fresh tries
    assert codes.add(SmsChallenge("13800138000", "h2", later + timedelta(minutes=5)), later)
    assert codes.attempt("13800138000", "h2", later, 1) is Attempt.MATCHED
    assert codes.add(SmsChallenge("13800138000", "h3", later + timedelta(minutes=5)), later)  # used up: gone


def test_concurrent_tries_compare_at_most_max_attempts_guesses(backend):
    """Tries released together by a barrier: however they interleave, only `max_attempts` are compared."""
    codes = backend.codes
    codes.put(SmsChallenge("13800138000", "h1", NOW + timedelta(minutes=5)))
    outcomes = race(THREADS, lambda: codes.attempt("13800138000", "bad", NOW, 5))
    assert (outcomes.count(Attempt.WRONG), outcomes.count(Attempt.REFUSED)) == (5, THREADS - 5), outcomes
    assert codes.attempt("13800138000", "h1", NOW, 5) is Attempt.REFUSED  # the right code is dead too


def test_expired_codes_and_counters_are_purged(backend):
    backend.codes.put(SmsChallenge("13800138000", "h1", NOW + timedelta(minutes=5)))
    backend.codes.put(SmsChallenge("13900000000", "h2", NOW + timedelta(minutes=10)))
    backend.limiter.hit("k", NOW + timedelta(minutes=5), NOW)
    backend.limiter.cooldown("c", timedelta(minutes=1), NOW)
    later = NOW + timedelta(minutes=5)
    assert backend.codes.purge(later) == 1 and backend.codes.get("13900000000") is not None
    assert backend.limiter.purge(later) == 2


def test_oauth_state_is_single_use_and_expires(backend):
    states = backend.states
    states.put("s1", WeChatPlatform.WEB, NOW + timedelta(minutes=10))
    states.put("s2", WeChatPlatform.APP, NOW + timedelta(minutes=10))
    assert states.take("s1", NOW) is WeChatPlatform.WEB
    assert states.take("s1", NOW) is None
    assert states.take("s2", NOW + timedelta(minutes=10)) is None
    assert states.take("unknown", NOW) is None


def test_rate_counter_counts_until_its_window_ends(backend):
    limiter = backend.limiter
    ends = NOW + timedelta(hours=1)
    assert [limiter.hit("ip:1", ends, NOW) for _ in range(3)] == [1, 2, 3]
    assert limiter.hit("ip:2", ends, NOW) == 1
    assert limiter.hit("ip:1", ends + timedelta(hours=1), ends) == 1  # past its end: counting starts again
    assert limiter.hit("ip:1", ends + timedelta(hours=1), ends) == 2


def test_keys_longer_than_the_column_still_count(backend):
    """Keys carry caller-supplied parts (a forwarded IP, a webhook id); a long one must not fail the insert."""
    limiter, ends = backend.limiter, NOW + timedelta(hours=1)
    long_a, long_b = "ip:" + "a" * 500, "ip:" + "a" * 499 + "b"
    assert [limiter.hit(long_a, ends, NOW), limiter.hit(long_a, ends, NOW), limiter.hit(long_b, ends, NOW)] == [1, 2, 1]
    assert limiter.cooldown(long_a, timedelta(seconds=60), NOW) == 0
    assert limiter.cooldown(long_a, timedelta(seconds=60), NOW) == 60


def test_cooldown(backend):
    limiter = backend.limiter
    minute = timedelta(seconds=60)
    assert limiter.cooldown("p", minute, NOW) == 0
    assert limiter.cooldown("p", minute, NOW + timedelta(seconds=20)) == 40
    assert limiter.cooldown("p", minute, NOW + timedelta(seconds=60)) == 0
    assert limiter.cooldown("q", minute, NOW) == 0


def test_idempotency_claim_finish_release_expire(backend):
    store = backend.idempotency
    day = timedelta(hours=24)
    assert store.claim("user:1", "k", "fp", NOW, day) is None
    running = store.claim("user:1", "k", "fp", NOW, day)
    assert running.fingerprint == "fp" and not running.finished
    store.finish("user:1", "k", 200, b'{"code":0}', NOW + day)
    done = store.claim("user:1", "k", "fp", NOW, day)
    assert (done.status, done.body) == (200, b'{"code":0}')
    assert store.claim("user:2", "k", "fp", NOW, day) is None
    store.release("user:2", "k")
    assert store.claim("user:2", "k", "fp2", NOW, day) is None
    assert store.claim("user:1", "k", "new", NOW + day, day) is None  # expired: taken over
    assert store.purge(NOW + 2 * day) == 2


def test_idempotency_a_claim_whose_request_died_is_taken_over_after_its_lease(backend):
    """A request that dies between claiming a key and storing its answer blocks retries only for the lease;
    within it a duplicate is still 2008, and a finished answer is replayed for the full 24 hours."""
    clock = FixedClock(NOW)
    idem = Idempotency(backend.idempotency, clock, Policy())
    lease, ttl = Policy().idempotency_lease, Policy().idempotency_ttl
    assert timedelta(seconds=30) <= lease <= timedelta(minutes=5) and ttl == timedelta(hours=24)
    assert idem.begin(1, "k", "fp") is None  # the first request claims the key, then its process dies
    clock.advance(seconds=lease.total_seconds() - 1)
    with pytest.raises(IdempotencyConflict):
        idem.begin(1, "k", "fp")  # within the lease: a concurrent duplicate
    clock.advance(seconds=1)
    assert idem.begin(1, "k", "fp") is None  # the lease ran out: the retry takes the key over and runs
    with pytest.raises(IdempotencyConflict):
        idem.begin(1, "k", "fp")  # and holds a fresh lease of its own
    idem.finish(1, "k", 201, b'{"code":0}')
    finished = clock.now()
    clock.at = finished + ttl - timedelta(seconds=1)
    replayed = idem.begin(1, "k", "fp")
    assert (replayed.status, replayed.body) == (201, b'{"code":0}')
    with pytest.raises(InvalidRequest):
        idem.begin(1, "k", "another body")
    clock.at = finished + ttl
    assert backend.idempotency.purge(clock.now()) == 1
    assert idem.begin(1, "k", "another body") is None


def test_idempotency_dead_claims_are_purged_after_their_lease(backend):
    clock = FixedClock(NOW)
    idem = Idempotency(backend.idempotency, clock, Policy())
    idem.begin(1, "dead", "fp")
    idem.begin(1, "done", "fp")
    idem.finish(1, "done", 200, b"{}")
    clock.advance(seconds=Policy().idempotency_lease.total_seconds())
    assert backend.idempotency.purge(clock.now()) == 1
    assert idem.begin(1, "done", "fp").status == 200


def test_a_lease_is_held_by_one_holder_until_handed_on_or_expired(backend):
    leases, until = backend.leases, NOW + timedelta(seconds=90)
    assert leases.take("poll-chain:1", 11, until, NOW)
    assert not leases.take("poll-chain:1", 12, until, NOW)  # alive: no second holder
    assert not leases.take("poll-chain:1", 12, until, NOW, previous=99)  # a stale holder cannot hand it on
    assert leases.take("poll-chain:2", 21, until, NOW)  # names are independent
    assert leases.take("poll-chain:1", 13, until + timedelta(seconds=5), NOW, previous=11)  # handed on
    assert not leases.take("poll-chain:1", 14, until, NOW, previous=11)  # only once
    assert leases.take("poll-chain:1", 15, until + timedelta(seconds=10), until + timedelta(seconds=5))  # expired
    assert leases.purge(until + timedelta(seconds=5)) == 1  # poll-chain:2 only
    assert leases.purge(until + timedelta(seconds=10)) == 1
    assert leases.take("poll-chain:1", 2**31 - 1, until, NOW)  # tokens are 31-bit


def test_expired_leases_do_not_count_as_rate_counters_and_vice_versa(backend):
    backend.limiter.hit("k", NOW + timedelta(minutes=5), NOW)
    backend.leases.take("poll-chain:1", 1, NOW + timedelta(minutes=1), NOW)
    assert backend.leases.purge(NOW + timedelta(minutes=10)) == 1
    assert backend.limiter.hit("k", NOW + timedelta(minutes=5), NOW) == 2
