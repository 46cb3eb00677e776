"""Blob storage in an S3-compatible bucket (AWS S3, MinIO, Tencent COS, Aliyun OSS…) through boto3.

Owns the mapping of the `BlobStorage` port onto S3: keys are object keys as given (once `clean_key` passed
them), public keys are plain URLs (a CDN's, or the bucket's path-style address), private ones SigV4
presigned GETs. boto3 is imported only when the first client is built, so this module imports without the
optional `s3` extra installed.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import attrs

from skyriff_domain.ports import BlobStorage

from .keys import clean_key
from .signing import clean_filename

MAX_SIGNED_SECONDS = 7 * 24 * 3600  # SigV4 refuses presigned links valid for longer than a week
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})  # not NoSuchBucket: that is a setup error


@attrs.frozen
class S3Config:
    """One bucket's settings. Empty keys fall back to boto3's own chain (environment, instance role)."""

    bucket: str
    endpoint_url: str | None = None  # None: AWS; else MinIO, COS, OSS… S3 endpoints
    region: str = "us-east-1"
    access_key: str = ""
    secret_key: str = attrs.field(default="", repr=False)
    public_base_url: str | None = None  # a CDN in front of the bucket
    addressing_style: str = "path"  # "virtual" for services that refuse path-style (OSS)


def make_client(config: S3Config) -> Any:
    """A boto3 S3 client for `config`; the only place boto3 is imported."""
    import boto3
    from botocore.config import Config

    botocore_config = Config(
        signature_version="s3v4",
        s3={"addressing_style": config.addressing_style},
        retries={"max_attempts": 3, "mode": "standard"},
        # boto3 >= 1.36 sends CRC checksum headers by default, which many S3-compatible services reject.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    # A session of its own: boto3's default session is not safe to build clients from in several threads.
    return boto3.session.Session().client(
        "s3",
        endpoint_url=config.endpoint_url,
        region_name=config.region,
        aws_access_key_id=config.access_key or None,
        aws_secret_access_key=config.secret_key or None,
        config=botocore_config,
    )


class S3BlobStorage(BlobStorage):
    """`BlobStorage` on one bucket. Objects are written without an ACL (many S3-compatible services
    reject ACLs, and buckets with ACLs disabled refuse them): making `public/` readable is the bucket
    policy's job, and everything else stays private, reachable only through `signed_url`."""

    def __init__(self, config: S3Config, client: Any = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self._client = client
        self._lock = threading.Lock()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        base = config.public_base_url or f"{config.endpoint_url or _aws_endpoint(config.region)}/{config.bucket}"
        self._public_base = base.rstrip("/") + "/"

    def __repr__(self) -> str:
        return f"S3BlobStorage(bucket={self.config.bucket!r}, endpoint_url={self.config.endpoint_url!r})"

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = make_client(self.config)
        return self._client

    def put(self, key: str, data: bytes, content_type: str) -> None:
        key = clean_key(key)
        self.client.put_object(Bucket=self.config.bucket, Key=key, Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        """The object's bytes; raises FileNotFoundError when there is no such key (as the local adapter)."""
        key = clean_key(key)
        try:
            answer = self.client.get_object(Bucket=self.config.bucket, Key=key)
        except Exception as exc:
            if _error_code(exc) in _MISSING_CODES:
                raise FileNotFoundError(key) from exc
            raise
        with answer["Body"] as body:
            return body.read()

    def delete(self, key: str) -> None:
        """Idempotent: S3 answers 204 for a missing key, and some look-alikes a NoSuchKey we ignore."""
        key = clean_key(key)
        try:
            self.client.delete_object(Bucket=self.config.bucket, Key=key)
        except Exception as exc:
            if _error_code(exc) not in _MISSING_CODES:
                raise

    def public_url(self, key: str) -> str:
        return self._public_base + quote(clean_key(key))

    def signed_url(self, key: str, expires_at: datetime, filename: str | None = None) -> str:
        """A presigned GET valid until `expires_at`, rounded down to the second and capped at 7 days; with
        `filename`, S3 answers it as an attachment of that name (a signed response-content-disposition).
        The clock only sets the lifetime; botocore stamps the link with the system time."""
        key, filename = clean_key(key), clean_filename(filename)
        seconds = int((expires_at - self._clock()).total_seconds())
        expires_in = min(max(seconds, 1), MAX_SIGNED_SECONDS)
        params = {"Bucket": self.config.bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)


def _aws_endpoint(region: str) -> str:
    return f"https://s3.{region}.amazonaws.com"


def _error_code(exc: Exception) -> str | None:
    """The S3 error code of a botocore ClientError (duck-typed, so boto3 stays a lazy import)."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    code = response.get("Error", {}).get("Code")
    return str(code) if code else None
