"""The container picks real adapters when their settings exist, embedded or fake ones otherwise."""
from __future__ import annotations

import logging

import pytest

from adapters.auth.sms_console import ConsoleSmsSender
from adapters.auth.sms_tencent import TencentSmsSender
from adapters.auth.wechat_disabled import DisabledWeChatLogin
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
from tests.support.http import make_client


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


PG = "postgresql+psycopg://x@127.0.0.1/db"


def test_the_fake_wechat_login_is_on_by_default_only_on_the_embedded_database(tmp_path):
    embedded = settings_from(tmp_path)
    assert (embedded.wechat_provider, embedded.wechat_fake_enabled) == ("fake", True)
    assert isinstance(Container(settings=embedded).wechat(), FakeWeChatLogin)
    for off in (settings_from(tmp_path, DATABASE_URL=PG, JWT_SECRET="p" * 40),
                settings_from(tmp_path, DATABASE_URL=PG, JWT_SECRET="p" * 40, WECHAT_PROVIDER="fake"),
                settings_from(tmp_path, WECHAT_FAKE_ENABLED="false")):
        assert off.wechat_provider == "disabled"
        assert isinstance(Container(settings=off).wechat(), DisabledWeChatLogin)
    real = settings_from(tmp_path, DATABASE_URL=PG, JWT_SECRET="p" * 40, WECHAT_WEB_APPID="wxweb",
                         WECHAT_WEB_SECRET="s")
    assert isinstance(Container(settings=real).wechat(), WeChatOAuthClient)


def test_enabling_the_fake_off_the_embedded_database_warns_at_start(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="skyriff"):
        settings = settings_from(tmp_path, DATABASE_URL=PG, JWT_SECRET="p" * 40, WECHAT_FAKE_ENABLED="true")
    assert settings.wechat_provider == "fake" and isinstance(Container(settings=settings).wechat(), FakeWeChatLogin)
    assert any("fake WeChat login is on" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="skyriff"):
        settings_from(tmp_path)  # the embedded default: nothing to warn about
    assert not any("WeChat" in r.getMessage() for r in caplog.records)


def test_a_disabled_wechat_login_answers_2008_on_init_and_callback(sqlite_engine):
    client = make_client(sqlite_engine, wechat_provider="disabled")
    client.app.extensions["skyriff"].wechat.reset_override()  # the real choice, not the test double
    for path, body in (("/auth/wechat/init", {"platform": "web"}), ("/auth/wechat/callback", {"code": "alice",
                                                                                              "state": "s"})):
        status, answer = client.post(path, body)
        assert (status, answer["code"], answer["message"]) == (409, 2008, "微信登录未启用")


def test_moderation_is_local_by_default_and_wired_into_every_use_case(tmp_path):
    from adapters.moderation.local import LocalModerator
    from adapters.shared_page_cache import SharedPageCache
    from adapters.sqlalchemy.generations import SqlGenerations
    from skyriff_domain.model.moderation import Verdict

    c = Container(settings=settings_from(tmp_path))
    assert isinstance(c.moderator(), LocalModerator) and c.policy().moderation.on_error is Verdict.REVIEW
    screen = c.screen()
    assert screen.frames is not None
    assert c.creation().screen is c.task_runner().screen is c.works().screen is c.profiles().screen is screen
    assert c.profiles().storage is c.storage()
    cache = c.page_cache()
    assert isinstance(cache, SharedPageCache) and isinstance(cache.generations, SqlGenerations)
    assert c.works().cache is c.moderation().cache is c.appeals().cache is cache


def test_tencent_moderation_when_configured(tmp_path):
    from adapters.moderation.tencent import TencentModerator
    from adapters.shared_page_cache import RedisGenerations
    from skyriff_domain.model.moderation import Verdict

    c = Container(settings=settings_from(tmp_path, TENCENT_MODERATION_SECRET_ID="id",
                                         TENCENT_MODERATION_SECRET_KEY="key", MODERATION_ON_ERROR="Block",
                                         REDIS_URL="redis://127.0.0.1:6379/0"))
    assert isinstance(c.moderator(), TencentModerator) and "key" not in repr(c.moderator())
    assert c.policy().moderation.on_error is Verdict.BLOCK
    assert isinstance(c.page_cache().generations, RedisGenerations)


def test_moderation_settings_are_checked(tmp_path):
    with pytest.raises(ValueError, match="SKYRIFF_MODERATION_ON_ERROR"):
        settings_from(tmp_path, MODERATION_ON_ERROR="ignore")
    with pytest.raises(ValueError, match="SKYRIFF_MODERATION_PROVIDER"):
        Container(settings=settings_from(tmp_path, MODERATION_PROVIDER="aliyun")).moderator()
    words = tmp_path / "words.txt"
    words.write_text("禁词\n", encoding="utf-8")
    moderator = Container(settings=settings_from(tmp_path, MODERATION_WORDS=str(words))).moderator()
    assert moderator.text("bio", "一个禁词").blocked and not moderator.text("bio", "代开发票").blocked
