"""Storage keys at the adapter level: every blob adapter refuses keys that could name another object, and the
local adapter decides public or private on the key as resolved on disk, never on the raw request."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.storage.keys import BadKey, clean_key, is_public
from adapters.storage.local import LocalBlobStorage
from adapters.storage.memory import MemoryBlobStorage
from adapters.storage.s3 import S3BlobStorage, S3Config
from adapters.storage.signing import link_signature
from skyriff_domain.errors import NotFound, PermissionDenied

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
SECRET = "files-secret"
ORIGINAL = "private/videos/7/12-abc/original.mp4"

BAD_KEYS = [
    "", "/", "/etc/passwd", f"/{ORIGINAL}", f"public/../{ORIGINAL}", f"public/./../{ORIGINAL}", "public/..",
    "..", ".", "./public/x.mp4", "public/./x.mp4", "public//x.mp4", "public/x.mp4/", f"public/..\\{ORIGINAL}",
    "public\\x.mp4", "public/x\x00.mp4", "public/\x00/../x", "public/x\n.mp4", "public/x\x7f.mp4",
    "public/" + "a" * 1100,
]
GOOD_KEYS = ["public/videos/7/12-abc/play.mp4", ORIGINAL, "public/images/7/ab.webp", "private/videos/我的 视频 (1).mp4",
             "public/x..y.mp4", "public/%2e%2e/x", "public/...", "public/.hidden"]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_a_key_that_could_escape_is_refused(key):
    with pytest.raises(BadKey):
        clean_key(key)
    assert issubclass(BadKey, ValueError)


@pytest.mark.parametrize("key", GOOD_KEYS)
def test_plain_keys_pass_unchanged(key):
    assert clean_key(key) == key
    assert is_public(key) == key.startswith("public/")


@pytest.fixture
def local(tmp_path) -> LocalBlobStorage:
    storage = LocalBlobStorage(tmp_path / "storage", "http://api.test", SECRET)
    storage.put(ORIGINAL, b"original", "video/mp4")
    storage.put("public/videos/7/12-abc/play.mp4", b"play", "video/mp4")
    return storage


def signed(key: str) -> tuple[str, str]:
    expires = int((NOW + timedelta(hours=1)).timestamp())
    return str(expires), link_signature(SECRET, key, expires)


def test_local_serves_public_files_and_signed_private_ones(local):
    public = local.servable("public/videos/7/12-abc/play.mp4", None, None, NOW)
    assert public.public and public.path.read_bytes() == b"play"
    with pytest.raises(PermissionDenied):
        local.servable(ORIGINAL, None, None, NOW)
    query = parse_qs(urlsplit(local.signed_url(ORIGINAL, NOW + timedelta(hours=1))).query)
    private = local.servable(ORIGINAL, query["expires"][0], query["signature"][0], NOW)
    assert not private.public and private.path.read_bytes() == b"original"
    with pytest.raises(NotFound):
        local.servable("public/videos/7/none.mp4", None, None, NOW)


@pytest.mark.parametrize("key", [k for k in BAD_KEYS if k])
def test_local_never_serves_a_bad_key_even_signed(local, key):
    for expires, signature in [(None, None), signed(key)]:
        with pytest.raises(NotFound):
            local.servable(key, expires, signature, NOW)


def test_local_decides_on_the_resolved_key(local, tmp_path):
    """A public key that resolves (through a symlink) to a private file is private: it needs a signed link."""
    (local.root / "public" / "leak").symlink_to(local.root / "private")
    with pytest.raises(PermissionDenied):
        local.servable("public/leak/videos/7/12-abc/original.mp4", None, None, NOW)
    (tmp_path / "secret.txt").write_text("not in storage")
    (local.root / "public" / "outside").symlink_to(tmp_path)
    with pytest.raises(NotFound):
        local.servable("public/outside/secret.txt", None, None, NOW)


class NoClient:
    """An S3 client that must never be reached: a bad key is refused before any request."""

    def __getattr__(self, name):
        raise AssertionError(f"S3 client called ({name}) with a bad key")


@pytest.fixture(params=["local", "memory", "s3"])
def any_storage(request, tmp_path):
    if request.param == "local":
        return LocalBlobStorage(tmp_path / "storage", "http://api.test", SECRET)
    if request.param == "memory":
        return MemoryBlobStorage()
    return S3BlobStorage(S3Config(bucket="b", endpoint_url="http://s3.test"), client=NoClient(), clock=lambda: NOW)


@pytest.mark.parametrize("key", BAD_KEYS)
def test_every_adapter_refuses_bad_keys_on_put_get_delete_and_links(any_storage, key):
    for call in (lambda: any_storage.put(key, b"x", "video/mp4"), lambda: any_storage.get(key),
                 lambda: any_storage.delete(key), lambda: any_storage.public_url(key),
                 lambda: any_storage.signed_url(key, NOW + timedelta(hours=1))):
        with pytest.raises(ValueError):
            call()
    if isinstance(any_storage, LocalBlobStorage):
        assert not any(p.is_file() for p in any_storage.root.parent.rglob("*"))
