"""Blob storage in a dict, for unit tests; refuses the same keys as the real adapters."""
from __future__ import annotations

from datetime import datetime

from skyriff_domain.ports import BlobStorage

from .keys import clean_key
from .signing import clean_filename


class MemoryBlobStorage(BlobStorage):
    def __init__(self) -> None:
        self.blobs: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.blobs[clean_key(key)] = (data, content_type)

    def get(self, key: str) -> bytes:
        return self.blobs[clean_key(key)][0]

    def delete(self, key: str) -> None:
        self.blobs.pop(clean_key(key), None)

    def public_url(self, key: str) -> str:
        return f"memory://{clean_key(key)}"

    def signed_url(self, key: str, expires_at: datetime, filename: str | None = None) -> str:
        named = f"&filename={clean_filename(filename)}" if filename else ""
        return f"memory://{clean_key(key)}?expires={int(expires_at.timestamp())}{named}"
