from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import veil.tabular as vt
from tests.tabular.conftest import ADULT_DIR
from veil.errors import InvalidInputError


def test_csv_without_header_crlf(tmp_path: Path) -> None:
    p = tmp_path / "h.csv"
    p.write_bytes(b"a;x;*\r\nb;x;*\r\nc;y;*\r\n")
    h = vt.Hierarchy.from_csv(str(p))
    assert h.rows == (("a", "x", "*"), ("b", "x", "*"), ("c", "y", "*"))
    assert h.height == 2


def test_adult_hierarchies_load() -> None:
    if not ADULT_DIR.exists():
        pytest.skip("Adult data set missing")
    h = vt.Hierarchy.from_csv(str(ADULT_DIR / "adult_hierarchy_age.csv"))
    assert len(h.rows) == 100 and h.levels == 5


def test_ragged_rows_are_padded() -> None:
    h = vt.Hierarchy.from_rows([["a", "x", "*"], ["b", "*"]])
    assert h.rows[1] == ("b", "*", "*")


def test_missing_listing() -> None:
    h = vt.Hierarchy.from_rows([["a", "*"], ["b", "*"]])
    assert h.missing(["a", "c", "d", "c"]) == ["c", "d"]
    with pytest.raises(InvalidInputError) as err:
        h.check_covers(["a", "z"], field="f")
    assert "'z'" in err.value.message


def test_interval_builder_labels() -> None:
    h = vt.interval_hierarchy(range(20, 40), width=10)
    row = dict((r[0], r) for r in h.rows)["25"]
    assert row[1] == "[20, 30["
    assert row[-1] == "*"


def test_masking_builder() -> None:
    h = vt.masking_hierarchy(["12345", "12399"])
    assert h.rows[0][:4] == ("12345", "1234*", "123**", "12***")


def test_date_builder() -> None:
    h = vt.date_hierarchy(["2020-03-04", "1999-12-31"])
    assert ("2020-03-04", "2020-03", "2020", "[2020, 2030[", "*") in h.rows


def test_ordering_and_categorical_builders() -> None:
    h = vt.ordering_hierarchy(["low", "mid", "high", "top"], fanout=2)
    assert h.rows[0] == ("low", "low..mid", "*")
    c = vt.categorical_hierarchy({"Europe": {"West": ["FR", "DE"]}, "Asia": ["JP"]})
    assert ("JP", "Asia", "Asia", "*") in c.rows and ("FR", "West", "Europe", "*") in c.rows


def test_builder_specs_in_anonymize() -> None:
    df = pd.DataFrame({"age": [21, 22, 23, 24, 31, 33, 35, 38], "zip": ["1234", "1235"] * 4})
    res = vt.anonymize(
        df,
        [
            {"name": "age", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 5}},
            {"name": "zip", "type": "quasi_identifier", "hierarchy": {"type": "masking"}},
        ],
        k=2,
    )
    assert res.data.groupby(["age", "zip"]).size().min() >= 2
    assert res.solution.attributes[0]["hierarchy"][0][0] == "21"


def test_non_numeric_interval_values() -> None:
    with pytest.raises(InvalidInputError):
        vt.interval_hierarchy(["a", "1"], width=1)
