"""S3BlobStorage end to end against moto's S3 server on 127.0.0.1, through the adapter's own boto3 client.

moto (5.2) stores and serves objects faithfully and honours bucket policies and private ACLs, but it does
not check presigned links at all: a tampered or expired link still downloads. So the server here puts
`PresignChecker` in front of moto to do what S3 does with a presigned GET: recompute the SigV4 signature
with its own implementation of AWS's documented algorithm (`reference_signature`, no code shared with
botocore, pinned to AWS's published example) and refuse the link once X-Amz-Date + X-Amz-Expires has
passed on its own clock, which tests set instead of sleeping.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlsplit

import pytest
import requests

from tests.support.http_server import PATIENT_TIMEOUT
from tests.support.optional import import_or_skip

# Skipped without boto3/moto, unless SKYRIFF_TEST_REQUIRE_S3=1 (CI sets it) turns the skip into a failure.
import_or_skip("boto3", "boto3 is not installed (the optional `s3` extra)", "SKYRIFF_TEST_REQUIRE_S3")
import_or_skip("moto.server", "moto[server] is not installed (the dev extra)", "SKYRIFF_TEST_REQUIRE_S3")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication, MotoRequestHandler, create_backend_app)
from moto.server import ThreadedMotoServer  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from adapters.storage.s3 import MAX_SIGNED_SECONDS, S3BlobStorage, S3Config  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "skyriff-test-blobs"
ACCESS_KEY = "AKIASKYRIFFTEST00000"
SECRET_KEY = "skyriff-s3-test-secret/0123456789abcdefgh"
NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
ODD_KEY = "private/videos/我的 视频 (1).mp4"  # non-ASCII, spaces and brackets all need quoting


# --- the checker's own signer: AWS's documented SigV4 query signing, no code shared with botocore --------

def reference_signature(secret: str, method: str, host: str, raw_path: str,
                        query: Iterable[tuple[str, str]]) -> str:
    """SigV4 signature of a presigned request: `raw_path` exactly as sent, `query` decoded pairs."""
    query = list(query)
    params = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in query if k != "X-Amz-Signature")
    q = dict(params)
    canonical = "\n".join([method, raw_path, "&".join(f"{k}={v}" for k, v in params),
                           f"host:{host}", "", "host", "UNSIGNED-PAYLOAD"])
    scope = dict(query)["X-Amz-Credential"].split("/", 1)[1]
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", q["X-Amz-Date"], scope,
                                hashlib.sha256(canonical.encode()).hexdigest()])
    key = b"AWS4" + secret.encode()
    for part in scope.split("/"):
        key = hmac.digest(key, part.encode(), "sha256")
    return hmac.new(key, string_to_sign.encode(), "sha256").hexdigest()


def test_reference_signature_matches_aws_published_example():
    # "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", Amazon S3 API Reference.
    query = parse_qsl("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
                      "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                      "&X-Amz-SignedHeaders=host")
    signature = reference_signature("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "GET",
                                    "examplebucket.s3.amazonaws.com", "/test.txt", query)
    assert signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"


class PresignChecker:
    """WSGI middleware: refuses bad presigned requests as S3 does, passes everything else to moto."""

    def __init__(self, app: Callable[..., Any], secret: str) -> None:
        self.app, self.secret = app, secret
        self.now: datetime | None = None  # None: the real clock

    def refusal(self, environ: dict[str, Any]) -> tuple[str, str, str] | None:
        raw_path, _, raw_query = environ["REQUEST_URI"].partition("?")
        query = parse_qsl(raw_query, keep_blank_values=True)
        params = dict(query)
        if "X-Amz-Signature" not in params:
            return None
        expires = int(params["X-Amz-Expires"])
        if expires > MAX_SIGNED_SECONDS:
            return "400 Bad Request", "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week"
        signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        if (self.now or datetime.now(timezone.utc)) > signed_at + timedelta(seconds=expires):
            return "403 Forbidden", "AccessDenied", "Request has expired"
        expected = reference_signature(self.secret, environ["REQUEST_METHOD"], environ["HTTP_HOST"],
                                       raw_path, query)
        if not hmac.compare_digest(expected, params["X-Amz-Signature"]):
            return "403 Forbidden", "SignatureDoesNotMatch", "The request signature we calculated does not match"
        return None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        refusal = self.refusal(environ)
        if refusal is None:
            return self.app(environ, start_response)
        status, code, message = refusal
        start_response(status, [("Content-Type", "application/xml")])
        return [f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()]


class CheckedMotoServer(ThreadedMotoServer):
    """moto's threaded server with `PresignChecker` in front of its app (moto's `_server_entry`, wrapped)."""

    def __init__(self) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)  # loopback only
        self.checker = PresignChecker(DomainDispatcherApplication(create_backend_app), SECRET_KEY)

    def _server_entry(self) -> None:
        self._server = make_server(self._ip_address, self._port, self.checker, True,
                                   request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()


# --- fixtures -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server() -> Iterator[CheckedMotoServer]:
    server = CheckedMotoServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def endpoint(server: CheckedMotoServer) -> str:
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    admin = boto3.session.Session().client("s3", endpoint_url=endpoint, region_name="us-east-1",
                                           aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    admin.create_bucket(Bucket=BUCKET)
    # Public reads come from the bucket policy, never from object ACLs (the adapter sends none).
    admin.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/public/*"}]}))
    return endpoint


@pytest.fixture(autouse=True)
def real_server_clock(server: CheckedMotoServer) -> Iterator[None]:
    yield
    server.checker.now = None


def make_storage(endpoint: str, clock: Callable[[], datetime] | None = None, **config: Any) -> S3BlobStorage:
    """The adapter building its own boto3 client, as in production."""
    return S3BlobStorage(S3Config(bucket=BUCKET, endpoint_url=endpoint, access_key=ACCESS_KEY,
                                  secret_key=SECRET_KEY, **config), clock=clock)


@pytest.fixture
def storage(endpoint: str) -> S3BlobStorage:
    return make_storage(endpoint)


def signed_at(url: str) -> datetime:
    stamp = parse_qs(urlsplit(url).query)["X-Amz-Date"][0]
    return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)


def expires_param(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["X-Amz-Expires"][0])


# --- the port -----------------------------------------------------------------------------------------

def test_put_get_round_trip_keeps_the_content_type(storage: S3BlobStorage):
    storage.put("private/a.mp4", b"\x00mp4 bytes", "video/mp4")
    assert storage.get("private/a.mp4") == b"\x00mp4 bytes"
    head = storage.client.head_object(Bucket=BUCKET, Key="private/a.mp4")
    assert head["ContentType"] == "video/mp4"


def test_get_of_a_missing_key_raises_file_not_found(storage: S3BlobStorage):
    with pytest.raises(FileNotFoundError):
        storage.get("private/never-written.mp4")


def test_a_missing_bucket_is_an_error_not_a_missing_file(endpoint: str):
    storage = S3BlobStorage(S3Config(bucket="skyriff-no-such-bucket", endpoint_url=endpoint,
                                     access_key=ACCESS_KEY, secret_key=SECRET_KEY))
    with pytest.raises(ClientError) as raised:  # not FileNotFoundError: a missing bucket is a broken setup
        storage.get("private/a.mp4")
    assert raised.value.response["Error"]["Code"] == "NoSuchBucket"


def test_delete_is_idempotent(storage: S3BlobStorage):
    storage.put("private/gone.jpg", b"jpeg", "image/jpeg")
    storage.delete("private/gone.jpg")
    storage.delete("private/gone.jpg")
    with pytest.raises(FileNotFoundError):
        storage.get("private/gone.jpg")


def test_signed_url_downloads_a_private_object_until_it_expires(server: CheckedMotoServer, endpoint: str):
    storage = make_storage(endpoint, clock=lambda: NOW)
    storage.put("private/clean.mp4", b"original", "video/mp4")
    url = storage.signed_url("private/clean.mp4", NOW + timedelta(seconds=60))
    assert expires_param(url) == 60  # from the injected clock, not the system's
    assert requests.get(storage.public_url("private/clean.mp4"), timeout=PATIENT_TIMEOUT).status_code == 403  # not unsigned

    answer = requests.get(url, timeout=PATIENT_TIMEOUT)
    assert (answer.status_code, answer.content, answer.headers["Content-Type"]) == (200, b"original", "video/mp4")

    server.checker.now = signed_at(url) + timedelta(seconds=59)
    assert requests.get(url, timeout=PATIENT_TIMEOUT).status_code == 200
    server.checker.now = signed_at(url) + timedelta(seconds=61)
    expired = requests.get(url, timeout=PATIENT_TIMEOUT)
    assert expired.status_code == 403 and b"Request has expired" in expired.content


def test_signed_url_lifetime_is_at_least_a_second_and_at_most_a_week(endpoint: str):
    storage = make_storage(endpoint, clock=lambda: NOW)
    storage.put("private/long.mp4", b"long", "video/mp4")
    assert expires_param(storage.signed_url("private/long.mp4", NOW - timedelta(hours=1))) == 1
    # Rounded down: the link never outlives `expires_at`.
    assert expires_param(storage.signed_url("private/long.mp4", NOW + timedelta(seconds=90.9))) == 90
    capped = storage.signed_url("private/long.mp4", NOW + timedelta(days=30))
    assert expires_param(capped) == MAX_SIGNED_SECONDS
    assert requests.get(capped, timeout=PATIENT_TIMEOUT).content == b"long"  # S3 refuses anything longer


def test_a_named_signed_url_downloads_as_that_file_and_the_name_is_signed(endpoint: str):
    storage = make_storage(endpoint, clock=lambda: NOW)
    storage.put("private/named.mp4", b"named", "video/mp4")
    url = storage.signed_url("private/named.mp4", NOW + timedelta(minutes=5), "skyriff-7-3.mp4")
    answer = requests.get(url, timeout=PATIENT_TIMEOUT)
    assert (answer.status_code, answer.content) == (200, b"named")
    assert answer.headers["Content-Disposition"] == 'attachment; filename="skyriff-7-3.mp4"'
    renamed = requests.get(url.replace("skyriff-7-3.mp4", "skyriff-7-4.mp4"), timeout=PATIENT_TIMEOUT)
    assert renamed.status_code == 403 and b"SignatureDoesNotMatch" in renamed.content
    with pytest.raises(ValueError):
        storage.signed_url("private/named.mp4", NOW + timedelta(minutes=5), 'x"; evil=1')


def test_tampered_signed_urls_are_refused(endpoint: str):
    storage = make_storage(endpoint, clock=lambda: NOW)
    storage.put("private/one.mp4", b"one", "video/mp4")
    storage.put("private/two.mp4", b"two", "video/mp4")
    url = storage.signed_url("private/one.mp4", NOW + timedelta(minutes=5))
    assert requests.get(url, timeout=PATIENT_TIMEOUT).status_code == 200

    flipped = url[:-1] + ("0" if url[-1] != "0" else "1")
    other_key = url.replace("private/one.mp4", "private/two.mp4")
    longer = url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000")
    for bad in (flipped, other_key, longer):
        answer = requests.get(bad, timeout=PATIENT_TIMEOUT)
        assert answer.status_code == 403 and b"SignatureDoesNotMatch" in answer.content, bad


def test_keys_with_chinese_characters_and_spaces_round_trip(storage: S3BlobStorage):
    storage.put(ODD_KEY, b"odd", "video/mp4")
    assert storage.get(ODD_KEY) == b"odd"
    url = storage.signed_url(ODD_KEY, datetime.now(timezone.utc) + timedelta(minutes=5))
    assert requests.get(url, timeout=PATIENT_TIMEOUT).content == b"odd"

    storage.put("public/封面 1.jpg", b"cover", "image/jpeg")
    public = storage.public_url("public/封面 1.jpg")
    assert public.endswith("/public/%E5%B0%81%E9%9D%A2%201.jpg")
    answer = requests.get(public, timeout=PATIENT_TIMEOUT)  # anonymous: the bucket policy opens public/
    assert (answer.status_code, answer.content) == (200, b"cover")


# --- configuration ------------------------------------------------------------------------------------

def test_public_url_is_path_style_on_the_endpoint_or_on_the_cdn(endpoint: str):
    assert make_storage(endpoint).public_url("public/a b.jpg") == f"{endpoint}/{BUCKET}/public/a%20b.jpg"
    cdn = make_storage(endpoint, public_base_url="https://cdn.skyriff.example/")
    assert cdn.public_url("public/视频.jpg") == "https://cdn.skyriff.example/public/%E8%A7%86%E9%A2%91.jpg"
    aws = S3BlobStorage(S3Config(bucket="skyriff-media", region="ap-east-1"))
    assert aws.public_url("public/x.jpg") == "https://s3.ap-east-1.amazonaws.com/skyriff-media/public/x.jpg"
    assert aws._client is None  # public URLs need no client: boto3 is not even imported for them


def test_config_repr_hides_the_secret():
    config = S3Config(bucket=BUCKET, access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    assert SECRET_KEY not in repr(config) and SECRET_KEY not in repr(S3BlobStorage(config))


def test_importing_the_adapter_does_not_import_boto3():
    code = "import sys, adapters.storage.s3; sys.exit('boto3' in sys.modules or 'botocore' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# --- AIGC labels on files in the bucket -------------------------------------------------------------------

def test_generated_and_published_videos_in_the_bucket_carry_valid_aigc_labels(storage: S3BlobStorage):
    """The task runner and publishing only use the storage port: on S3 the stored original and play copy
    carry the video's label, and the published work's copy, written to the bucket, its PropagateID."""
    from adapters.media.aigc import FfmpegAigcLabeler
    from adapters.media.ffmpeg import make_test_mp4
    from adapters.media.processor import FfmpegMediaProcessor
    from skyriff_domain.model.ledger import LedgerType
    from skyriff_domain.model.user import Identity, IdentityKind
    from skyriff_domain.money import Credits
    from skyriff_domain.services.aigc import Verdict
    from skyriff_domain.services.registration import NewUser, register
    from skyriff_domain.services.works import Listing
    from tests.support.fakes import Fakes
    from tests.support.usecases import aigc_labels, finished_video, wallets, works

    fakes = Fakes(storage=storage, media=FfmpegMediaProcessor(), labeler=FfmpegAigcLabeler())
    fakes.provider.video = make_test_mp4(seconds=1.0, width=240, height=426)
    with fakes.uow() as uow:
        uid = register(uow, NewUser("s3", "13800000009"), [Identity(IdentityKind.PHONE, "13800000009")],
                       fakes.clock.now()).id
        uow.commit()
    wallets(fakes).grant_credits(uid, Credits(100), LedgerType.RECHARGE, "充值")
    video_id = finished_video(fakes, uid)
    with fakes.uow() as uow:
        video = uow.videos.get(video_id)
    labels = aigc_labels(fakes)
    for key in (video.original_key, video.watermarked_key):
        found = labels.inspect(storage.get(key))
        assert found.verdict is Verdict.VERIFIED and found.label.produce_id == video.aigc_produce_id
    work = works(fakes).publish(uid, Listing(video_id, "桶里的视频"))
    served = labels.inspect(storage.get(work.play_key))
    assert served.verdict is Verdict.VERIFIED
    assert (served.label.produce_id, served.label.propagate_id) == (video.aigc_produce_id, work.aigc_propagate_id)
