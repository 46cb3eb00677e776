"""Personal data at rest: AES-256-GCM tokens and HMAC-SHA256 fingerprints under keys derived from one secret.

`SKYRIFF_IDENTITY_KEY` is 32 random bytes in URL-safe base64 (`AesGcmPersonalDataCipher.generate_key()`).
HKDF-SHA256 derives two independent keys from it, one to encrypt and one to fingerprint, so a fingerprint
reveals nothing about the encryption key and vice versa. Tokens read `v1.<base64url(nonce ‖ ciphertext ‖ tag)>`
with a random 96-bit nonce and the version as associated data. Rotating the secret changes every fingerprint:
it needs a job that re-encrypts and re-fingerprints the stored values.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from skyriff_domain.ports.payouts import PersonalDataCipher

VERSION = "v1"
_AAD = b"skyriff personal data v1"
_NONCE_BYTES = 12


class AesGcmPersonalDataCipher(PersonalDataCipher):
    """`PersonalDataCipher` keyed by one secret (SKYRIFF_IDENTITY_KEY)."""

    def __init__(self, key: str) -> None:
        try:
            secret = base64.urlsafe_b64decode(_padded(key.strip()))
        except (binascii.Error, ValueError):
            secret = b""
        if len(secret) != 32:
            raise ValueError("the identity key must be 32 bytes in URL-safe base64")  # never echo the key
        self._aead = AESGCM(_derive(secret, b"skyriff/identity/encrypt/v1"))
        self._mac_key = _derive(secret, b"skyriff/identity/fingerprint/v1")

    def __repr__(self) -> str:
        return "AesGcmPersonalDataCipher(key=<hidden>)"

    @staticmethod
    def generate_key() -> str:
        return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")

    def encrypt(self, plain: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain.encode("utf-8"), _AAD)
        return f"{VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii').rstrip('=')}"

    def decrypt(self, token: str) -> str:
        version, _, body = token.partition(".")
        if version != VERSION or not body:
            raise ValueError("not a personal-data token")
        try:
            raw = base64.urlsafe_b64decode(_padded(body))
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD).decode("utf-8")
        except (binascii.Error, ValueError, InvalidTag):
            raise ValueError("the token does not decrypt under this key") from None

    def fingerprint(self, plain: str) -> str:
        return hmac.new(self._mac_key, plain.encode("utf-8"), hashlib.sha256).hexdigest()


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _padded(text: str) -> str:
    return text + "=" * (-len(text) % 4)
