"""Test Redis: the server named by SKYRIFF_TEST_REDIS_URL, shared with others, so each test owns a key prefix
(never FLUSHDB) and deletes its keys afterwards."""
from __future__ import annotations

import os
import re
import uuid

import pytest
import redis

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
REDIS_URL = os.environ.get("SKYRIFF_TEST_REDIS_URL", DEFAULT_REDIS)
REQUIRE_REDIS = os.environ.get("SKYRIFF_TEST_REQUIRE_REDIS") == "1"


def connect() -> redis.Redis:
    """A new client (one per simulated API process), as the adapters expect it: decoded strings."""
    return redis.Redis.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=10, socket_timeout=30)


def redis_or_skip() -> redis.Redis:
    """A client, after checking the server answers; skip (or fail, when CI makes Redis mandatory)."""
    client = connect()
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no usable Redis here"
        client.close()
        reason = f"Redis not reachable at {re.sub(r'//[^@/]*@', '//***@', REDIS_URL)}: {exc}"
        if REQUIRE_REDIS:
            pytest.fail(f"{reason} (SKYRIFF_TEST_REQUIRE_REDIS=1)")
        pytest.skip(reason)
    return client


def unique_prefix() -> str:
    return f"skyriff-test:{uuid.uuid4().hex}:"


def delete_prefix(client: redis.Redis, prefix: str) -> int:
    """Delete every key under `prefix` (SCAN + DEL); returns how many."""
    match = re.sub(r"([*?\[\]\\])", r"\\\1", prefix) + "*"
    keys = list(client.scan_iter(match=match, count=1000))
    for i in range(0, len(keys), 500):
        client.delete(*keys[i:i + 500])
    return len(keys)
