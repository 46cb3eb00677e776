"""Files on local disk, served by the app under /v1/files/: public keys directly, private ones only through
signed, expiring links (the embedded default)."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from skyriff_domain.ports import BlobStorage

from .signing import link_is_valid, link_signature

PUBLIC_PREFIX = "public/"


class LocalBlobStorage(BlobStorage):
    def __init__(self, root: str | Path, public_base_url: str, secret: str) -> None:
        self.root = Path(root).resolve()
        self.base = public_base_url.rstrip("/") + "/v1/files/"
        self.secret = secret

    def path(self, key: str) -> Path:
        """The file behind a key; refuses keys that would leave the storage root."""
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"bad storage key: {key!r}")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, path)  # readers never see half a file

    def get(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def public_url(self, key: str) -> str:
        return self.base + quote(key)

    def link_is_valid(self, key: str, expires: str | None, signature: str | None, now: datetime) -> bool:
        return link_is_valid(self.secret, key, expires, signature, now)

    def signed_url(self, key: str, expires_at: datetime) -> str:
        expires = int(expires_at.timestamp())
        return f"{self.base}{quote(key)}?expires={expires}&signature={link_signature(self.secret, key, expires)}"
