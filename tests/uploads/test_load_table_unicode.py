"""veil.io.load_table refuses text UTF-8 cannot encode (a lone surrogate, JSON "\\ud800") with
an InvalidInputError naming the field, whatever the input form."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from veil.errors import InvalidInputError
from veil.io import load_table


@pytest.mark.parametrize("data, field", [
    ([{"a": "x", "b": 1}, {"a": "\ud800", "b": 2}], "data[1].a"),
    ({"a": ["x", "\udcff"], "b": [1, 2]}, "data.a[1]"),
    ([{"\ud800": 1}], "data[0]"),
    (pd.DataFrame({"a": ["ok", "\ud83d"]}, dtype=object), "data[1].a"),
    (json.dumps([{"zip": "02138"}, {"zip": "\ud800"}]).encode(), "data[1].zip"),
])
def test_unencodable_text_names_its_field(data: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        load_table(data, fmt="json" if isinstance(data, bytes) else None, field="data")
    assert err.value.field == field
    assert "\ud800" not in str(err.value) and "not valid Unicode" in str(err.value)


def test_valid_text_and_mixed_objects_still_load() -> None:
    frame = load_table(pd.DataFrame({"a": ["é", 1, None, "😀"]}, dtype=object))
    assert frame["a"].tolist()[0] == "é"
    assert load_table([{"a": "😀"}])["a"].tolist() == ["😀"]
