"""Blob storage in a dict, for unit tests."""
from __future__ import annotations

from datetime import datetime

from skyriff_domain.ports import BlobStorage


class MemoryBlobStorage(BlobStorage):
    def __init__(self) -> None:
        self.blobs: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.blobs[key] = (data, content_type)

    def get(self, key: str) -> bytes:
        return self.blobs[key][0]

    def delete(self, key: str) -> None:
        self.blobs.pop(key, None)

    def public_url(self, key: str) -> str:
        return f"memory://{key}"

    def signed_url(self, key: str, expires_at: datetime) -> str:
        return f"memory://{key}?expires={int(expires_at.timestamp())}"
