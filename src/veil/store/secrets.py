"""Encryption of secrets at rest (linkage keys) and hashing of API keys.

``SecretBox`` uses Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with the
server master key: ``VEIL_MASTER_KEY`` if set, otherwise a key generated once into
``<data_dir>/master.key`` with 0600 permissions. Losing that file makes stored linkage
keys unreadable, so it belongs in backups (docs/configuration.md).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from veil.settings import Settings


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        if settings.master_key is not None:
            return cls(settings.master_key.get_secret_value().encode())
        path = Path(settings.data_dir) / "master.key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            key = Fernet.generate_key()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, key)
            finally:
                os.close(fd)
        os.chmod(path, 0o600)
        return cls(path.read_bytes().strip())

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise ValueError("cannot decrypt: wrong master key or corrupted value") from None


def hash_api_key(key: str) -> str:
    """SHA-256 hex digest. API keys are 256-bit random tokens, so no salt or stretching is needed."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_api_key() -> str:
    return "veil_" + secrets.token_urlsafe(32)
