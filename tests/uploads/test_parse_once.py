"""A CSV upload that pyarrow's parser reads by itself is read into its table once, at upload:
the table is the one ``load_table`` makes of the same bytes, the row count the streaming
inspection's, and every other file is still inspected (and refused) as before."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from tests.uploads.conftest import KEY_A, principal_id
from veil.io import load_table
from veil.service import uploads as svc

A = {"X-API-Key": KEY_A}
BODY = "zip;age;code;score\n02138;39;A1;0.25\n02139;41;;1.50\n10001;39;NA;2\n"


def _post(client: Any, body: str) -> Any:
    return client.post("/v1/uploads", content=body.encode(), headers={**A, "Content-Type": "text/csv"})


def test_upload_is_parsed_once_into_the_table_load_table_makes(two_keys: Any) -> None:
    client, services = two_keys
    r = _post(client, BODY)
    assert r.status_code == 201, r.text
    up = r.json()
    assert (up["rows"], up["columns"]) == (3, 4)
    cached = svc._RECENT.get(services, up["id"])
    assert cached is not None
    pd.testing.assert_frame_equal(cached, load_table(BODY.encode(), fmt="csv"))
    assert cached["zip"].tolist() == ["02138", "02139", "10001"] and cached["code"].tolist()[2] == "NA"
    svc._RECENT.drop(services, up["id"])
    pd.testing.assert_frame_equal(svc.read_upload(services, principal_id(KEY_A), up["data"]), cached)


@pytest.mark.parametrize("body, rows", [
    ('a,b\n"x, y",1\n"z",2\n', 2),  # quoted: pandas' parser decides, the inspection counts
    ("a,a\n1,2\n", 1),  # a duplicate header: accepted as before, refused where it is used
])
def test_other_files_are_inspected_as_before(two_keys: Any, body: str, rows: int) -> None:
    client, services = two_keys
    r = _post(client, body)
    assert r.status_code == 201, r.text
    assert r.json()["rows"] == rows
    assert svc._RECENT.get(services, r.json()["id"]) is None


@pytest.mark.parametrize("body", ["a,b\n1,2\n3\n", ";;\n1;2;3\n", "a,b\n"])
def test_ragged_headerless_or_empty_csv_is_still_refused(two_keys: Any, body: str) -> None:
    client, _ = two_keys
    r = _post(client, body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"] == "body"
