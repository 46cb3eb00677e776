"""The container picks real adapters when their settings exist, embedded or fake ones otherwise."""
from __future__ import annotations

import pytest

from adapters.auth.sms_console import ConsoleSmsSender
from adapters.auth.sms_tencent import TencentSmsSender
from adapters.auth.wechat_fake import FakeWeChatLogin
from adapters.auth.wechat_oauth import WeChatOAuthClient
from adapters.jobs.in_process import DatabaseQueue, InProcessJobQueue
from adapters.providers.fake import FakeVideoProvider
from adapters.providers.openai_video import OpenAIVideoProvider
from adapters.redis_stores import RedisRateLimiter, RedisSmsCodes
from adapters.storage.local import LocalBlobStorage
from adapters.storage.s3 import S3BlobStorage
from entrypoints.container import Container
from entrypoints.settings import Settings


def settings_from(tmp_path, **env) -> Settings:
    return Settings.from_env({"SKYRIFF_DATA_DIR": str(tmp_path), **{f"SKYRIFF_{k}": v for k, v in env.items()}})


def test_embedded_defaults(tmp_path):
    c = Container(settings=settings_from(tmp_path))
    assert isinstance(c.sms_sender(), ConsoleSmsSender) and isinstance(c.wechat(), FakeWeChatLogin)
    assert set(c.payment_gateways()) == {"sandbox"} and isinstance(c.storage(), LocalBlobStorage)
    assert isinstance(c.video_routes()["sora2"][0], FakeVideoProvider)
    assert isinstance(c.job_queue(), InProcessJobQueue)
    assert c.settings().auto_migrate and c.settings().embedded_worker
    assert (tmp_path / ".jwt-secret").exists()
    assert c.policy().generation.max_video_bytes == 200 * 1024 * 1024


def test_the_video_size_cap_is_configurable(tmp_path):
    assert Container(settings=settings_from(tmp_path, MAX_VIDEO_MB="50")).policy().generation.max_video_bytes == (
        50 * 1024 * 1024)
    for bad in ("0", "-5", "lots"):
        with pytest.raises(ValueError, match="SKYRIFF_MAX_VIDEO_MB"):
            settings_from(tmp_path, MAX_VIDEO_MB=bad)


def test_real_adapters_when_configured(tmp_path):
    c = Container(settings=settings_from(
        tmp_path, DATABASE_URL="postgresql+psycopg://x@127.0.0.1/db", JWT_SECRET="p" * 40,
        TENCENT_SMS_SECRET_ID="id", TENCENT_SMS_SECRET_KEY="k", WECHAT_APP_APPID="wxapp", WECHAT_APP_SECRET="s",
        S3_BUCKET="media", REDIS_URL="redis://127.0.0.1:6379/15", VIDEO_PROVIDERS='{"providers": [{"name": "relay", "base_url": "https://r.test/v1", '
                                          '"api_key": "k", "models": {"sora2": {"model": "sora-2", '
                                          '"seconds": {"10": "10"}, "sizes": {"9:16": "720x1280"}}}}]}'))
    assert isinstance(c.sms_sender(), TencentSmsSender) and isinstance(c.wechat(), WeChatOAuthClient)
    assert isinstance(c.storage(), S3BlobStorage) and isinstance(c.job_queue(), DatabaseQueue)
    assert isinstance(c.video_routes()["sora2"][0], OpenAIVideoProvider)
    assert c.payment_gateways() == {}  # no sandbox off the embedded database, no channel configured
    assert isinstance(c.rate_limiter(), RedisRateLimiter) and isinstance(c.sms_codes(), RedisSmsCodes)
    assert not c.settings().auto_migrate and not c.settings().embedded_worker
