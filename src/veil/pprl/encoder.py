"""The CLK encoder: records in, base64 Bloom filters out, byte-identical to clkhash.

Speed comes from work that is never repeated: HMAC/BLAKE2 states keyed once and ``copy()``-ed
per token, a per-feature cache from token to its bit mask, and a per-feature cache from raw cell
to the feature's whole bit mask (names, dates and codes repeat a lot). A filter is a Python int
whose most significant bit is bit 0 of clkhash's big-endian bitarray, so OR, XOR folding and
serialisation are single big-int operations.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from veil.errors import InvalidInputError
from veil.pprl.keys import LinkageKeys, Mode
from veil.pprl.schema import Feature, LinkageSchema, parse_schema
from veil.pprl.tokens import (
    CellError,
    bits_per_token,
    make_normaliser,
    make_tokenizer,
    make_validator,
)

CELL_CACHE_SIZE = 1 << 16
TOKEN_CACHE_SIZE = 1 << 17
_TRANS_36 = bytes(x ^ 0x36 for x in range(256))
_TRANS_5C = bytes(x ^ 0x5C for x in range(256))
_SHORTS = struct.Struct("<32H")  # clkhash unpacks with native order: little-endian on x86/ARM


class ClkResult(NamedTuple):
    """One record's outcome: ``clk`` (base64) or ``error`` (a message naming the column)."""

    index: int
    clk: str | None
    error: str | None


class RowError(ValueError):
    """A record could not be hashed; ``message`` names the row and column, never the value."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _keyed_hmac(key: bytes, factory: Callable[..., Any]) -> tuple[Any, Any]:
    """Inner and outer states of HMAC(key) (RFC 2104) so each token costs two ``copy()``s."""
    block = 64  # SHA-1 and MD5 block size
    if len(key) > block:
        key = factory(key).digest()
    key = key.ljust(block, b"\0")
    return factory(key.translate(_TRANS_36)), factory(key.translate(_TRANS_5C))


class _FeatureCodec:
    """Everything needed to turn one column's cell into its bit mask."""

    __slots__ = (
        "bits",
        "cell_cache",
        "column",
        "feature",
        "index_fn",
        "missing",
        "normalise",
        "token_cache",
        "tokenize",
        "validate",
    )

    def __init__(self, column: int, feature: Feature, keys: tuple[bytes, bytes], bits: int, mode: Mode) -> None:
        assert feature.comparison is not None
        self.column = column
        self.feature = feature
        self.bits = bits
        self.validate = make_validator(feature)
        self.normalise = make_normaliser(feature)
        self.tokenize = make_tokenizer(feature.comparison, mode)
        self.missing = feature.missing_value
        self.cell_cache: dict[str, int] = {}
        self.token_cache: dict[tuple[str, int], int] = {}
        self.index_fn = self._make_index_fn(feature, keys, bits)

    @staticmethod
    def _make_index_fn(feature: Feature, keys: tuple[bytes, bytes], bits: int) -> Callable[[bytes, int], list[int]]:
        if feature.hash_type == "blakeHash":
            salted = [hashlib.blake2b(key=keys[0], salt=b"0")]

            def blake(token: bytes, k: int) -> list[int]:
                shorts: list[int] = []
                for i in range((k + 31) // 32):
                    while len(salted) <= i:
                        salted.append(hashlib.blake2b(key=keys[0], salt=str(len(salted)).encode()))
                    h = salted[i].copy()
                    h.update(token)
                    shorts.extend(_SHORTS.unpack(h.digest()))
                return [s % bits for s in shorts[:k]]

            return blake

        sha_in, sha_out = _keyed_hmac(keys[0], hashlib.sha1)
        md5_in, md5_out = _keyed_hmac(keys[1], hashlib.md5)
        non_singular = feature.prevent_singularity

        def mac(inner: Any, outer: Any, token: bytes) -> int:
            h = inner.copy()
            h.update(token)
            o = outer.copy()
            o.update(h.digest())
            return int.from_bytes(o.digest(), "big")

        def double(token: bytes, k: int) -> list[int]:
            a = mac(sha_in, sha_out, token) % bits
            b = mac(md5_in, md5_out, token) % bits
            if non_singular:
                i = 0
                while b == 0:
                    b = mac(md5_in, md5_out, token + chr(i).encode()) % bits
                    i += 1
            return [(a + i * b) % bits for i in range(k)]

        return double

    def token_mask(self, token: str, k: int) -> int:
        key = (token, k)
        mask = self.token_cache.get(key)
        if mask is None:
            try:
                raw = token.encode(self.feature.encoding)
            except UnicodeEncodeError as exc:
                raise CellError(f"Expected entry that can be encoded in {self.feature.encoding}.") from exc
            top = self.bits - 1
            mask = 0
            for p in self.index_fn(raw, k):
                mask |= 1 << (top - p)
            if len(self.token_cache) >= TOKEN_CACHE_SIZE:
                self.token_cache.clear()
            self.token_cache[key] = mask
        return mask

    def compute(self, cell: str) -> int:
        """Validate, normalise, tokenise and hash one cell (cache miss path)."""
        missing = self.missing
        if missing is not None and cell == missing.sentinel:
            value = missing.replace_with
        else:
            self.validate(cell)
            value = self.normalise(cell)
        tokens = self.tokenize(value)
        mask = 0
        if tokens:
            ks = bits_per_token(self.feature, len(tokens))
            if self.feature.strategy is not None and self.feature.strategy.bits_per_token is not None:
                k = ks[0]
                for token in set(tokens):
                    mask |= self.token_mask(token, k)
            else:
                best: dict[str, int] = {}
                for token, k in zip(tokens, ks, strict=True):
                    if k > best.get(token, -1):
                        best[token] = k
                for token, k in best.items():
                    if k:
                        mask |= self.token_mask(token, k)
        if len(self.cell_cache) >= CELL_CACHE_SIZE:
            self.cell_cache.clear()
        self.cell_cache[cell] = mask
        return mask


class ClkEncoder:
    """Hashes records with one schema and one set of keys.

    ``ClkEncoder(schema, secret="...")`` is clkhash 0.15-0.18.3; ``ClkEncoder(schema,
    key1="...", key2="...")`` is clkhash 0.11-0.14. Instances are picklable (caches and keyed
    hash states are rebuilt in the receiving process), so they can be sent to worker processes.
    """

    def __init__(
        self,
        schema: LinkageSchema | dict[str, Any] | str | bytes,
        *,
        secret: str | bytes | None = None,
        key1: str | bytes | None = None,
        key2: str | bytes | None = None,
        keys: LinkageKeys | None = None,
    ) -> None:
        self.schema = parse_schema(schema)
        self.keys = keys if keys is not None else make_keys(secret=secret, key1=key1, key2=key2)
        self._build()

    def _build(self) -> None:
        schema, mode = self.schema, self.keys.mode
        _check_mode(schema, mode)
        derived = self.keys.derive(len(schema.features), schema.kdf)
        bits = schema.hash_bits
        self.num_columns = len(schema.features)
        self._codecs = [
            _FeatureCodec(i, f, derived[i], bits, mode)
            for i, f in enumerate(schema.features)
            if not f.ignored
        ]
        self._folds = schema.xor_folds
        self._nbytes = (schema.l + 7) // 8
        self._shift = self._nbytes * 8 - schema.l

    @property
    def mode(self) -> Mode:
        return self.keys.mode

    def __getstate__(self) -> dict[str, Any]:
        return {"schema": self.schema, "keys": self.keys}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.schema = state["schema"]
        self.keys = state["keys"]
        self._build()

    def __repr__(self) -> str:
        return f"ClkEncoder(mode={self.mode!r}, features={self.num_columns}, l={self.schema.l})"

    # -------------------------------------------------------------- header and rows

    def check_header(self, header: Sequence[str]) -> None:
        """Raise ``InvalidInputError(field="header")`` unless the header names the features in order."""
        expected = self.schema.identifiers
        if len(header) != len(expected):
            raise InvalidInputError(
                f"Header has {len(header)} columns when {len(expected)} are expected.", field="header"
            )
        for position, (got, want) in enumerate(zip(header, expected, strict=True)):
            if got != want:
                raise InvalidInputError(
                    f"Column {position} has identifier '{got}' when '{want}' is expected.", field="header"
                )

    def encode_bits(self, row: Sequence[str], index: int = 0) -> int:
        """The folded filter as an int (bit 0 of the CLK is the most significant of ``l`` bits)."""
        if len(row) != self.num_columns:
            raise RowError(f"Row {index} has {len(row)} entries when {self.num_columns} are expected.")
        acc = 0
        codec = None
        try:
            for codec in self._codecs:
                cell = row[codec.column]
                mask = codec.cell_cache.get(cell)
                if mask is None:
                    mask = codec.compute(cell)
                acc |= mask
        except CellError as exc:
            assert codec is not None
            raise RowError(
                f"Invalid entry in row {index}, column '{codec.feature.identifier}'. {exc.reason}"
            ) from None
        except TypeError:
            raise RowError(f"Row {index} contains a value that is not text.") from None
        bits = self.schema.hash_bits
        for _ in range(self._folds):
            bits //= 2
            acc = (acc >> bits) ^ (acc & ((1 << bits) - 1))
        return acc

    def encode(self, row: Sequence[str], index: int = 0) -> str:
        """Base64 CLK of one record; raises :class:`RowError` for an invalid record."""
        acc = self.encode_bits(row, index)
        return base64.b64encode((acc << self._shift).to_bytes(self._nbytes, "big")).decode("ascii")

    def hash_rows(self, rows: Iterable[Sequence[str]], start_index: int = 0) -> list[ClkResult]:
        """One :class:`ClkResult` per row; invalid rows become errors, the others are hashed."""
        out: list[ClkResult] = []
        append = out.append
        encode = self.encode
        for i, row in enumerate(rows, start_index):
            try:
                append(ClkResult(i, encode(row, i), None))
            except RowError as exc:
                append(ClkResult(i, None, exc.message))
        return out


def make_keys(
    *, secret: str | bytes | None = None, key1: str | bytes | None = None, key2: str | bytes | None = None
) -> LinkageKeys:
    """Exactly one of ``secret`` or the pair ``key1``/``key2``."""
    if secret is not None:
        if key1 is not None or key2 is not None:
            raise InvalidInputError("give either 'secret' or 'key1' and 'key2', not both", field="secret")
        return LinkageKeys.from_secret(secret)
    if key1 is None or key2 is None:
        missing = "key1" if key1 is None else "key2"
        raise InvalidInputError(
            "keys are required: a 'secret' (clkhash >= 0.15) or 'key1' and 'key2' (clkhash <= 0.14)",
            field=missing if (key1 is not None or key2 is not None) else "secret",
        )
    return LinkageKeys.from_pair(key1, key2)


def _check_mode(schema: LinkageSchema, mode: Mode) -> None:
    """Options that only one clkhash era supports are refused in the other mode."""
    for f in schema.features:
        if f.ignored or f.comparison is None:
            continue
        comp = f.comparison
        where = f"{f.path}.hashing"
        if mode == "two-key":
            if comp.type != "ngram":
                raise InvalidInputError(
                    f"comparison '{comp.type}' needs single-secret mode (clkhash >= 0.15)",
                    field=f"{where}.comparison.type",
                )
            if comp.n > 2:
                raise InvalidInputError(
                    "two-key mode (clkhash <= 0.14) supports n-grams of size 0, 1 or 2", field=f"{where}.ngram"
                )
        elif comp.type == "ngram" and comp.n < 1:
            raise InvalidInputError(
                "n-gram size must be at least 1 in single-secret mode (clkhash >= 0.15)",
                field=f"{where}.ngram" if schema.version < 3 else f"{where}.comparison.n",
            )
    num = len(schema.features)
    per_call = (2 * num if mode == "secret" else num) * schema.kdf.key_size
    limit = 255 * (32 if schema.kdf.hash == "SHA256" else 64)
    if per_call > limit:
        raise InvalidInputError(
            f"HKDF-{schema.kdf.hash} can derive at most {limit} bytes but {num} features x keySize "
            f"{schema.kdf.key_size} need {per_call}; use SHA512, a smaller keySize or fewer features",
            field="clkConfig.kdf.keySize",
        )


def hash_chunk(encoder: ClkEncoder, rows: Sequence[Sequence[str]], start_index: int = 0) -> list[ClkResult]:
    """Hash one chunk of rows; a top-level function so job systems and process pools can pickle it."""
    return encoder.hash_rows(rows, start_index)
