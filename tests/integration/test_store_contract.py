"""Challenge stores, rate limiter and idempotency store behave the same in memory, in SQL and in Redis."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs

from skyriff_domain.model.auth import Attempt, SmsChallenge, WeChatPlatform
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
    store.finish("user:1", "k", 200, b'{"code":0}')
    done = store.claim("user:1", "k", "fp", NOW, day)
    assert (done.status, done.body) == (200, b'{"code":0}')
    assert store.claim("user:2", "k", "fp", NOW, day) is None
    store.release("user:2", "k")
    assert store.claim("user:2", "k", "fp2", NOW, day) is None
    assert store.claim("user:1", "k", "new", NOW + day, day) is None  # expired: taken over
    assert store.purge(NOW + 2 * day) == 2
