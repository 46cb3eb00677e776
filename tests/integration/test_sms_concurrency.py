"""Concurrent SMS login guesses on PostgreSQL and on Redis: however the tries interleave, a code compares at
most 5 of them, and the right code fails once they are spent."""
from __future__ import annotations

import threading

import attrs
import pytest

from adapters.redis_stores import RedisRateLimiter, RedisSmsCodes
from adapters.sqlalchemy.stores import SqlRateLimiter, SqlSmsCodes
from skyriff_domain.errors import SmsCodeInvalid
from skyriff_domain.model.auth import Attempt
from skyriff_domain.policy import AuthPolicy, Policy
from skyriff_domain.ports import SmsCodeStore
from tests.support.concurrency import race
from tests.support.fakes import Fakes
from tests.support.usecases import sms_login

PHONE, FIXED = "13800138000", "123456"
THREADS = 20


class CountingCodes(SmsCodeStore):
    """The real store, recording what each try did."""

    def __init__(self, inner: SmsCodeStore) -> None:
        self.inner = inner
        self.outcomes: list[Attempt] = []
        self._lock = threading.Lock()

    def attempt(self, phone, code_hash, now, max_attempts):
        outcome = self.inner.attempt(phone, code_hash, now, max_attempts)
        with self._lock:
            self.outcomes.append(outcome)
        return outcome

    @property
    def compared(self) -> int:
        return sum(1 for o in self.outcomes if o is not Attempt.REFUSED)

    def put(self, challenge):
        self.inner.put(challenge)

    def add(self, challenge, now):
        return self.inner.add(challenge, now)

    def get(self, phone):
        return self.inner.get(phone)

    def delete(self, phone):
        self.inner.delete(phone)

    def purge(self, now):
        return self.inner.purge(now)


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres),
                        pytest.param("redis", marks=pytest.mark.redis)])
def fakes(request) -> Fakes:
    if request.param == "postgres":
        engine = request.getfixturevalue("pg_engine")
        codes, limiter = SqlSmsCodes(engine), SqlRateLimiter(engine)
    else:
        client, prefix = request.getfixturevalue("redis_keys")
        codes, limiter = RedisSmsCodes(client, prefix), RedisRateLimiter(client, prefix)
    # Budgets wide enough that only the code's own 5 tries can refuse anything here.
    auth = attrs.evolve(AuthPolicy(), sms_verify_hourly_cap_per_phone=1000, sms_daily_cap_per_phone=1000)
    return Fakes(codes=CountingCodes(codes), limiter=limiter, policy=Policy(auth=auth))


def test_concurrent_wrong_guesses_compare_at_most_five_and_kill_the_code(fakes):
    login = sms_login(fakes)
    login.send_code(PHONE)
    good = fakes.sms.last_code(PHONE)
    wrong = "000000" if good != "000000" else "111111"
    results = race(THREADS, lambda: login.verify(PHONE, wrong))
    assert all(isinstance(r, SmsCodeInvalid) for r in results), results
    assert fakes.codes.compared == fakes.policy.auth.sms_max_attempts
    with pytest.raises(SmsCodeInvalid):
        login.verify(PHONE, good)


def test_concurrent_wrong_guesses_on_a_test_phone_kill_its_fixed_code(fakes):
    """No code was asked for: the racing tries issue the fixed code implicitly, and only one issue wins."""
    login = sms_login(fakes, {PHONE: FIXED})
    results = race(THREADS, lambda: login.verify(PHONE, "000000"))
    assert all(isinstance(r, SmsCodeInvalid) for r in results), results
    assert fakes.codes.compared == fakes.policy.auth.sms_max_attempts
    with pytest.raises(SmsCodeInvalid):
        login.verify(PHONE, FIXED)
