"""The big-table path keeps results identical: the encoding by distinct values, the text
dtype of generalized columns, and the whole-table search of in-process jobs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import veil.tabular as vt
from veil.io import load_table
from veil.service import tabular as tabular_service
from veil.tabular.encoding import text_codes
from veil.tabular.hierarchy import column_text

from .conftest import ADULT_DIR, adult_attributes

CELLS = st.one_of(st.none(), st.sampled_from(["", "a", "02138", "2138", " a", "*", "nan"]))
FLOATS = st.one_of(st.none(), st.sampled_from([0.0, -0.0, 1.0, 1.5, -3.0, 1e15, 0.1 + 0.2, 0.3]))


def _same(column: pd.Series) -> None:
    codes, uniques = pd.factorize(column_text(column), sort=False)
    fast_codes, fast_uniques = text_codes(column)
    assert fast_codes.tolist() == np.asarray(codes).tolist()
    assert list(fast_uniques) == list(uniques)


@settings(max_examples=80, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=30), st.lists(FLOATS, min_size=1, max_size=30),
       st.lists(st.integers(-3, 3), min_size=1, max_size=30))
def test_text_codes_are_the_codes_of_the_texts(texts: list[str | None], floats: list[float | None],
                                                ints: list[int]) -> None:
    for dtype in ("str", "string", object):
        _same(pd.Series(texts, dtype=dtype))
    _same(pd.Series(floats, dtype=float))
    _same(pd.Series(ints, dtype="int64"))
    _same(pd.Series(ints, dtype="uint8" if min(ints) >= 0 else "int8"))
    _same(pd.Series([i > 0 for i in ints]))
    _same(pd.Series([*ints, None], dtype="Int64"))
    _same(pd.Series([*ints, 1.0, True, "1"], dtype=object))
    _same(pd.Series([str(i) for i in ints], dtype="category"))


def test_generalized_columns_are_text_with_the_hierarchy_values() -> None:
    if not (ADULT_DIR / "adult.csv").exists():
        pytest.skip("Adult data set not found")
    frame = load_table(str(ADULT_DIR / "adult.csv"))
    attrs = adult_attributes({"salary-class": "insensitive"})
    res = vt.anonymize(frame, attrs, k=10, max_suppression=0.04)
    assert res.suppressed_count > 0
    out = res.data
    suppressed = (out["age"] == "*").to_numpy()
    assert int(suppressed.sum()) == res.suppressed_count
    for attr in attrs[:-1]:
        name = str(attr["name"])
        assert out[name].dtype == pd.StringDtype("pyarrow", na_value=np.nan), name
        h = vt.Hierarchy.from_csv((ADULT_DIR / f"adult_hierarchy_{name}.csv").read_text())
        level = res.levels[name]
        mapping = {row[0]: row[level] for row in h.rows}
        expected = np.array([mapping[v] for v in column_text(frame[name])], dtype=object)
        expected[suppressed] = "*"
        assert out[name].astype(object).tolist() == expected.tolist(), name
    assert out["salary-class"].tolist() == frame["salary-class"].tolist()
    # the records and the CSV are those of the same values held as Python objects
    assert out.to_csv(index=False) == out.astype(object).to_csv(index=False)


def test_in_process_jobs_search_the_whole_table() -> None:
    big = pd.DataFrame({"a": np.zeros(tabular_service.PARTITION_THRESHOLD + 1, dtype=np.int8)})
    assert not tabular_service._use_partitions(big, {"k": 5})
    assert tabular_service._use_partitions(big, {"k": 5}, distributed=True)
    assert tabular_service._use_partitions(big, {"k": 5, "partition_threshold": 1000})
    assert not tabular_service._use_partitions(big.head(10), {"k": 5}, distributed=True)
