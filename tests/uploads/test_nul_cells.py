"""U+0000 inside an uploaded table: refused with a 400 naming the cell (or the column), on
SQLite and PostgreSQL alike (PostgreSQL could not store the solution: it used to be a 500)."""

from __future__ import annotations

from typing import Any

ATTRS = [{"name": "age", "type": "quasi_identifier"}]


def _upload(client: Any, body: bytes) -> Any:
    return client.post("/v1/uploads", content=body, headers={"content-type": "text/csv"})


def test_a_nul_cell_is_a_400_naming_it_and_nothing_runs(client: Any) -> None:
    rows = "".join(f"0213{i % 3}{chr(0) if i == 3 else ''},{30 + i % 5},N{i}\n" for i in range(30))
    r = _upload(client, ("zip,age,name\n" + rows).encode())
    assert r.status_code == 201, r.text
    uri = r.json()["data"]
    for path, body in [
        ("/v1/tabular/anonymize", {"data": uri, "k": 2, "attributes": ATTRS}),
        ("/v1/tabular/jobs", {"data": uri, "k": 2, "attributes": ATTRS}),
        ("/v1/tabular/detect", {"data": uri}),
        ("/v1/dp/compute", {"data": uri, "column": "age", "bounds": [0, 100], "epsilon": 1.0}),
    ]:
        r = client.post(path, json=body)
        assert r.status_code == 400, (path, r.text)
        assert r.json()["error"]["field"] == "data[3].zip" and "NUL" in r.json()["error"]["message"]
    assert client.get("/v1/jobs").json()["jobs"] == []
    # the same table without the NUL is fine
    clean = _upload(client, ("zip,age,name\n" + rows.replace(chr(0), "")).encode()).json()["data"]
    assert client.post("/v1/tabular/anonymize", json={"data": clean, "k": 2, "attributes": ATTRS}).status_code == 200


def test_a_nul_in_a_column_name_is_refused(client: Any) -> None:
    r = _upload(client, b"zi\x00p,age\n02138,30\n02139,31\n")
    if r.status_code == 201:  # refused when read, naming the column
        r = client.post("/v1/tabular/detect", json={"data": r.json()["data"]})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"].startswith("data")
