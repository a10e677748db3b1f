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
from binascii import b2a_base64
from collections.abc import Callable, Sequence
from functools import partial
from itertools import repeat
from operator import or_
from typing import Any, NamedTuple

from veil.errors import InvalidInputError
from veil.pprl.keys import LinkageKeys, Mode
from veil.pprl.schema import Feature, LinkageSchema, StringFormat, parse_schema
from veil.pprl.tokens import (
    CellError,
    bits_per_token,
    make_preparer,
    make_tokenizer,
)

CELL_CACHE_SIZE = 1 << 16
TOKEN_CACHE_SIZE = 1 << 17
_TRANS_36 = bytes(x ^ 0x36 for x in range(256))
_TRANS_5C = bytes(x ^ 0x5C for x in range(256))
_SHORTS = struct.Struct("<32H")  # clkhash unpacks with native order: little-endian on x86/ARM


class ClkResult(NamedTuple):
    """One record's outcome: ``clk`` (base64) or ``error`` (a message naming the column)."""

    index: int  # type: ignore[assignment]  # the seed's name; shadows tuple.index on purpose
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
        "fixed_k",
        "index_fn",
        "ks_cache",
        "missing",
        "positional_chunks",
        "prepare",
        "space_mask",
        "split_words",
        "token_caches",
        "tokenize",
        "value_cache",
        "value_mask",
        "words_direct",
    )

    def __init__(
        self, column: int, feature: Feature, keys: tuple[bytes, bytes], bits: int, mode: Mode
    ) -> None:
        assert feature.comparison is not None
        self.column = column
        self.feature = feature
        self.bits = bits
        self.prepare = make_preparer(feature)
        self.tokenize = make_tokenizer(feature.comparison, mode)
        self.missing = feature.missing_value
        self.cell_cache: dict[str, int] = {}
        assert feature.strategy is not None
        self.fixed_k = feature.strategy.bits_per_token
        self.token_caches: dict[int, dict[str, int]] = {} if self.fixed_k is None else {self.fixed_k: {}}
        self.ks_cache: dict[int, list[int]] = {}
        self.index_fn = self._make_index_fn(feature, keys, bits)
        comp = feature.comparison
        # Non-positional 1- and 2-grams with a fixed k: the token set of "A B" is the union of
        # the token sets of "A" and "B" (plus " " for unigrams), so a value's mask is the OR of
        # its words' masks, and words repeat far more than whole values.
        self.split_words = comp.type == "ngram" and not comp.positional and comp.n in (1, 2) and (
            self.fixed_k is not None
        )
        # Positional unigrams: token i depends only on (i, value[i]) (and, for bitsPerFeature,
        # on the value's length), so a value's mask is the OR of the masks of its 4-character
        # slices at their offsets; slices of dates, postcodes and phone numbers repeat.
        self.positional_chunks = comp.type == "ngram" and comp.positional and comp.n == 1
        self.value_cache: dict[str, int] = {}
        # free text (names) rarely repeats whole but its words do: skip the cell cache for it
        self.words_direct = self.split_words and isinstance(feature.format, StringFormat)
        self.space_mask = 0
        self.value_mask: Callable[[str], int] = (
            self._words_mask if self.split_words
            else self._positional_mask if self.positional_chunks
            else self.tokens_mask
        )
        if self.split_words and comp.n == 1 and self.fixed_k:
            self.space_mask = self._token_miss(" ", self.fixed_k, self.token_caches[self.fixed_k])

    @staticmethod
    def _make_index_fn(
        feature: Feature, keys: tuple[bytes, bytes], bits: int
    ) -> Callable[[bytes, int], list[int]]:
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

    def _token_miss(self, token: str, k: int, cache: dict[str, int]) -> int:
        try:
            raw = token.encode(self.feature.encoding)
        except UnicodeEncodeError as exc:
            raise CellError(f"Expected entry that can be encoded in {self.feature.encoding}.") from exc
        top = self.bits - 1
        mask = 0
        for p in self.index_fn(raw, k):
            mask |= 1 << (top - p)
        if len(cache) >= TOKEN_CACHE_SIZE:
            cache.clear()
        cache[token] = mask
        return mask

    def _ks(self, num_tokens: int) -> list[int]:
        ks = self.ks_cache.get(num_tokens)
        if ks is None:
            ks = bits_per_token(self.feature, num_tokens)
            if len(self.ks_cache) < 4096:
                self.ks_cache[num_tokens] = ks
        return ks

    def tokens_mask(self, value: str) -> int:
        """OR of the masks of the value's tokens."""
        tokens = self.tokenize(value)
        mask = 0
        k = self.fixed_k
        if k is not None:
            cache = self.token_caches[k]
            get = cache.get
            for token in tokens:
                m = get(token)
                if m is None:
                    m = self._token_miss(token, k, cache)
                mask |= m
        elif tokens:
            # Repeated tokens OR their bit sets; a larger k's positions extend a smaller k's.
            caches = self.token_caches
            for token, k in zip(tokens, self._ks(len(tokens)), strict=True):
                if not k:
                    continue
                tcache = caches.get(k)
                if tcache is None:
                    tcache = caches[k] = {}
                m = tcache.get(token)
                if m is None:
                    m = self._token_miss(token, k, tcache)
                mask |= m
        return mask

    def _words_mask(self, value: str) -> int:
        words = value.split(" ")
        if len(words) == 1 or "" in words:
            return self.tokens_mask(value)
        cache = self.value_cache
        mask = self.space_mask
        for word in words:
            m = cache.get(word)
            if m is None:
                m = self.tokens_mask(word)
                if len(cache) >= CELL_CACHE_SIZE:
                    cache.clear()
                cache[word] = m
            mask |= m
        return mask

    def direct(self, cell: str) -> int:
        """Mask of a cell of a word-decomposable feature, bypassing the cell cache.

        Full names rarely repeat but their words do, so for these features the chunk path skips
        the cell cache and goes straight to the per-word cache.
        """
        missing = self.missing
        if missing is not None and cell == missing.sentinel:
            value = missing.replace_with
        else:
            value = self.prepare(cell)
        words = value.split(" ")
        if "" in words:
            return self.tokens_mask(value)
        cache = self.value_cache
        if len(words) == 1:
            m = cache.get(value)
            if m is None:
                m = self.tokens_mask(value)
                if len(cache) >= CELL_CACHE_SIZE:
                    cache.clear()
                cache[value] = m
            return m
        mask = self.space_mask
        for word in words:
            m = cache.get(word)
            if m is None:
                m = self.tokens_mask(word)
                if len(cache) >= CELL_CACHE_SIZE:
                    cache.clear()
                cache[word] = m
            mask |= m
        return mask

    def _positional_mask(self, value: str) -> int:
        size = len(value)
        if size <= 4:
            return self.tokens_mask(value)
        cache = self.value_cache
        fixed = self.fixed_k is not None
        mask = 0
        for start in range(0, size, 4):
            part = value[start:start + 4]
            key = f"{start}:{part}" if fixed else f"{size}:{start}:{part}"
            m = cache.get(key)
            if m is None:
                m = self._slice_mask(part, start, size)
                if len(cache) >= CELL_CACHE_SIZE:
                    cache.clear()
                cache[key] = m
            mask |= m
        return mask

    def _slice_mask(self, part: str, start: int, size: int) -> int:
        ks = [self.fixed_k] * len(part) if self.fixed_k is not None else self._ks(size)[start:start + len(part)]
        mask = 0
        caches = self.token_caches
        for offset, (ch, k) in enumerate(zip(part, ks, strict=True)):
            if not k:
                continue
            tcache = caches.get(k)
            if tcache is None:
                tcache = caches[k] = {}
            token = f"{start + offset + 1} {ch}"
            m = tcache.get(token)
            if m is None:
                m = self._token_miss(token, k, tcache)
            mask |= m
        return mask

    def compute(self, cell: str) -> int:
        """Validate, normalise, tokenise and hash one cell (cache miss path)."""
        missing = self.missing
        if missing is not None and cell == missing.sentinel:
            value = missing.replace_with
        else:
            value = self.prepare(cell)
        mask = self.value_mask(value)
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
        self._plan = [(c.column, c.cell_cache.get, c.compute) for c in self._codecs]
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
        check_header(self.schema, header)

    def encode_bits(self, row: Sequence[str], index: int = 0) -> int:
        """The folded filter as an int (bit 0 of the CLK is the most significant of ``l`` bits)."""
        if len(row) != self.num_columns:
            raise RowError(f"Row {index} has {len(row)} entries when {self.num_columns} are expected.")
        acc = 0
        column = -1
        try:
            for column, get, compute in self._plan:
                cell = row[column]
                mask = get(cell)
                if mask is None:
                    mask = compute(cell)
                acc |= mask
        except CellError as exc:
            name = self.schema.features[column].identifier
            raise RowError(f"Invalid entry in row {index}, column '{name}'. {exc.reason}") from None
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

    def encode_chunk(
        self, rows: Sequence[Sequence[str]], start_index: int = 0
    ) -> tuple[list[str | None], dict[int, str]]:
        """Column-at-a-time hashing of a chunk: (CLK or None per row, {row offset: error}).

        Semantically ``encode`` per row, but the per-feature cache look-ups, the ORs and the
        serialisation run as list comprehensions and C-level ``map`` over whole columns.
        """
        n = self.num_columns
        errors: dict[int, str] = {}
        good = [r for r in rows if len(r) == n]
        positions: list[int] | None = None
        if len(good) != len(rows):
            positions = [i for i, r in enumerate(rows) if len(r) == n]
            for i, r in enumerate(rows):
                if len(r) != n:
                    errors[i] = f"Row {start_index + i} has {len(r)} entries when {n} are expected."
        if not good:
            return [None] * len(rows), errors
        columns = list(zip(*good, strict=True))
        acc: list[int] | None = None
        bad_cells: dict[int, tuple[int, str]] = {}
        for codec in self._codecs:
            col = columns[codec.column]
            if codec.words_direct:
                direct = codec.direct
                try:
                    words_values = [direct(c) for c in col]
                except (CellError, TypeError, AttributeError):
                    words_values = []
                    for j, cell in enumerate(col):
                        try:
                            words_values.append(direct(cell))
                        except CellError as exc:
                            bad_cells.setdefault(j, (codec.column, exc.reason))
                            words_values.append(0)
                        except (TypeError, AttributeError):
                            bad_cells.setdefault(j, (-1, ""))
                            words_values.append(0)
                acc = words_values if acc is None else list(map(or_, acc, words_values))
                continue
            get = codec.cell_cache.get
            masks: list[int | None] = [get(c) for c in col]
            missing = [j for j, m in enumerate(masks) if m is None]
            if missing:
                compute = codec.compute
                for j in missing:
                    cell = col[j]
                    m = get(cell)  # an earlier row of this chunk may have filled it
                    if m is None:
                        try:
                            m = compute(cell)
                        except CellError as exc:
                            if j not in bad_cells:
                                bad_cells[j] = (codec.column, exc.reason)
                            m = 0
                        except (TypeError, AttributeError):
                            if j not in bad_cells:
                                bad_cells[j] = (-1, "")
                            m = 0
                    masks[j] = m
            values: list[int] = masks  # type: ignore[assignment]
            acc = values if acc is None else list(map(or_, acc, values))
        if acc is None:  # every feature ignored: clkhash emits empty filters
            acc = [0] * len(good)
        bits = self.schema.hash_bits
        for _ in range(self._folds):
            bits //= 2
            low = (1 << bits) - 1
            acc = [(m >> bits) ^ (m & low) for m in acc]
        shift, nbytes = self._shift, self._nbytes
        if shift:
            acc = [m << shift for m in acc]
        clks: list[str | None] = [b2a_base64(m.to_bytes(nbytes, "big"), newline=False).decode() for m in acc]
        for j, (column, reason) in bad_cells.items():
            clks[j] = None
            i = j if positions is None else positions[j]
            if column < 0:
                errors[i] = f"Row {start_index + i} contains a value that is not text."
            else:
                name = self.schema.features[column].identifier
                errors[i] = f"Invalid entry in row {start_index + i}, column '{name}'. {reason}"
        if positions is not None:
            full: list[str | None] = [None] * len(rows)
            for j, i in enumerate(positions):
                full[i] = clks[j]
            clks = full
        return clks, errors

    def hash_rows(self, rows: Sequence[Sequence[str]], start_index: int = 0) -> list[ClkResult]:
        """One :class:`ClkResult` per row; invalid rows become errors, the others are hashed."""
        if not isinstance(rows, Sequence):
            rows = list(rows)
        clks, errors = self.encode_chunk(rows, start_index)
        return make_results(start_index, clks, errors)


_new_result = partial(tuple.__new__, ClkResult)  # C-level construction, no Python __new__ per record


def make_results(start: int, clks: list[str | None], errors: dict[int, str]) -> list[ClkResult]:
    """:class:`ClkResult` objects from the compact form of :meth:`ClkEncoder.encode_chunk`."""
    stop = start + len(clks)
    if not errors:
        return list(map(_new_result, zip(range(start, stop), clks, repeat(None))))
    return [ClkResult(i, clk, errors.get(i - start)) for i, clk in zip(range(start, stop), clks, strict=True)]


def check_header(schema: LinkageSchema, header: Sequence[str]) -> None:
    """clkhash's header check: one column per feature, identifiers equal and in order."""
    expected = schema.identifiers
    if len(header) != len(expected):
        raise InvalidInputError(
            f"Header has {len(header)} columns when {len(expected)} are expected.", field="header"
        )
    for position, (got, want) in enumerate(zip(header, expected, strict=True)):
        if got != want:
            shown = got if len(got) <= 200 else got[:200] + "..."
            raise InvalidInputError(
                f"Column {position} has identifier '{shown}' when '{want}' is expected.", field="header"
            )


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
                    "two-key mode (clkhash <= 0.14) supports n-grams of size 1 or 2",
                    field=f"{where}.ngram",
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
