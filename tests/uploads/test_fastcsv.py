"""veil.io.fastcsv (veil.jobs.fastcsv) writes the very bytes of DataFrame.to_csv(index=False)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veil.jobs.fastcsv import csv_pieces, to_csv_bytes  # the historical name of veil.io.fastcsv

TEXT = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list('ab ,"\n\r;*[]-0é')), max_size=6))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.integers(-10**12, 10**12), st.one_of(st.none(), st.floats(allow_nan=True))),
                min_size=1, max_size=40))
def test_same_bytes_as_pandas(rows: list[tuple[object, ...]]) -> None:
    frame = pd.DataFrame(rows, columns=["t", 'we"ird,name', "i", "f"])
    frame["s"] = frame["t"].astype("str") if len(frame) % 2 else frame["t"]
    assert to_csv_bytes(frame) == frame.to_csv(index=False).encode("utf-8")


def test_other_types_and_pieces() -> None:
    n = 1000
    frame = pd.DataFrame({
        "zip": [f"0{2130 + i % 7}" for i in range(n)],
        "age": np.arange(n, dtype="int64"),
        "b": [i % 2 == 0 for i in range(n)],
        "mixed": [i if i % 3 else "*" for i in range(n)],
        "when": pd.date_range("2020-01-01", periods=n, freq="h"),
        "day": [dt.date(2020, 1, 1 + i % 28) for i in range(n)],
        "nullable": pd.array([i if i % 5 else None for i in range(n)], dtype="Int64"),
        "cat": pd.Categorical(["x", "y,z"] * (n // 2)),
    })
    expected = frame.to_csv(index=False).encode("utf-8")
    assert b"".join(csv_pieces(frame, rows_per_piece=97)) == expected
    one = frame[["zip"]].assign(zip=["", *frame["zip"][1:]])
    assert to_csv_bytes(one) == one.to_csv(index=False).encode("utf-8")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.integers(-5, 5)), min_size=1, max_size=40), st.integers(1, 3))
def test_same_bytes_on_distinct_values(rows: list[tuple[object, ...]], ratio: int) -> None:
    """The path that quotes a column once per distinct value (and carries the line end on the
    last column's values) gives the bytes of pandas too, nulls and quoting included."""
    import veil.io.fastcsv as fastcsv

    frame = pd.DataFrame(rows * 3, columns=["t", "u", "i"])
    frame["s"] = frame["t"].astype("str")
    frame["last"] = frame["u"].astype("str") if ratio % 2 else frame["u"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fastcsv, "DICTIONARY_MIN_ROWS", 1)
        mp.setattr(fastcsv, "DICTIONARY_RATIO", ratio)
        assert to_csv_bytes(frame) == frame.to_csv(index=False).encode("utf-8")


def test_generalized_million_row_shape() -> None:
    """A big column of a few labels (a generalized quasi-identifier) and a unique id column."""
    n = 5000
    labels = np.array(["[20-30[", "a,b", 'say "x"', "*", "line\nbreak"], dtype=object)
    frame = pd.DataFrame({
        "id": [f"{i:07d}" for i in range(n)],
        "age": pd.array(labels[np.arange(n) % 5].tolist(), dtype="str"),
        "sex": pd.array(["M", None, "F", "M"] * (n // 4), dtype="str"),
    })
    assert b"".join(csv_pieces(frame, rows_per_piece=1500)) == frame.to_csv(index=False).encode("utf-8")


def test_coded_columns_and_distinct_rows() -> None:
    """Columns given as labels and codes (``AnonymizationResult.coded``) and runs of
    few-valued columns joined on their distinct rows give pandas' bytes; a run with too many
    distinct rows is written column by column, and the codes must have one entry per row."""
    n = 6000
    rng = np.random.default_rng(7)
    labels = ["[20-30[", "a,b", 'say "x"', "*"]
    codes = rng.integers(0, len(labels), n).astype(np.int32)
    frame = pd.DataFrame({
        "age": pd.array([labels[c] for c in codes], dtype="str"),
        "sex": pd.array(["M", None, "F"] * (n // 3), dtype="str"),
        "n": np.arange(n) % 3,
        "id": [f"{i:05d}" for i in range(n)],
        "zip": pd.array([f"0{2130 + i % 5}" for i in range(n)], dtype="str"),
        "wide": rng.integers(0, 40, n).astype(str),
    })
    expected = frame.to_csv(index=False).encode("utf-8")
    assert b"".join(csv_pieces(frame, rows_per_piece=1700, coded={"age": (labels, codes)})) == expected
    assert to_csv_bytes(frame) == expected
    with pytest.raises(ValueError, match="one code per row"):
        to_csv_bytes(frame, coded={"age": (labels, codes[:-1])})


def test_anonymization_codes_write_the_published_table() -> None:
    import veil.tabular as vt

    n = 3000
    frame = pd.DataFrame({
        "zip": [f"0{2130 + i % 9}" for i in range(n)],
        "age": [str(20 + i % 50) for i in range(n)],
        "disease": [f"d{i % 4}" for i in range(n)],
    })
    attrs = [
        {"name": "zip", "type": "quasi_identifier", "hierarchy": {"type": "masking"}},
        {"name": "age", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 10}},
        {"name": "disease", "type": "insensitive"},
    ]
    res = vt.anonymize(frame, attrs, k=40, max_suppression=0.05)
    assert set(res.coded) == {"zip", "age"}
    assert to_csv_bytes(res.data, coded=res.coded) == res.data.to_csv(index=False).encode("utf-8")
