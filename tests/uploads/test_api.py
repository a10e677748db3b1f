"""POST/GET/DELETE /v1/uploads, veil://uploads/<id> as data, GET /v1/jobs/{id}/result; on
SQLite and PostgreSQL, with two principals."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from tests.uploads.conftest import ATTRS, KEY_A, KEY_B, people_csv, wait_done
from veil.store.models.uploads import Upload

A = {"X-API-Key": KEY_A}
B = {"X-API-Key": KEY_B}


def _upload(client: Any, body: bytes, ctype: str = "text/csv", headers: dict[str, str] = A, **params: Any) -> Any:
    return client.post("/v1/uploads", content=body, headers={**headers, "Content-Type": ctype}, params=params)


def test_upload_csv_and_use_it_everywhere(two_keys: Any) -> None:
    client, _ = two_keys
    r = _upload(client, people_csv(400).encode())
    assert r.status_code == 201, r.text
    up = r.json()
    assert up["data"] == f"veil://uploads/{up['id']}"
    assert (up["rows"], up["columns"], up["format"]) == (400, 4, "csv")
    assert up["bytes"] == len(people_csv(400).encode())
    assert datetime.fromisoformat(up["expires_at"]) > datetime.now(UTC) + timedelta(hours=23)

    meta = client.get(f"/v1/uploads/{up['id']}", headers=A).json()
    assert meta["rows"] == 400
    assert client.get("/v1/uploads", headers=A).json()["total"] == 1

    det = client.post("/v1/tabular/detect", json={"data": up["data"]}, headers=A)
    assert det.status_code == 200, det.text
    risk = client.post("/v1/tabular/risk", json={"data": up["data"], "quasi_identifiers": ["zip", "age"]}, headers=A)
    assert risk.status_code == 200, risk.text
    sync = client.post("/v1/tabular/anonymize", json={"data": up["data"], "k": 5, "attributes": ATTRS}, headers=A)
    assert sync.status_code == 200, sync.text
    assert {row["zip"] for row in sync.json()["data"]} <= {"0213*", "021**", "02***", "0****", "*****"} | {
        f"0{2130 + i}" for i in range(7)
    }
    measure = client.post("/v1/tabular/measure", headers=A,
                          json={"original_data": up["data"], "anonymized_data": up["data"]})
    assert measure.status_code == 200, measure.text


def test_other_principal_gets_404_for_upload_and_result(two_keys: Any) -> None:
    client, services = two_keys
    up = _upload(client, people_csv(100).encode()).json()
    assert client.get(f"/v1/uploads/{up['id']}", headers=B).status_code == 404
    assert client.delete(f"/v1/uploads/{up['id']}", headers=B).status_code == 404
    for path in ("/v1/tabular/detect", "/v1/tabular/jobs"):
        r = client.post(path, json={"data": up["data"], "k": 5} if path.endswith("jobs") else {"data": up["data"]},
                        headers=B)
        assert r.status_code == 404 and r.json()["error"]["field"] == "data", r.text
    job = client.post("/v1/tabular/jobs", json={"data": up["data"], "k": 5, "attributes": ATTRS}, headers=A).json()
    wait_done(services, job["job_id"])
    assert client.get(f"/v1/jobs/{job['job_id']}/result", headers=B).status_code == 404
    assert client.get(f"/v1/jobs/{job['job_id']}/result", headers=A).status_code == 200
    assert client.get("/v1/uploads", headers=B).json()["total"] == 0


def test_job_result_download_keeps_leading_zeros(two_keys: Any) -> None:
    client, services = two_keys
    up = _upload(client, people_csv(300).encode()).json()
    attrs = [{"name": "zip", "type": "insensitive"}, *ATTRS[1:]]
    job = client.post("/v1/tabular/jobs", json={"data": up["data"], "k": 2, "attributes": attrs}, headers=A).json()
    assert wait_done(services, job["job_id"])["status"] == "completed"
    for fmt in ("csv", "parquet", "json", "jsonl"):
        _check_download(client, job["job_id"], fmt)


def _check_download(client: Any, job_id: str, fmt: str) -> None:
    r = client.get(f"/v1/jobs/{job_id}/result", params={"format": fmt}, headers=A)
    assert r.status_code == 200, r.text
    if fmt == "csv":
        frame = pd.read_csv(io.BytesIO(r.content), dtype=str)
    elif fmt == "parquet":
        frame = pd.read_parquet(io.BytesIO(r.content))
    elif fmt == "json":
        frame = pd.DataFrame(json.loads(r.content))
    else:
        frame = pd.DataFrame([json.loads(x) for x in r.content.splitlines()])
    assert len(frame) == 300
    assert sorted(set(frame["zip"])) == [f"0{2130 + i}" for i in range(7)]
    assert r.headers["content-disposition"].endswith(f'.{fmt}"')


def test_result_route_errors(two_keys: Any) -> None:
    client, services = two_keys
    from tests.uploads.conftest import principal_id

    pending = services.jobs.create("tabular.anonymize", {}, principal_id(KEY_A))
    jid = pending["job_id"]
    r = client.get(f"/v1/jobs/{jid}/result", headers=A)
    assert r.status_code == 409 and r.json()["error"]["field"] == "job_id"
    assert client.get(f"/v1/jobs/{jid}/result", headers=B).status_code == 404
    assert client.get("/v1/jobs/nope/result", headers=A).status_code == 404
    up = _upload(client, people_csv(50).encode()).json()
    job = client.post("/v1/tabular/jobs", json={"data": up["data"], "k": 2, "attributes": ATTRS}, headers=A).json()
    wait_done(services, job["job_id"])
    bad = client.get(f"/v1/jobs/{job['job_id']}/result", params={"format": "xlsx"}, headers=A)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "format"


def test_parquet_and_jsonl_uploads(two_keys: Any) -> None:
    client, _ = two_keys
    frame = pd.DataFrame({"zip": ["02138", "02139"] * 10, "age": list(range(20))})
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    for ctype in ("application/vnd.apache.parquet", "application/x-parquet"):
        r = _upload(client, buf.getvalue(), ctype)
        assert r.status_code == 201 and (r.json()["rows"], r.json()["format"]) == (20, "parquet"), r.text
    lines = frame.to_json(orient="records", lines=True).encode()
    r = _upload(client, lines, "application/x-ndjson")
    assert r.status_code == 201 and r.json()["rows"] == 20
    r = _upload(client, lines, "application/octet-stream", format="jsonl")
    assert r.status_code == 201 and r.json()["format"] == "jsonl"
    det = client.post("/v1/tabular/detect", json={"data": r.json()["data"]}, headers=A)
    assert det.status_code == 200, det.text


BAD_UPLOADS = [
        (b"a,b\n1,2\n", "application/octet-stream", {}, "format"),
        (b"a,b\n1,2\n", "text/csv", {"format": "xlsx"}, "format"),
        (b"", "text/csv", {}, "body"),
        (b"a,b\n", "text/csv", {}, "body"),
        (b'a,b\n"1,2\n', "text/csv", {}, "body"),
        (b"not parquet", "application/x-parquet", {}, "body"),
        (b'{"a": 1}\n[1, 2]\n', "application/x-ndjson", {}, "body"),
        (b'{"a": 1}\n{"a": \n', "application/x-ndjson", {}, "body"),
]


def test_bad_uploads_are_400_and_leave_nothing(two_keys: Any) -> None:
    client, services = two_keys
    for body, ctype, params, field in BAD_UPLOADS:
        r = _upload(client, body, ctype, **params)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["error"]["field"] == field
    assert services.store.list("uploads") == []


def test_upload_over_the_limit_is_413(two_keys: Any) -> None:
    client, services = two_keys
    big = people_csv(20_000).encode()  # > max_upload_bytes of the fixture (200 kB)
    r = _upload(client, big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"

    def chunks() -> Any:  # no Content-Length: the limit is enforced while streaming
        for i in range(0, len(big), 16384):
            yield big[i : i + 16384]

    r = client.post("/v1/uploads", content=chunks(), headers={**A, "Content-Type": "text/csv"})
    assert r.status_code == 413, r.text
    assert services.store.list("uploads") == []


def test_expired_uploads_are_deleted(two_keys: Any) -> None:
    client, services = two_keys
    from veil.service.uploads import sweep

    first = _upload(client, people_csv(20).encode()).json()
    second = _upload(client, people_csv(30).encode()).json()
    assert len(services.store.list("uploads")) == 2
    with services.db.session() as s:
        s.get(Upload, first["id"]).expires_at = datetime.now(UTC) - timedelta(seconds=1)
    # on access: 404 and the object is gone
    r = client.post("/v1/tabular/detect", json={"data": first["data"]}, headers=A)
    assert r.status_code == 404 and r.json()["error"]["field"] == "data"
    assert len(services.store.list("uploads")) == 1
    # by the sweep
    assert sweep(services, now=datetime.now(UTC) + timedelta(days=2)) == 1
    assert services.store.list("uploads") == []
    assert client.get(f"/v1/uploads/{second['id']}", headers=A).status_code == 404


def test_delete_upload(two_keys: Any) -> None:
    client, services = two_keys
    up = _upload(client, people_csv(20).encode()).json()
    r = client.delete(f"/v1/uploads/{up['data']}", headers=A)
    assert r.status_code == 404  # the path takes the id
    r = client.delete(f"/v1/uploads/{up['id']}", headers=A)
    assert r.status_code == 200 and r.json()["deleted"] == up["id"]
    assert services.store.list("uploads") == []
    assert client.get(f"/v1/uploads/{up['id']}", headers=A).status_code == 404


REFUSED = ["memory://bucket/x.csv", "/etc/passwd", "file:///etc/passwd", "http://169.254.169.254/latest",
           "simplecache::s3://b/x.csv", "s3://any-bucket/x.csv", "veil://uploads/not-an-id!"]


def test_refused_uris_name_the_field(two_keys: Any) -> None:
    client, _ = two_keys
    for data in REFUSED:
        for path, body, field in (
            ("/v1/tabular/detect", {"data": data}, "data"),
            ("/v1/tabular/jobs", {"data": data, "k": 5}, "data"),
            ("/v1/tabular/measure", {"original_data": [{"a": 1}], "anonymized_data": data}, "anonymized_data"),
            ("/v1/dp/compute", {"data": data, "mechanism": "count", "epsilon": 1.0}, "data"),
        ):
            r = client.post(path, json=body, headers=A)
            assert r.status_code == 400, (path, data, r.text)
            assert r.json()["error"]["field"] == field


def test_refused_output_and_hierarchy_uris(two_keys: Any) -> None:
    client, _ = two_keys
    rows = [{"zip": "02138", "age": 30}] * 5
    for uri in ("memory://out/x.csv", "s3://someone-else/out.csv", "veil://uploads/x"):
        r = client.post("/v1/tabular/anonymize", json={"data": rows, "k": 2, "output_uri": uri}, headers=A)
        assert r.status_code == 400 and r.json()["error"]["field"] == "output_uri", r.text
    attrs = [{"name": "zip", "type": "quasi_identifier", "hierarchy": "memory://h/zip.csv"}]
    r = client.post("/v1/tabular/anonymize", json={"data": rows, "k": 2, "attributes": attrs}, headers=A)
    assert r.status_code == 400 and r.json()["error"]["field"] == "attributes[0].hierarchy", r.text


def test_dp_compute_reads_uploads(two_keys: Any) -> None:
    client, _ = two_keys
    up = _upload(client, people_csv(200).encode()).json()
    body = {"data": up["data"], "mechanism": "count", "epsilon": 1.0}
    r = client.post("/v1/dp/compute", json=body, headers=A)
    assert r.status_code == 200, r.text
    assert client.post("/v1/dp/compute", json=body, headers=B).status_code == 404


def test_reads_of_one_upload_are_independent(two_keys: Any) -> None:
    client, services = two_keys
    from tests.uploads.conftest import principal_id
    from veil.service.uploads import read_upload

    up = _upload(client, people_csv(30).encode()).json()
    first = read_upload(services, principal_id(KEY_A), up["data"])
    first["zip"] = "changed"
    first.drop(columns=["age"], inplace=True)
    second = read_upload(services, principal_id(KEY_A), up["data"])
    assert list(second.columns) == ["zip", "age", "sex", "disease"]
    assert second["zip"].str.startswith("0").all()
    assert client.delete(f"/v1/uploads/{up['id']}", headers=A).status_code == 200
    r = client.post("/v1/tabular/detect", json={"data": up["data"]}, headers=A)
    assert r.status_code == 404


def test_text_batch_input_uri_policy(two_keys: Any) -> None:
    client, _ = two_keys
    for uri in ("memory://b/x.jsonl", "s3://someone-else/x.jsonl"):
        r = client.post("/v1/text/batch", json={"input_uri": uri}, headers=A)
        assert r.status_code == 400 and r.json()["error"]["field"] == "input_uri", r.text
