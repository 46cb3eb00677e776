"""SMS codes, OAuth states and rate limits in Redis, shared by every API process.

Owns the keys `{prefix}sms:{phone}` (hash), `{prefix}oauth:{state}` (string), `{prefix}rate:{key}` (hash)
and `{prefix}cooldown:{key}` (string). Times are stored as integer microseconds since the epoch, and every
decision uses the `now` passed in, never the Redis clock: TTLs only collect garbage, ending `GC_MARGIN`
after the stored expiry or after the wall clock, whichever is later. Each read-decide-write is one Lua
script (or one MULTI), so every call is atomic across processes.

Garbage (a key of the wrong type, or a hash with unreadable fields) is treated as absent: reads ignore it
and leave it alone, writes replace it. The client must be created with `decode_responses=True`.
"""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import redis

from skyriff_domain.model.auth import Attempt, SmsChallenge, WeChatPlatform
from skyriff_domain.ports import OAuthStateStore, RateLimiter, SmsCodeStore

GC_MARGIN = timedelta(minutes=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = timedelta(microseconds=1)

# KEYS[1] code; ARGV: code_hash, now, max_attempts → 2 matched (deleted), 1 wrong (counted), 0 refused (no
# readable unexpired code with tries left: nothing compared). One script: concurrent tries cannot outrun the count.
_ATTEMPT = """
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local f = redis.call('HMGET', KEYS[1], 'code_hash', 'expires_at', 'attempts')
local expires, attempts = tonumber(f[2]), tonumber(f[3])
if not f[1] or not expires or not attempts then return 0 end
if expires <= tonumber(ARGV[2]) or attempts >= tonumber(ARGV[3]) then return 0 end
if f[1] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 2
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return 1
"""
# KEYS[1] code; ARGV: code_hash, expires_at, now, ttl_ms → 1 if stored, 0 if an unexpired code is there.
_ADD = """
if redis.call('TYPE', KEYS[1]).ok == 'hash' then
  local ends = tonumber(redis.call('HGET', KEYS[1], 'expires_at'))
  if ends and ends > tonumber(ARGV[3]) then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'code_hash', ARGV[1], 'expires_at', ARGV[2], 'attempts', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
"""
# KEYS[1] state → its value, deleted; nil (garbage left alone) if there is no string there.
_TAKE = """
if redis.call('TYPE', KEYS[1]).ok ~= 'string' then return false end
local v = redis.call('GET', KEYS[1])
redis.call('DEL', KEYS[1])
return v
"""
# KEYS[1] counter; ARGV: until, now, ttl_ms → the count. A window ended by `now` restarts at 1 with the
# new `until`; a running one keeps its own `until` (and TTL), as the SQL adapter does.
_HIT = """
if redis.call('TYPE', KEYS[1]).ok == 'hash' then
  local f = redis.call('HMGET', KEYS[1], 'count', 'until')
  local count, ends = tonumber(f[1]), tonumber(f[2])
  if count and ends and ends > tonumber(ARGV[2]) then return redis.call('HINCRBY', KEYS[1], 'count', 1) end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'count', 1, 'until', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""
# KEYS[1] cooldown; ARGV: now, until, ttl_ms → 0 if started, else microseconds left.
_COOLDOWN = """
if redis.call('TYPE', KEYS[1]).ok == 'string' then
  local ends = tonumber(redis.call('GET', KEYS[1]))
  if ends and ends > tonumber(ARGV[1]) then return ends - tonumber(ARGV[1]) end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 0
"""
# KEYS: candidates; ARGV: now, the hash field holding the expiry ('' = the key is a plain string)
# → how many had ended and were deleted. Garbage is skipped.
_PURGE = """
local dropped = 0
for _, key in ipairs(KEYS) do
  local kind, ends = redis.call('TYPE', key).ok, nil
  if ARGV[2] == '' and kind == 'string' then ends = redis.call('GET', key)
  elseif ARGV[2] ~= '' and kind == 'hash' then ends = redis.call('HGET', key, ARGV[2]) end
  ends = tonumber(ends)
  if ends and ends <= tonumber(ARGV[1]) then
    redis.call('DEL', key)
    dropped = dropped + 1
  end
end
return dropped
"""


def _us(t: datetime) -> int:
    """Exact microseconds since the epoch (a timezone-aware datetime; naive ones raise TypeError)."""
    return (t - _EPOCH) // _US


def _ttl_ms(ends_us: int) -> int:
    """Redis TTL for a record that ends at `ends_us`: cleanup only, so never shorter than GC_MARGIN."""
    left_us = ends_us - time.time_ns() // 1000
    return max(left_us, 0) // 1000 + GC_MARGIN // timedelta(milliseconds=1)


class _RedisStore:
    def __init__(self, client: redis.Redis, prefix: str = "skyriff:") -> None:
        self._r = client
        self._prefix = prefix
        self._purge_script = client.register_script(_PURGE)

    def _purge(self, kind: str, field: str, now: datetime) -> int:
        """Delete `{prefix}{kind}:*` keys that ended by `now`, one script call per SCAN batch.

        Costs a SCAN of the whole database, so it is for housekeeping only; the TTLs drop the same keys
        a GC_MARGIN later anyway, so skipping it loses nothing."""
        match = re.sub(r"([*?\[\]\\])", r"\\\1", f"{self._prefix}{kind}:") + "*"
        dropped, cursor = 0, 0
        while True:
            cursor, keys = self._r.scan(cursor, match=match, count=1000)
            if keys:
                dropped += int(self._purge_script(keys=keys, args=[_us(now), field]))
            if cursor == 0:
                return dropped


class RedisSmsCodes(_RedisStore, SmsCodeStore):
    """One hash per phone: code_hash, expires_at (µs), attempts."""

    def __init__(self, client: redis.Redis, prefix: str = "skyriff:") -> None:
        super().__init__(client, prefix)
        self._attempt = client.register_script(_ATTEMPT)
        self._add = client.register_script(_ADD)

    def _key(self, phone: str) -> str:
        return f"{self._prefix}sms:{phone}"

    def put(self, challenge: SmsChallenge) -> None:
        """Replace any earlier code; attempts restart at 0 (as in SQL)."""
        key, ends = self._key(challenge.phone), _us(challenge.expires_at)
        with self._r.pipeline(transaction=True) as p:  # MULTI: nobody sees the key half-written
            p.delete(key)
            p.hset(key, mapping={"code_hash": challenge.code_hash, "expires_at": ends, "attempts": 0})
            p.pexpire(key, _ttl_ms(ends))
            p.execute()

    def get(self, phone: str) -> SmsChallenge | None:
        try:
            f = self._r.hgetall(self._key(phone))
        except redis.ResponseError as exc:
            if str(exc).startswith("WRONGTYPE"):
                return None
            raise
        try:
            return SmsChallenge(phone, f["code_hash"], _EPOCH + int(f["expires_at"]) * _US, int(f["attempts"]))
        except (KeyError, ValueError):  # absent (empty hash) or garbage
            return None

    def add(self, challenge: SmsChallenge, now: datetime) -> bool:
        ends = _us(challenge.expires_at)
        return self._add(keys=[self._key(challenge.phone)],
                         args=[challenge.code_hash, ends, _us(now), _ttl_ms(ends)]) == 1

    def attempt(self, phone: str, code_hash: str, now: datetime, max_attempts: int) -> Attempt:
        result = int(self._attempt(keys=[self._key(phone)], args=[code_hash, _us(now), max_attempts]))
        return {2: Attempt.MATCHED, 1: Attempt.WRONG}.get(result, Attempt.REFUSED)

    def delete(self, phone: str) -> None:
        self._r.delete(self._key(phone))

    def purge(self, now: datetime) -> int:
        """Drop codes expired by `now` (a SCAN, housekeeping only: TTLs drop them soon after anyway)."""
        return self._purge("sms", "expires_at", now)


class RedisOAuthStates(_RedisStore, OAuthStateStore):
    """One string per state: "<platform> <expires_at µs>"."""

    def __init__(self, client: redis.Redis, prefix: str = "skyriff:") -> None:
        super().__init__(client, prefix)
        self._take = client.register_script(_TAKE)

    def _key(self, state: str) -> str:
        return f"{self._prefix}oauth:{state}"

    def put(self, state: str, platform: WeChatPlatform, expires_at: datetime) -> None:
        ends = _us(expires_at)
        self._r.set(self._key(state), f"{platform.value} {ends}", px=_ttl_ms(ends))

    def take(self, state: str, now: datetime) -> WeChatPlatform | None:
        value = self._take(keys=[self._key(state)])
        if value is None:
            return None
        platform, _, ends = value.partition(" ")
        try:
            if int(ends) <= _us(now):
                return None
            return WeChatPlatform(platform)
        except ValueError:  # garbage: consumed, and treated as absent
            return None


class RedisRateLimiter(_RedisStore, RateLimiter):
    """Counters are hashes (count, until µs); cooldowns are strings (until µs)."""

    def __init__(self, client: redis.Redis, prefix: str = "skyriff:") -> None:
        super().__init__(client, prefix)
        self._hit = client.register_script(_HIT)
        self._cooldown = client.register_script(_COOLDOWN)

    def hit(self, key: str, until: datetime, now: datetime) -> int:
        ends = _us(until)
        return int(self._hit(keys=[f"{self._prefix}rate:{key}"], args=[ends, _us(now), _ttl_ms(ends)]))

    def cooldown(self, key: str, period: timedelta, now: datetime) -> int:
        ends = _us(now + period)
        left_us = int(self._cooldown(keys=[f"{self._prefix}cooldown:{key}"], args=[_us(now), ends, _ttl_ms(ends)]))
        return 0 if left_us == 0 else max(1, -(-left_us // 1_000_000))  # whole seconds, rounded up

    def purge(self, now: datetime) -> int:
        """Drop counters and cooldowns ended by `now` (a SCAN, housekeeping only: TTLs drop them anyway)."""
        return self._purge("rate", "until", now) + self._purge("cooldown", "", now)
