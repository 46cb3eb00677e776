"""Redis stores beyond the contract: state shared between processes, atomic under races, nothing left lingering,
and garbage in Redis treated as absent (reads ignore it, writes replace it)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
import redis

from adapters.redis_stores import GC_MARGIN, RedisOAuthStates, RedisRateLimiter, RedisSmsCodes
from skyriff_domain.model.auth import Attempt, SmsChallenge, WeChatPlatform
from tests.support.redis import connect

pytestmark = pytest.mark.redis

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)  # far from the real clock, on purpose
FUTURE = datetime(2031, 6, 1, tzinfo=timezone.utc)
PHONE = "13800138000"
THREADS = 20


@pytest.fixture
def second_client():
    """Another connection pool: a second API process."""
    client = connect()
    yield client
    client.close()


def race(make: Callable[[redis.Redis], Callable[[], object]]) -> list[object]:
    """Run THREADS callables at once, each built on its own client (as separate processes would be)."""
    clients = [connect() for _ in range(THREADS)]
    calls = [make(c) for c in clients]
    barrier, results, lock = threading.Barrier(THREADS), [], threading.Lock()

    def run(call):
        barrier.wait()
        result = call()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for c in clients:
        c.close()
    assert len(results) == THREADS
    return results


def test_two_processes_share_codes_states_and_counters(redis_keys, second_client):
    client, prefix = redis_keys
    a_codes, b_codes = RedisSmsCodes(client, prefix), RedisSmsCodes(second_client, prefix)
    a_codes.put(SmsChallenge(PHONE, "h1", NOW + timedelta(minutes=5)))
    assert b_codes.get(PHONE) == SmsChallenge(PHONE, "h1", NOW + timedelta(minutes=5))
    assert b_codes.attempt(PHONE, "bad", NOW, 5) is Attempt.WRONG and a_codes.get(PHONE).attempts == 1
    assert b_codes.attempt(PHONE, "h1", NOW, 5) is Attempt.MATCHED and a_codes.get(PHONE) is None

    RedisOAuthStates(client, prefix).put("s1", WeChatPlatform.APP, NOW + timedelta(minutes=10))
    assert RedisOAuthStates(second_client, prefix).take("s1", NOW) is WeChatPlatform.APP
    assert RedisOAuthStates(client, prefix).take("s1", NOW) is None

    a_limits, b_limits = RedisRateLimiter(client, prefix), RedisRateLimiter(second_client, prefix)
    ends = NOW + timedelta(hours=1)
    assert [a_limits.hit("ip:1", ends, NOW), b_limits.hit("ip:1", ends, NOW)] == [1, 2]
    assert a_limits.cooldown("p", timedelta(seconds=60), NOW) == 0
    assert b_limits.cooldown("p", timedelta(seconds=60), NOW + timedelta(seconds=59, microseconds=1)) == 1


def test_a_code_is_consumed_exactly_once_under_a_race(redis_keys):
    client, prefix = redis_keys
    RedisSmsCodes(client, prefix).put(SmsChallenge(PHONE, "h1", NOW + timedelta(minutes=5)))
    results = race(lambda c: lambda: RedisSmsCodes(c, prefix).attempt(PHONE, "h1", NOW, 5))
    assert results.count(Attempt.MATCHED) == 1 and results.count(Attempt.REFUSED) == THREADS - 1


def test_wrong_tries_from_many_processes_stop_at_the_limit(redis_keys):
    client, prefix = redis_keys
    RedisSmsCodes(client, prefix).put(SmsChallenge(PHONE, "h1", NOW + timedelta(minutes=5)))
    results = race(lambda c: lambda: RedisSmsCodes(c, prefix).attempt(PHONE, "bad", NOW, 5))
    assert results.count(Attempt.WRONG) == 5 and results.count(Attempt.REFUSED) == THREADS - 5
    assert RedisSmsCodes(client, prefix).get(PHONE).attempts == 5


def test_one_cooldown_starts_under_a_race(redis_keys):
    _, prefix = redis_keys
    results = race(lambda c: lambda: RedisRateLimiter(c, prefix).cooldown("p", timedelta(seconds=60), NOW))
    assert results.count(0) == 1 and results.count(60) == THREADS - 1


def test_hits_count_each_number_once_under_a_race(redis_keys):
    _, prefix = redis_keys
    ends = NOW + timedelta(hours=1)
    results = race(lambda c: lambda: RedisRateLimiter(c, prefix).hit("ip:1", ends, NOW))
    assert sorted(results) == list(range(1, THREADS + 1))


def test_an_oauth_state_is_taken_once_under_a_race(redis_keys):
    client, prefix = redis_keys
    RedisOAuthStates(client, prefix).put("s1", WeChatPlatform.WEB, NOW + timedelta(minutes=10))
    results = race(lambda c: lambda: RedisOAuthStates(c, prefix).take("s1", NOW))
    assert results.count(WeChatPlatform.WEB) == 1 and results.count(None) == THREADS - 1


def test_every_key_carries_a_ttl(redis_keys):
    """Nothing lingers: a record's key lives until its own end (by the real clock) plus GC_MARGIN."""
    client, prefix = redis_keys
    margin_ms = GC_MARGIN // timedelta(milliseconds=1)
    RedisSmsCodes(client, prefix).put(SmsChallenge(PHONE, "h1", NOW + timedelta(minutes=5)))  # long past
    RedisOAuthStates(client, prefix).put("s1", WeChatPlatform.WEB, FUTURE)
    limiter = RedisRateLimiter(client, prefix)
    limiter.hit("ip:1", NOW + timedelta(hours=1), NOW)
    limiter.cooldown("p", timedelta(seconds=60), NOW)
    assert 0 < client.pttl(f"{prefix}sms:{PHONE}") <= margin_ms
    assert 0 < client.pttl(f"{prefix}rate:ip:1") <= margin_ms
    assert 0 < client.pttl(f"{prefix}cooldown:p") <= margin_ms
    real_left_ms = (FUTURE - datetime.now(timezone.utc)) // timedelta(milliseconds=1)
    slack_ms = 2000  # the store rounds to whole milliseconds and a busy machine takes a while between calls
    assert real_left_ms - slack_ms < client.pttl(f"{prefix}oauth:s1") <= real_left_ms + margin_ms + slack_ms
    assert RedisSmsCodes(client, prefix).attempt(PHONE, "bad", NOW, 5) is Attempt.WRONG
    assert client.pttl(f"{prefix}sms:{PHONE}") > 0  # counting a wrong try keeps the TTL
    assert RedisSmsCodes(client, prefix).add(SmsChallenge("13900000000", "h1", NOW + timedelta(minutes=5)), NOW)
    assert 0 < client.pttl(f"{prefix}sms:13900000000") <= margin_ms


def test_decisions_follow_the_clock_passed_in_not_redis(redis_keys):
    """A code far in the future has a long TTL, yet it is expired once the passed clock reaches its end."""
    client, prefix = redis_keys
    codes = RedisSmsCodes(client, prefix)
    codes.put(SmsChallenge(PHONE, "h1", FUTURE))
    assert codes.attempt(PHONE, "h1", FUTURE, 5) is Attempt.REFUSED
    assert codes.attempt(PHONE, "h1", FUTURE - timedelta(microseconds=1), 5) is Attempt.MATCHED


def test_purge_touches_only_its_own_prefix(redis_keys, second_client):
    client, prefix = redis_keys
    other = prefix + "other:"  # a different store sharing the server: "{prefix}sms:*" must not match it
    RedisSmsCodes(client, prefix).put(SmsChallenge(PHONE, "h1", NOW))
    RedisSmsCodes(second_client, other).put(SmsChallenge(PHONE, "h1", NOW))
    assert RedisSmsCodes(client, prefix).purge(NOW) == 1
    assert RedisSmsCodes(second_client, other).get(PHONE) is not None


def test_garbage_is_treated_as_absent_and_replaced_by_writes(redis_keys):
    client, prefix = redis_keys
    codes, states = RedisSmsCodes(client, prefix), RedisOAuthStates(client, prefix)
    limiter = RedisRateLimiter(client, prefix)
    client.rpush(f"{prefix}sms:{PHONE}", "junk")  # wrong type
    client.hset(f"{prefix}sms:13900000000", "code_hash", "h1")  # right type, fields missing
    client.hset(f"{prefix}oauth:s1", "junk", "1")
    client.set(f"{prefix}oauth:s2", "desktop not-a-time")
    client.sadd(f"{prefix}rate:ip:1", "junk")
    client.hset(f"{prefix}cooldown:p", "junk", "1")
    assert codes.get(PHONE) is None and codes.get("13900000000") is None
    assert codes.attempt(PHONE, "h1", NOW, 5) is Attempt.REFUSED
    assert codes.attempt("13900000000", "h1", NOW, 5) is Attempt.REFUSED
    assert states.take("s1", NOW) is None and states.take("s2", NOW) is None
    assert codes.purge(NOW + timedelta(days=1)) == 0 and limiter.purge(NOW + timedelta(days=1)) == 0
    assert client.type(f"{prefix}sms:{PHONE}") == "list"  # reads left the garbage alone

    codes.put(SmsChallenge(PHONE, "h1", NOW + timedelta(minutes=5)))
    assert codes.attempt(PHONE, "h1", NOW, 5) is Attempt.MATCHED
    assert codes.add(SmsChallenge("13900000000", "h1", NOW + timedelta(minutes=5)), NOW)  # replaces garbage
    assert codes.attempt("13900000000", "h1", NOW, 5) is Attempt.MATCHED
    assert limiter.hit("ip:1", NOW + timedelta(hours=1), NOW) == 1
    assert limiter.hit("ip:1", NOW + timedelta(hours=1), NOW) == 2
    assert limiter.cooldown("p", timedelta(seconds=60), NOW) == 0
    assert limiter.cooldown("p", timedelta(seconds=60), NOW) == 60
