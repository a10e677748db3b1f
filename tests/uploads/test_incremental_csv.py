"""veil.io.IncrementalCSV reads a CSV while it arrives into the very table load_csv_arrow
(load_table) makes of the whole file, or gives None where that one gives None; an upload
uses it, so the table is ready with the last byte."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.uploads.conftest import KEY_A, principal_id
from veil.io import load_table
from veil.io.tables import IncrementalCSV, load_csv_arrow
from veil.service import uploads as svc

CELL = st.text(alphabet=st.sampled_from(list("ab09 .-;*é")), max_size=5)


def _fed(raw: bytes, segment: int, chunk: int, sample: int = 64) -> IncrementalCSV:
    inc = IncrementalCSV(segment_bytes=segment)
    inc.SAMPLE = sample
    for i in range(0, len(raw), chunk):
        inc.feed(raw[i : i + chunk])
    return inc


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, st.integers(-50, 50)), min_size=1, max_size=30),
       st.sampled_from([",", ";", "\t"]), st.booleans(), st.integers(1, 40), st.integers(1, 9))
def test_same_table_as_the_whole_file(
    rows: list[tuple[str, str, int]], sep: str, crlf: bool, segment: int, chunk: int
) -> None:
    end = "\r\n" if crlf else "\n"
    text = end.join([sep.join(["zip", "name", "n"]), *(sep.join([a, b, str(n)]) for a, b, n in rows)]) + end
    raw = text.encode("utf-8")
    expected = load_csv_arrow(raw)
    got = _fed(raw, segment, chunk).result()
    if expected is None:
        assert got is None
    else:
        assert got is not None
        pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbfzip,age\r\n02138,39\r\n\r\n02139,41\r\n10001,",  # BOM, blank line, no last line end
    b"a,b\n" + b"1,2.5\n" * 300 + b"1,2.50\n",  # the last row keeps the column text
    b"zip;age\n" + b"02138;39\n" * 500,
])
def test_edges_read_as_a_whole(raw: bytes) -> None:
    for segment in ((1, 7) if len(raw) < 200 else (64, 1000)) + (1 << 20,):
        got = _fed(raw, segment, 5 if len(raw) < 200 else 64).result()
        assert got is not None
        pd.testing.assert_frame_equal(got, load_table(raw, fmt="csv"))


@pytest.mark.parametrize("raw, reason", [
    (b'a,b\n"1",2\n', "quoted"),
    (b"a,a\n1,2\n", "header"),
    (b"a,b\n1,2\n3\n", "unreadable"),
    (b"a,b\n", "unreadable"),
    (b"   \n\n", "no header line"),
])
def test_declines_where_load_csv_arrow_does(raw: bytes, reason: str) -> None:
    inc = _fed(raw, 3, 2)
    assert inc.result() is None and inc.declined == reason
    assert load_csv_arrow(raw) is None


def test_limit_declines() -> None:
    inc = IncrementalCSV(limit=10)
    inc.feed(b"a,b\n1,2\n3,4\n")
    assert inc.result() is None and inc.declined == "too large"


def test_upload_read_in_segments_is_the_table_of_the_file(two_keys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _, services = two_keys
    made: list[IncrementalCSV] = []

    def small_segments(**kw: Any) -> IncrementalCSV:
        made.append(IncrementalCSV(**{**kw, "segment_bytes": 50}))
        made[-1].SAMPLE = 32
        return made[-1]

    monkeypatch.setattr(svc, "IncrementalCSV", small_segments)
    body = ("zip;age;code\n" + "".join(f"0{2130 + i % 7};{20 + i % 40};c{i % 3}\n" for i in range(300))).encode()
    chunks = [body[i : i + 40] for i in range(0, len(body), 40)]
    up = svc.create_upload(services, principal_id(KEY_A), "csv", chunks)
    assert (up["rows"], up["columns"]) == (300, 3)
    assert made and made[0].declined is None and made[0].segments > 10
    cached = svc._RECENT.get(services, up["id"])
    assert cached is not None
    pd.testing.assert_frame_equal(cached, load_table(body, fmt="csv"))
    assert cached["zip"].iloc[0] == "02130"
