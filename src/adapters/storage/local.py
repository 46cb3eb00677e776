"""Files on local disk, served by the app under /v1/files/: public keys directly, private ones only through
signed, expiring links (the embedded default)."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import attrs

from skyriff_domain.errors import NotFound, PermissionDenied
from skyriff_domain.ports import BlobStorage

from .keys import PUBLIC_PREFIX, BadKey, clean_key
from .signing import clean_filename, link_is_valid, link_signature

__all__ = ["PUBLIC_PREFIX", "LocalBlobStorage", "ServedFile"]


@attrs.frozen
class ServedFile:
    """A file a request may read, whether it is public (cacheable by anyone), and the name a signed link asked
    it to be saved under."""

    path: Path
    public: bool
    download_name: str | None = None


class LocalBlobStorage(BlobStorage):
    def __init__(self, root: str | Path, public_base_url: str, secret: str) -> None:
        self.root = Path(root).resolve()
        self.base = public_base_url.rstrip("/") + "/v1/files/"
        self.secret = secret

    def path(self, key: str) -> Path:
        """The file behind a clean key; raises BadKey for any other key, or one that resolves (through a
        symlink) outside the storage root."""
        path = (self.root / clean_key(key)).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise BadKey(f"bad storage key: {key!r}")
        return path

    def servable(self, key: str, expires: str | None, signature: str | None, now: datetime,
                 filename: str | None = None) -> ServedFile:
        """The file a GET of `key` may read: public, or private with a valid signed link for it (and for the
        `filename` it names, if any).

        Public or private is decided on the key as resolved on disk, never on the raw request: a key that
        is not clean is NotFound (2007) before any signature is looked at, a private one without a valid
        link PermissionDenied (2002) whether or not it exists, a missing file NotFound.
        """
        try:
            path = self.path(key)
        except BadKey:
            raise NotFound("文件不存在") from None
        resolved = path.relative_to(self.root).as_posix()
        public = resolved.startswith(PUBLIC_PREFIX)
        if not public and not link_is_valid(self.secret, resolved, expires, signature, now, filename):
            raise PermissionDenied("链接无效或已过期")
        if not path.is_file():
            raise NotFound("文件不存在")
        return ServedFile(path, public, None if public else filename)

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
        return self.base + quote(clean_key(key))

    def signed_url(self, key: str, expires_at: datetime, filename: str | None = None) -> str:
        expires = int(expires_at.timestamp())
        key, filename = clean_key(key), clean_filename(filename)
        named = f"&filename={filename}" if filename else ""
        signature = link_signature(self.secret, key, expires, filename)
        return f"{self.base}{quote(key)}?expires={expires}{named}&signature={signature}"
