"""Row validation and CSV streaming: bad rows become error entries, the others are hashed."""

from __future__ import annotations

import base64
import io
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from veil.errors import InvalidInputError
from veil.pprl import (
    ClkEncoder,
    hash_chunk,
    hash_csv,
    hash_records,
    iter_csv_clks,
    iter_row_chunks,
)

SEED_SCHEMA: dict[str, Any] = json.loads((Path(__file__).with_name("data") / "seed_schema.json").read_text())
HEADER = "NAME freetext,DOB YYYY/MM/DD,GENDER M or F\n"
JANE = "EgBsCgAQACwDiJiri8oACaApBgB2UigAYJAAADCECKjBgABKJFFNpBVGzMREZBGBmCIwAODcgqGI9hAFKAkndGAhAGClqQEEAiLue2s"


@pytest.fixture
def seed() -> ClkEncoder:
    return ClkEncoder(SEED_SCHEMA, key1="correct", key2="horse")


def _run(encoder: ClkEncoder, text: str, **options: Any) -> list[Any]:
    return list(iter_csv_clks(io.StringIO(text), encoder, **options))


def test_bad_rows_become_errors_and_other_rows_hash(seed: ClkEncoder) -> None:
    text = HEADER + (
        "Jane Doe,1968/05/19,F\n"
        "Al,1968/05/19,F\n"  # minLength 3
        "Secret Person,19680519,F\n"  # pattern
        "Secret Person,1968/05/19,Q\n"  # enum
        "Short Row,1968/05/19\n"  # one cell missing
        "Too,Many,Cells,Here\n"
        "\n"  # a blank line is a row without cells
        "Jane Doe,1968/05/19,F\n"
    )
    results = _run(seed, text)
    assert [r.index for r in results] == list(range(8))
    assert results[0].clk.startswith(JANE) and results[7].clk == results[0].clk
    errors = {r.index: r.error for r in results if r.error}
    assert set(errors) == {1, 2, 3, 4, 5, 6}
    assert "row 1, column 'NAME freetext'" in errors[1] and "at least 3" in errors[1]
    assert "column 'DOB YYYY/MM/DD'" in errors[2] and "regular expression" in errors[2]
    assert "column 'GENDER M or F'" in errors[3] and "['M', 'F']" in errors[3]
    assert errors[4] == "Row 4 has 2 entries when 3 are expected."
    assert errors[5] == "Row 5 has 4 entries when 3 are expected."
    assert errors[6] == "Row 6 has 0 entries when 3 are expected."
    for message in errors.values():  # never the personal data itself
        assert "Secret" not in message and "19680519" not in message and "Al," not in message
    assert all(r.clk is None for r in results if r.error)


def test_header_checks(seed: ClkEncoder) -> None:
    with pytest.raises(InvalidInputError) as info:
        _run(seed, "name,dob,gender\nJane Doe,1968/05/19,F\n")
    assert info.value.field == "header" and "'NAME freetext' is expected" in info.value.message
    with pytest.raises(InvalidInputError) as info:
        _run(seed, "NAME freetext,DOB YYYY/MM/DD\n")
    assert "Header has 2 columns when 3 are expected." in info.value.message
    with pytest.raises(InvalidInputError):
        _run(seed, "")
    assert _run(seed, "a,b,c\nJane Doe,1968/05/19,F\n", header="ignore")[0].clk.startswith(JANE)
    assert _run(seed, "Jane Doe,1968/05/19,F\n", header=False)[0].clk.startswith(JANE)
    assert _run(seed, "", header=False) == []
    assert _run(seed, HEADER) == []


def test_cell_whitespace_follows_each_release() -> None:
    text = HEADER + "  Jane Doe ,1968/05/19 , F\n"
    two_key = ClkEncoder(SEED_SCHEMA, key1="correct", key2="horse")
    assert _run(two_key, text)[0].clk.startswith(JANE)  # clkhash 0.14's CSV reader strips cells
    assert _run(two_key, text, strip_cells=False)[0].error is not None
    secret = ClkEncoder(SEED_SCHEMA, secret="s")
    result = _run(secret, text)[0]  # clkhash 0.18.3 keeps them: '1968/05/19 ' fails the pattern
    assert result.error is not None and "column 'DOB YYYY/MM/DD'" in result.error  # first bad column


def test_binary_streams_invalid_utf8_and_malformed_csv(seed: ClkEncoder) -> None:
    data = (HEADER + "Jane Doe,1968/05/19,F\n").encode()
    assert hash_csv(io.BytesIO(b"\xef\xbb\xbf" + data), seed)[0].clk.startswith(JANE)
    with pytest.raises(InvalidInputError) as info:
        hash_csv(io.BytesIO(HEADER.encode() + b"J\xffne,1968/05/19,F\n"), seed)
    assert info.value.field == "data"
    with pytest.raises(InvalidInputError) as info:
        hash_csv(io.StringIO(HEADER + '"' + "x" * (2 << 20) + '",1968/05/19,F\n'), seed)
    assert info.value.field == "data"


def test_missing_values_and_normalisation() -> None:
    schema = {
        "version": 3,
        "clkConfig": {"l": 256, "kdf": {"type": "HKDF"}},
        "features": [
            {"identifier": "n", "format": {"type": "integer", "maximum": 20},
             "hashing": {"comparison": {"type": "ngram", "n": 1}, "strategy": {"bitsPerToken": 5},
                         "missingValue": {"sentinel": "N/A", "replaceWith": ""}}},
            {"identifier": "d", "format": {"type": "date", "format": "%d/%m/%Y"},
             "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": True},
                         "strategy": {"bitsPerFeature": 64}}},
        ],
    }
    enc = ClkEncoder(schema, secret="s")
    a, b, c, d, e = enc.hash_rows([["7", "01/02/2000"], [" +7 ", "01/02/2000"], ["N/A", "01/02/2000"],
                                    ["21", "01/02/2000"], ["7", "30/02/2000"]])
    assert a.clk == b.clk  # integers are normalised like clkhash: ' +7 ' hashes as '7'
    assert c.clk is not None and c.clk != a.clk  # the sentinel skips validation, hashes the replacement
    assert d.error is not None and "at most 20" in d.error and "21" not in d.error.split(".", 1)[1]
    assert e.error is not None and "column 'd'" in e.error


def test_non_text_cells_are_errors(seed: ClkEncoder) -> None:
    results = hash_records([["Jane Doe", None, "F"], ["Jane Doe", "1968/05/19", 3]], seed)  # type: ignore[list-item]
    assert all(r.error is not None and "not text" in r.error for r in results)


def test_chunks_pickling_and_workers(seed: ClkEncoder) -> None:
    lines = [f"Person {i},19{i % 90 + 10}/0{i % 9 + 1}/1{i % 9},{'MF'[i % 2]}" for i in range(250)]
    lines[17] = "x,1968/05/19,F"
    text = HEADER + "\n".join(lines) + "\n"
    chunks = list(iter_row_chunks(io.StringIO(text), seed, chunk_size=100))
    assert [len(c) for c in chunks] == [100, 100, 50]
    clone = pickle.loads(pickle.dumps(seed))
    offset, from_chunks = 0, []
    for chunk in chunks:  # what a job system does: each chunk on its own, with its global offset
        from_chunks += pickle.loads(pickle.dumps(hash_chunk(clone, chunk, offset)))
        offset += len(chunk)
    single = _run(seed, text, chunk_size=64)
    multi = _run(seed, text, chunk_size=64, workers=2)
    assert single == multi == from_chunks
    assert single[17].error is not None and "row 17," in single[17].error
    shifted = _run(seed, text, start_index=1000)
    assert shifted[17].index == 1017 and "row 1017," in (shifted[17].error or "")


def test_xor_folding_and_odd_lengths() -> None:
    schema = {
        "version": 3,
        "clkConfig": {"l": 100, "xor_folds": 2, "kdf": {"type": "HKDF"}},
        "features": [{"identifier": "a", "format": {"type": "string"},
                      "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 30},
                                  "hash": {"type": "doubleHash"}}}],
    }
    clk = ClkEncoder(schema, secret="s").encode(["hello"])
    raw = base64.b64decode(clk)
    assert len(raw) == 13 and raw[-1] & 0x0F == 0  # 100 bits, padded with zeros like bitarray


def test_invalid_options(seed: ClkEncoder) -> None:
    with pytest.raises(InvalidInputError):
        _run(seed, HEADER, chunk_size=0)
    with pytest.raises(InvalidInputError):
        _run(seed, HEADER, header="yes")
    with pytest.raises(InvalidInputError):
        _run(seed, HEADER, workers=-1)


def test_in_memory_records_with_worker_processes(seed: ClkEncoder) -> None:
    rows = [[f"Person {i}", f"19{i % 90 + 10}/0{i % 9 + 1}/1{i % 9}", "MF"[i % 2]] for i in range(300)]
    rows[5] = ["x", "1968/05/19", "F"]
    one = hash_records(rows, seed, chunk_size=64)
    two = hash_records(rows, seed, chunk_size=64, workers=2)  # forked workers share the rows
    from_iter = hash_records(iter(rows), seed, chunk_size=64, workers=2, start_index=10)
    assert one == two
    assert [(r.index - 10, r.clk, r.error is None) for r in from_iter] == [(r.index, r.clk, r.error is None) for r in one]
    assert one[5].error is not None and "row 5," in one[5].error
