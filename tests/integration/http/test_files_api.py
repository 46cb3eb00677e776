"""GET /v1/files/…: public files for anyone, private originals only through a valid signed link, and no key
spelling (dot segments, encoded slashes, backslashes, NUL, absolute paths) that reaches a private file."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

ORIGINAL = "private/videos/7/12-abc/original.mp4"
SECRET_BYTES = b"\x00\x00\x00\x18ftypmp42 the watermark-free original"
PUBLIC = "public/videos/7/12-abc/play.mp4"

# Every way of spelling "public/../private/…" (and other escapes) that we know of; each must be a 404.
TRAVERSALS = [
    f"/v1/files/public/../{ORIGINAL}",
    f"/v1/files/public/./../{ORIGINAL}",
    f"/v1/files/public/%2e%2e/{ORIGINAL}",
    f"/v1/files/public/%2E%2E/{ORIGINAL}",
    f"/v1/files/public/.%2e/{ORIGINAL}",
    f"/v1/files/public/..%2f{ORIGINAL}",
    f"/v1/files/public/..%2F{ORIGINAL}",
    f"/v1/files/public%2f..%2f{ORIGINAL}",
    f"/v1/files/public%2F%2e%2e%2F{ORIGINAL.replace('/', '%2F')}",
    f"/v1/files/public/..\\{ORIGINAL}",
    f"/v1/files/public/..%5c{ORIGINAL}",
    f"/v1/files/public\\..\\{ORIGINAL.replace('/', chr(92))}",
    f"/v1/files/public/%252e%252e/{ORIGINAL}",
    f"/v1/files/public/%252e%252e%252f{ORIGINAL}",
    f"/v1/files/public//../{ORIGINAL}",
    f"/v1/files/public/x/../../{ORIGINAL}",
    f"/v1/files/public/%00/../{ORIGINAL}",
    f"/v1/files/public/..%00/{ORIGINAL}",
    f"/v1/files/%2f{ORIGINAL}",
    "/v1/files/%2Fetc/passwd",
    "/v1/files/public/../../../../../../etc/passwd",
    "/v1/files/public/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
]


@pytest.fixture
def storage(client):
    storage = client.app.extensions["skyriff"].storage()
    storage.put(ORIGINAL, SECRET_BYTES, "video/mp4")
    storage.put(PUBLIC, b"\x00\x00\x00\x18ftypmp42 watermarked", "video/mp4")
    return storage


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_public_files_are_served_to_anyone(client, storage):
    response = client.raw.get(f"/v1/files/{PUBLIC}")
    assert response.status_code == 200 and response.data.endswith(b"watermarked")


def test_a_private_file_needs_a_valid_signed_link(client, storage):
    assert client.raw.get(f"/v1/files/{ORIGINAL}").status_code == 403
    now = client.app.extensions["skyriff"].clock().now()
    link = local_path(storage.signed_url(ORIGINAL, now + timedelta(hours=1)))
    response = client.raw.get(link)
    assert response.status_code == 200 and response.data == SECRET_BYTES


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_spelling_of_a_traversal_reaches_a_private_file(client, storage, path):
    response = client.raw.get(path)
    assert response.status_code == 404, (path, response.status_code, response.data[:80])
    assert response.get_json()["code"] == 2007
    assert SECRET_BYTES not in response.data


@pytest.mark.parametrize("path", TRAVERSALS)
def test_a_signature_does_not_bless_a_traversal(client, storage, path):
    """Even a correctly signed link for the raw key is refused: keys are checked before any signature."""
    from adapters.storage.signing import link_signature

    now = client.app.extensions["skyriff"].clock().now()
    expires = int((now + timedelta(hours=1)).timestamp())
    raw_key = path.removeprefix("/v1/files/")
    response = client.raw.get(f"{path}?expires={expires}&signature={link_signature('files-secret', raw_key, expires)}")
    assert response.status_code == 404 and SECRET_BYTES not in response.data


def test_a_missing_file_is_a_404(client, storage):
    response = client.raw.get("/v1/files/public/videos/7/none.mp4")
    assert response.status_code == 404 and response.get_json()["code"] == 2007
