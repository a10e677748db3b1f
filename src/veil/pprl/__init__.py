"""Record-linkage hashing: clkhash-compatible cryptographic linkage keys (CLKs).

A plain library (no web, database or job imports). Typical use::

    from veil.pprl import ClkEncoder, iter_csv_clks
    encoder = ClkEncoder(schema_dict, secret="shared secret")      # clkhash 0.15-0.18.3
    encoder = ClkEncoder(schema_dict, key1="correct", key2="horse")  # clkhash 0.11-0.14
    for result in iter_csv_clks(open("data.csv", newline=""), encoder, workers=2):
        print(result.index, result.clk or result.error)

See docs/pprl.md for the schema support, the clkhash quirks followed, errors and limits.
"""

from veil.pprl.csvsplit import CsvChunk, parse_chunk, split_csv
from veil.pprl.encoder import ClkEncoder, ClkResult, RowError, check_header, hash_chunk, make_keys
from veil.pprl.keys import LinkageKeys, Mode, hkdf
from veil.pprl.schema import LinkageSchema, load_schema_json, parse_schema
from veil.pprl.stream import (
    DEFAULT_CHUNK_SIZE,
    hash_chunks,
    hash_csv,
    hash_records,
    iter_csv_clks,
    iter_row_chunks,
    text_stream,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ClkEncoder",
    "ClkResult",
    "CsvChunk",
    "LinkageKeys",
    "LinkageSchema",
    "Mode",
    "RowError",
    "check_header",
    "hash_chunk",
    "hash_chunks",
    "hash_csv",
    "hash_records",
    "hkdf",
    "iter_csv_clks",
    "iter_row_chunks",
    "load_schema_json",
    "make_keys",
    "parse_chunk",
    "parse_schema",
    "split_csv",
    "text_stream",
]
