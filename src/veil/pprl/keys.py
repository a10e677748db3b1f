"""Key derivation: HKDF (RFC 5869) and the per-feature key layouts of the two clkhash eras.

* Two-key mode (clkhash 0.11-0.14): each of ``key1`` and ``key2`` goes through one HKDF call
  producing ``len(features)`` keys; feature *i* hashes with ``(key1_i, key2_i)``.
* Single-secret mode (clkhash 0.15-0.18.3): one HKDF call on ``secret`` produces
  ``2 * len(features)`` keys; feature *i* hashes with ``(k_2i, k_2i+1)``.

In both, the first key of a pair keys HMAC-SHA1 (double hashing) or BLAKE2b, the second
HMAC-MD5. Ignored features still consume their keys, exactly as in clkhash.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from veil.errors import InvalidInputError
from veil.pprl.schema import KdfConfig

Mode = Literal["two-key", "secret"]

_HASHES = {"SHA256": "sha256", "SHA512": "sha512"}


def hkdf(ikm: bytes, length: int, *, hash_name: str = "SHA256", salt: bytes | None = None,
         info: bytes | None = None) -> bytes:
    """RFC 5869 extract-and-expand; a missing salt is a string of zeros of the hash length."""
    algo = _HASHES[hash_name]
    hash_len = hashlib.new(algo).digest_size
    if length > 255 * hash_len:
        raise InvalidInputError(
            f"HKDF with {hash_name} cannot produce {length} bytes (at most {255 * hash_len}); "
            "use fewer features, a smaller keySize or SHA512",
            field="clkConfig.kdf.keySize",
        )
    prk = hmac.digest(salt if salt else bytes(hash_len), ikm, algo)
    info = info or b""
    out = bytearray()
    block = b""
    counter = 1
    while len(out) < length:
        block = hmac.digest(prk, block + info + bytes([counter]), algo)
        out += block
        counter += 1
    return bytes(out[:length])


def _as_bytes(value: str | bytes, name: str) -> bytes:
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if not raw:
        raise InvalidInputError(f"the {name} must not be empty", field=name)
    return raw


@dataclass(frozen=True)
class LinkageKeys:
    """The caller's secret material: either one ``secret`` or the pair ``key1``/``key2``.

    ``repr`` never shows the values.
    """

    mode: Mode
    material: tuple[bytes, ...]

    @classmethod
    def from_secret(cls, secret: str | bytes) -> LinkageKeys:
        return cls("secret", (_as_bytes(secret, "secret"),))

    @classmethod
    def from_pair(cls, key1: str | bytes, key2: str | bytes) -> LinkageKeys:
        return cls("two-key", (_as_bytes(key1, "key1"), _as_bytes(key2, "key2")))

    def __repr__(self) -> str:
        return f"LinkageKeys(mode={self.mode!r}, material=<hidden>)"

    def derive(self, num_features: int, kdf: KdfConfig) -> list[tuple[bytes, bytes]]:
        """One ``(first, second)`` key pair per feature (ignored features included)."""
        size = kdf.key_size
        if self.mode == "secret":
            block = hkdf(self.material[0], 2 * num_features * size, hash_name=kdf.hash,
                         salt=kdf.salt, info=kdf.info)
            keys = [block[i * size:(i + 1) * size] for i in range(2 * num_features)]
            return [(keys[2 * i], keys[2 * i + 1]) for i in range(num_features)]
        blocks = [
            hkdf(m, num_features * size, hash_name=kdf.hash, salt=kdf.salt, info=kdf.info)
            for m in self.material
        ]
        return [
            (blocks[0][i * size:(i + 1) * size], blocks[1][i * size:(i + 1) * size])
            for i in range(num_features)
        ]
