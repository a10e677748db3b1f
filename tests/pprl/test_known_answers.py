"""Golden vectors: the seed's two records and every case of shared/datasets/pprl/known_answers.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from veil.pprl import ClkEncoder, hash_csv, hash_records, iter_csv_clks

KNOWN = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "pprl" / "known_answers.json"
SEED_SCHEMA = json.loads((Path(__file__).with_name("data") / "seed_schema.json").read_text())
SEED_CSV = "NAME freetext,DOB YYYY/MM/DD,GENDER M or F\nJane Doe,1968/05/19,F\nPeter Griffin,1998/12/20,M\n"
SEED_CLKS = [
    "EgBsCgAQACwDiJiri8oACaApBgB2UigAYJAAADCECKjBgABKJFFNpBVGzMREZBGBmCIwAODcgqGI9hAFKAkndGAhAGClqQEEAiLue2s"
    "iEJQgkUEggGBAAQgGAWAALZACtSAiABMMQlihFVU1MTHEAmlACIMGiIwCsCAoEEDQAAA=",
    "2wRKwCio1SQDeAAEowBECdwNGkAJgChviDATAHTDRCgQECHqxiEARgl+iLQADIspmCB7gcFUgKGIwvCMBAirULh5kkDaiTlAJowckX8"
    "A0BEgk8MgkABIF2EmByhJK6AiMwCGjlGYIlCCwiQAICED4QEgBAMsIBiAMBDkGyCSQAI=",
]


def _cases() -> list[dict[str, Any]]:
    if not KNOWN.exists():
        pytest.skip(f"{KNOWN} is not available")
    return json.loads(KNOWN.read_text())  # type: ignore[no-any-return]


def _keys(case: dict[str, Any]) -> dict[str, str]:
    return {"secret": case["secret"]} if case["mode"] == "secret" else {"key1": case["key1"], "key2": case["key2"]}


def test_seed_vectors() -> None:
    encoder = ClkEncoder(SEED_SCHEMA, key1="correct", key2="horse")
    results = list(iter_csv_clks(io.StringIO(SEED_CSV), encoder))
    assert [r.clk for r in results] == SEED_CLKS
    assert [r.index for r in results] == [0, 1]
    assert all(r.error is None for r in results)


def test_every_known_answer() -> None:
    cases = _cases()
    assert len(cases) >= 4
    for case in cases:
        encoder = ClkEncoder(case["schema"], **_keys(case))
        rows = list(csv.reader(io.StringIO(case["csv"])))
        encoder.check_header(rows[0])
        assert [r.clk for r in encoder.hash_rows(rows[1:])] == case["clks"], case["source"]
        # the same through the streaming CSV reader, from bytes, with 2 worker processes
        streamed = hash_csv(io.BytesIO(case["csv"].encode()), encoder, workers=2, chunk_size=1)
        assert [r.clk for r in streamed] == case["clks"], case["source"]


def test_single_row_encode_matches_chunk_path() -> None:
    encoder = ClkEncoder(SEED_SCHEMA, key1="correct", key2="horse")
    assert encoder.encode(["Jane Doe", "1968/05/19", "F"]) == SEED_CLKS[0]
    assert [r.clk for r in hash_records([["Peter Griffin", "1998/12/20", "M"]], encoder)] == SEED_CLKS[1:]


def test_csv_file_path(tmp_path: Path) -> None:
    path = tmp_path / "seed.csv"
    path.write_text("\ufeff" + SEED_CSV, encoding="utf-8")  # a BOM is dropped
    encoder = ClkEncoder(SEED_SCHEMA, key1="correct", key2="horse")
    assert [r.clk for r in hash_csv(path, encoder)] == SEED_CLKS
