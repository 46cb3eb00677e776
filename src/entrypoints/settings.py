"""Configuration from `SKYRIFF_*` environment variables; every default is the embedded one (see README)."""
from __future__ import annotations

import base64
import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import Mapping

import attrs

from skyriff_domain.model.aigc import check_service_code

log = logging.getLogger("skyriff")


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def parse_test_phones(raw: str) -> dict[str, str]:
    """"13800138000:123456,13900000000:654321" → {phone: code}."""
    phones = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        phone, _, code = item.partition(":")
        if not phone or not code:
            raise ValueError(f"SKYRIFF_TEST_PHONES entry {item!r} is not phone:code")
        phones[phone.strip()] = code.strip()
    return phones


@attrs.frozen
class Settings:
    database_url: str = "sqlite:///var/skyriff.sqlite3"
    data_dir: str = "var"
    auto_migrate: bool = True
    jwt_secret: str = ""
    jwt_algorithm: str = "HS256"
    sms_code_secret: str = ""
    test_phones: dict[str, str] = attrs.field(factory=dict)
    sms_provider: str = "console"  # console | tencent
    tencent_sms: dict[str, str] = attrs.field(factory=dict)
    wechat_provider: str = "fake"  # fake | wechat | disabled
    wechat_fake_enabled: bool = True  # the fake may be used (embedded default only)
    wechat: dict[str, str] = attrs.field(factory=dict)
    business_timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"
    public_base_url: str = "http://127.0.0.1:8000"
    sandbox_pay_enabled: bool = True
    sandbox_pay_secret: str = "skyriff-sandbox-secret"
    wechatpay: dict[str, str] = attrs.field(factory=dict)
    alipay: dict[str, str] = attrs.field(factory=dict)
    storage_dir: str = "var/storage"
    files_secret: str = "files-secret"
    video_providers: str = ""  # inline JSON or a .toml/.json path; empty: the embedded fake provider
    fake_video_seconds: float = 6.0
    max_video_mb: int = 200  # a provider's finished video larger than this fails the task (refunded)
    job_queue: str = "in_process"  # in_process | database | celery
    celery_broker_url: str = "redis://127.0.0.1:6379/0"  # Redis or RabbitMQ (amqp://), when job_queue is celery
    embedded_worker: bool = True  # `skyriff serve` also runs the worker loop
    share_base_url: str = "https://skyriff.com"
    redis_url: str = ""  # shared SMS codes, OAuth states and rate limits for several API processes
    video_webhook_secret: str = ""  # Standard Webhooks secret ("whsec_…"); empty: webhooks off
    s3: dict[str, str] = attrs.field(factory=dict)  # S3-compatible storage when a bucket is named
    trusted_proxies: int = 0  # reverse-proxy hops whose X-Forwarded-For/-Proto are believed; 0: none
    identity_key: str = ""  # AES-GCM key of personal data (ID numbers, real names): 32 bytes, URL-safe base64
    identity_provider: str = "fake"  # fake | faceid | disabled (real-name checks)
    tencent_faceid: dict[str, str] = attrs.field(factory=dict)
    sandbox_payout_enabled: bool = True  # sandbox transfers (WeChat/Alipay payouts) and refunds
    aigc_secret: str = attrs.field(default="", repr=False)  # signs AIGC labels (ReservedCode1); never empty in use
    aigc_service_code: str = "skyriff"  # ContentProducer and ContentPropagator of every AIGC label
    moderation_provider: str = "local"  # local | tencent
    moderation_words: str = ""  # the local moderator's word list file; empty: its small default list
    moderation_on_error: str = "review"  # what content gets when the moderator cannot answer: review | block | pass
    tencent_moderation: dict[str, str] = attrs.field(factory=dict)
    console: str = "on"  # the operators' console under /admin/: on | off
    console_bind: str = ""  # host:port: serve the console there instead of beside the API (skyriff serve)
    console_totp: str = "optional"  # required: admin and finance operators need a second factor to log in
    console_secure_cookie: bool = False  # the session cookie is sent over HTTPS only (on outside the embedded defaults)
    redeem_secret: str = attrs.field(default="", repr=False)  # HMAC key of stored redemption codes; never empty in use

    def notify_url(self, channel: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/v1/payments/callback/{channel}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        get = lambda name, default="": env.get(f"SKYRIFF_{name}", default)  # noqa: E731
        data_dir = get("DATA_DIR", "var")
        database_url = get("DATABASE_URL", f"sqlite:///{data_dir}/skyriff.sqlite3")
        tencent = {k: get(f"TENCENT_SMS_{k.upper()}") for k in
                   ("secret_id", "secret_key", "sdk_app_id", "sign_name", "template_id", "region", "endpoint")}
        wechat = {k: get(f"WECHAT_{k.upper()}") for k in
                  ("app_appid", "app_secret", "web_appid", "web_secret", "web_redirect_uri", "api_base", "open_base")}
        sms_provider = get("SMS_PROVIDER") or ("tencent" if tencent["secret_id"] else "console")
        moderation = {k: get(f"TENCENT_MODERATION_{k.upper()}") for k in
                      ("secret_id", "secret_key", "region", "tms_endpoint", "ims_endpoint", "text_biz_type",
                       "image_biz_type")}
        embedded = database_url.startswith("sqlite")
        # The fake logs anyone in as any WeChat user: like the sandbox payment channel, it is on by default
        # only on the embedded database. Elsewhere, without a real AppID, WeChat login is off.
        wechat_fake_enabled = _bool(get("WECHAT_FAKE_ENABLED") or None, embedded)
        wechat_provider = get("WECHAT_PROVIDER") or (
            "wechat" if (wechat["app_appid"] and wechat["app_secret"]) or (wechat["web_appid"] and wechat["web_secret"])
            else "fake")
        if wechat_provider == "fake" and not wechat_fake_enabled:
            wechat_provider = "disabled"
        if wechat_provider == "fake" and not embedded:
            log.warning("SKYRIFF_WECHAT_FAKE_ENABLED=true: the fake WeChat login is on, so anyone can create "
                        "accounts or log in as any WeChat user; never enable it in production")
        secret = get("JWT_SECRET") or _local_secret(data_dir, "jwt")
        wechatpay = {k: _value_or_file(get, f"WECHATPAY_{k.upper()}") for k in
                     ("mchid", "appid", "serial_no", "private_key", "apiv3_key", "platform_public_key",
                      "platform_public_key_id", "base_url", "transfer_scene_id", "transfer_scene_report_infos",
                      "transfer_user_recv_perception")}
        alipay = {k: _value_or_file(get, f"ALIPAY_{k.upper()}") for k in
                  ("app_id", "private_key", "public_key", "gateway", "seller_id", "app_cert", "alipay_cert",
                   "root_cert", "transfer_title")}
        faceid = {k: get(f"TENCENT_FACEID_{k.upper()}") for k in ("secret_id", "secret_key", "endpoint", "region")}
        # Like the fake WeChat login: a fake real-name check believes anyone, so only the embedded default has it.
        identity_provider = get("IDENTITY_PROVIDER") or ("faceid" if faceid["secret_id"] else "fake")
        if identity_provider == "fake" and not _bool(get("IDENTITY_FAKE_ENABLED") or None, embedded):
            identity_provider = "disabled"
        return cls(
            database_url=database_url,
            data_dir=data_dir,
            auto_migrate=_bool(get("AUTO_MIGRATE") or None, embedded),
            jwt_secret=secret,
            jwt_algorithm=get("JWT_ALGORITHM", "HS256"),
            sms_code_secret=get("SMS_CODE_SECRET") or _local_secret(data_dir, "sms"),
            test_phones=parse_test_phones(get("TEST_PHONES")),
            sms_provider=sms_provider,
            tencent_sms=tencent,
            wechat_provider=wechat_provider,
            wechat_fake_enabled=wechat_fake_enabled,
            wechat=wechat,
            business_timezone=get("BUSINESS_TIMEZONE", "Asia/Shanghai"),
            log_level=get("LOG_LEVEL", "INFO"),
            public_base_url=get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
            # The sandbox pays for anything with a shared secret: on by default only on the embedded database.
            sandbox_pay_enabled=_bool(get("SANDBOX_PAY_ENABLED") or None, embedded),
            sandbox_pay_secret=get("SANDBOX_PAY_SECRET", "skyriff-sandbox-secret"),
            wechatpay=wechatpay,
            alipay=alipay,
            storage_dir=get("STORAGE_DIR", f"{data_dir}/storage"),
            files_secret=get("FILES_SECRET") or _local_secret(data_dir, "files"),
            video_providers=get("VIDEO_PROVIDERS"),
            fake_video_seconds=float(get("FAKE_VIDEO_SECONDS", "6")),
            max_video_mb=_positive_int(get("MAX_VIDEO_MB", "200"), "SKYRIFF_MAX_VIDEO_MB"),
            job_queue=get("JOB_QUEUE", "in_process" if embedded else "database"),
            celery_broker_url=get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
            embedded_worker=_bool(get("EMBEDDED_WORKER") or None, embedded),
            share_base_url=get("SHARE_BASE_URL", "https://skyriff.com"),
            video_webhook_secret=get("VIDEO_WEBHOOK_SECRET"),
            redis_url=get("REDIS_URL"),
            s3={k: get(f"S3_{k.upper()}") for k in
                ("bucket", "endpoint_url", "region", "access_key", "secret_key", "public_base_url")},
            trusted_proxies=_hops(get("TRUSTED_PROXIES")),
            identity_key=get("IDENTITY_KEY") or _local_secret(data_dir, "identity"),
            identity_provider=identity_provider,
            tencent_faceid=faceid,
            # Like the sandbox payment channel: transfers that pay at once, on the embedded database only.
            sandbox_payout_enabled=_bool(get("SANDBOX_PAYOUT_ENABLED") or None, embedded),
            aigc_secret=get("AIGC_SECRET") or _local_secret(data_dir, "aigc"),
            aigc_service_code=check_service_code(get("AIGC_SERVICE_CODE", "skyriff")),
            moderation_provider=get("MODERATION_PROVIDER") or ("tencent" if moderation["secret_id"] else "local"),
            moderation_words=get("MODERATION_WORDS"),
            moderation_on_error=_choice(get("MODERATION_ON_ERROR", "review") or "review",
                                        "SKYRIFF_MODERATION_ON_ERROR", ("review", "block", "pass")),
            tencent_moderation=moderation,
            console=_choice(get("CONSOLE", "on") or "on", "SKYRIFF_CONSOLE", ("on", "off")),
            console_bind=_bind(get("CONSOLE_BIND")),
            # A second factor for admin and finance, unless said otherwise; the embedded defaults say otherwise.
            console_totp=_choice(get("CONSOLE_TOTP") or ("optional" if embedded else "required"),
                                 "SKYRIFF_CONSOLE_TOTP", ("required", "optional")),
            console_secure_cookie=_bool(get("CONSOLE_SECURE_COOKIE") or None, not embedded),
            redeem_secret=get("REDEEM_SECRET") or _local_secret(data_dir, "redeem"),
        )


def _hops(value: str) -> int:
    """SKYRIFF_TRUSTED_PROXIES: how many proxies in front of the API append to X-Forwarded-For (0 or empty:
    none; then a client could write any address there, so the header is ignored)."""
    value = value.strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()) or int(value) > 10:
        raise ValueError(f"SKYRIFF_TRUSTED_PROXIES must be a number of proxy hops (0-10), not {value!r}")
    return int(value)


def _bind(value: str) -> str:
    """SKYRIFF_CONSOLE_BIND: host:port of the console's own listener (empty: the console shares the API's)."""
    value = value.strip()
    if not value:
        return ""
    host, _, port = value.rpartition(":")
    if not host or not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"SKYRIFF_CONSOLE_BIND must be host:port, not {value!r}")
    return value


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    value = value.strip().lower()
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be positive, got {number}")
    return number


def _value_or_file(get, name: str) -> str:
    """A setting given inline (SKYRIFF_X) or as a file path (SKYRIFF_X_FILE), e.g. a PEM key."""
    value = get(name)
    path = get(f"{name}_FILE")
    if not value and path:
        value = Path(path).read_text()
    return value


def _local_secret(data_dir: str, name: str) -> str:
    """For the embedded default only: a random secret kept in the data directory so tokens survive restarts.
    Production sets SKYRIFF_JWT_SECRET / SKYRIFF_SMS_CODE_SECRET instead.

    gunicorn's workers start together: the secret is written whole to a private temporary file and linked
    into place, so the first process wins and every other one reads that same secret (never a half-written
    one, never its own)."""
    path = Path(data_dir) / f".{name}-secret"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # The identity key is an AES-256 key (32 bytes); the others are HMAC secrets.
    value = (base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() if name == "identity"
             else secrets.token_urlsafe(48))
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-secret.")  # created 0600
    try:
        with os.fdopen(fd, "w") as out:
            out.write(value)
        os.link(temporary, path)
    except FileExistsError:
        return path.read_text().strip()
    finally:
        os.unlink(temporary)
    variable = {"jwt": "JWT_SECRET", "sms": "SMS_CODE_SECRET", "files": "FILES_SECRET",
                "identity": "IDENTITY_KEY", "aigc": "AIGC_SECRET", "redeem": "REDEEM_SECRET"}[name]
    log.warning("generated a local %s secret in %s (set SKYRIFF_%s in production)", name, path, variable)
    return value
