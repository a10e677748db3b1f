"""Batch text de-identification: API (upload, cloud URI, download), Dask spread, CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.scale.conftest import DaskCluster, S3Server

TEXTS = [
    "Hi, I am John Smith and I live in Paris.",
    "Call me on 555-123-4567 tomorrow.",
    "Nothing personal here.",
    "Grace Hopper wrote to alice@example.com.",
    "Meet Maria Garcia in Berlin.",
    "The weather is fine.",
]
OPTIONS = {"accuracy_mode": "standard"}


def jsonl(rows: list[Any]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def wait_done(client: Any, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "cancelled"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def read_result(client: Any, job_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/v1/text/batch/{job_id}/result")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in r.content.splitlines()]


def check_lines(lines: list[dict[str, Any]], ids: list[Any] | None = None) -> None:
    assert [line["index"] for line in lines] == list(range(len(TEXTS)))
    if ids is not None:
        assert [line.get("id") for line in lines] == ids
    assert "John Smith" not in lines[0]["result"] and "[NAME" in lines[0]["result"]
    assert "555-123-4567" not in lines[1]["result"]
    assert lines[2]["result"] == "Nothing personal here."
    assert "alice@example.com" not in lines[3]["result"]


def test_upload_jsonl_job_and_download(client: Any, services: Any) -> None:
    rows = [{"id": f"r{i}", "text": t} for i, t in enumerate(TEXTS)]
    r = client.post(
        "/v1/text/batch/upload",
        params={"id_field": "id", "partition_size": 4, "options": json.dumps(OPTIONS)},
        content=jsonl(rows),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 202, r.text
    job = wait_done(client, r.json()["job_id"])
    assert job["status"] == "completed", job
    assert job["kind"] == "text.deid_batch"
    assert job["context"]["result"]["texts"] == 6 and job["context"]["result"]["partitions"] == 2
    assert job["result_path"].endswith(f"jobs/{job['job_id']}/result.jsonl")
    lines = read_result(client, job["job_id"])
    check_lines(lines, [f"r{i}" for i in range(6)])
    assert any(p["best_label"] == "NAME" for p in lines[0]["pii"])
    # the upload and the partitions are gone; only the result stays
    assert services.store.list("uploads") == []
    assert services.store.list(f"jobs/{job['job_id']}") == [f"jobs/{job['job_id']}/result.jsonl"]


def test_upload_csv_with_errors_per_line(client: Any) -> None:
    body = "note,who\n" + "\n".join(f'"{t}",{i}' for i, t in enumerate(TEXTS)) + "\n"
    r = client.post(
        "/v1/text/batch/upload",
        params={
            "text_field": "note",
            "id_field": "who",
            "include_pii": "false",
            "options": json.dumps(OPTIONS),
        },
        content=body.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert r.status_code == 202, r.text
    assert wait_done(client, r.json()["job_id"])["status"] == "completed"
    lines = read_result(client, r.json()["job_id"])
    check_lines(lines, [str(i) for i in range(6)])
    assert "pii" not in lines[0]
    # a JSONL line whose text is not a string gets an error line, the rest go through
    r = client.post(
        "/v1/text/batch/upload",
        params={"format": "jsonl", "options": json.dumps(OPTIONS)},
        content=jsonl([{"text": "Hi John Smith"}, {"text": 42}, "Paris is nice"]),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert r.status_code == 202, r.text
    assert wait_done(client, r.json()["job_id"])["status"] == "completed"
    lines = read_result(client, r.json()["job_id"])
    assert [("error" in line) for line in lines] == [False, True, False]


def test_bad_requests_are_4xx(client: Any) -> None:
    post = client.post
    ndjson = {"Content-Type": "application/x-ndjson"}
    assert post("/v1/text/batch/upload", content=b'{"text":"a"}\n').status_code == 400  # no format
    r = post("/v1/text/batch/upload", content=b"", headers=ndjson)
    assert r.status_code == 400 and r.json()["error"]["field"] == "body"
    r = post("/v1/text/batch/upload", params={"options": '{"nope": 1}'}, content=b'"a"\n', headers=ndjson)
    assert r.status_code == 400 and r.json()["error"]["field"] == "options.nope"
    r = post(
        "/v1/text/batch/upload",
        params={"options": '{"accuracy_mode": "x"}'},
        content=b'"a"\n',
        headers=ndjson,
    )
    assert r.status_code == 400 and r.json()["error"]["field"] == "options.accuracy_mode"
    r = post("/v1/text/batch/upload", params={"partition_size": 10**30}, content=b'"a"\n', headers=ndjson)
    assert r.status_code == 422
    r = post("/v1/text/batch", json={"input_uri": "/etc/passwd.csv"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "input_uri"
    r = post("/v1/text/batch", json={"input_uri": "s3://b/x.jsonl", "extra": 1})
    assert r.status_code == 422
    # a malformed file fails the job cleanly, naming the line
    r = post("/v1/text/batch/upload", content=b'{"text": "ok"}\n{broken\n', headers=ndjson)
    job = wait_done(client, r.json()["job_id"])
    assert job["status"] == "failed" and "line 2" in job["error"]
    assert client.get(f"/v1/text/batch/{job['job_id']}/result").status_code == 409
    assert client.get("/v1/text/batch/00000000-0000-0000-0000-000000000000/result").status_code == 404


def test_cloud_uri_input(tmp_path: Path, database_url: str, s3_server: S3Server) -> None:
    import boto3
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).put_object(Bucket=s3_server.bucket, Key="in/texts.jsonl", Body=jsonl([{"text": t} for t in TEXTS]))
    settings = make_settings(tmp_path, database_url, cloud_storage_options=s3_server.storage_options)
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services)) as client:
            r = client.post(
                "/v1/text/batch",
                json={"input_uri": s3_server.url("in/texts.jsonl"), "options": OPTIONS, "partition_size": 5},
            )
            assert r.status_code == 202, r.text
            job = wait_done(client, r.json()["job_id"])
            assert job["status"] == "completed", job
            check_lines(read_result(client, job["job_id"]))
            r = client.post("/v1/text/batch", json={"input_uri": s3_server.url("in/missing.jsonl")})
            job = wait_done(client, r.json()["job_id"])
            assert job["status"] == "failed" and "input_uri" in job["error"]
    finally:
        services.close()


def test_batch_spreads_over_dask_workers(dask_services: Any, cluster: DaskCluster) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app

    with TestClient(create_app(dask_services.settings, services=dask_services)) as client:
        r = client.post(
            "/v1/text/batch/upload",
            params={"partition_size": 1, "options": json.dumps(OPTIONS)},
            content=jsonl(TEXTS),
            headers={"Content-Type": "application/x-ndjson"},
        )
        assert r.status_code == 202, r.text
        job = wait_done(client, r.json()["job_id"], timeout=90)
        assert job["status"] == "completed", job
        assert job["context"]["result"]["partitions"] == 6
        check_lines(read_result(client, job["job_id"]))
    steps = {e["step"] for e in dask_services.jobs.history(job["job_id"])}
    assert "de-identifying" in steps


def test_cli_local(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from veil.cli.main import app

    src = tmp_path / "texts.jsonl"
    src.write_bytes(jsonl([{"id": i, "text": t} for i, t in enumerate(TEXTS)]))
    out = tmp_path / "out" / "result.jsonl"
    res = CliRunner().invoke(
        app,
        [
            "text",
            "deid-batch",
            str(src),
            "-o",
            str(out),
            "--id-field",
            "id",
            "--accuracy-mode",
            "standard",
            "--partition-size",
            "4",
        ],
    )
    assert res.exit_code == 0, res.output
    check_lines([json.loads(line) for line in out.read_text().splitlines()], list(range(6)))
    bad = CliRunner().invoke(app, ["text", "deid-batch", str(src), "-o", str(out), "--text-field", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output


def test_cli_remote(client: Any, tmp_path: Path) -> None:
    from veil.cli.text_batch import _remote
    from veil.service.text_batch import make_spec

    src = tmp_path / "texts.csv"
    src.write_text("text\n" + "\n".join(f'"{t}"' for t in TEXTS) + "\n")
    out = tmp_path / "result.jsonl"
    spec = make_spec(fmt="csv", options=OPTIONS, partition_size=3)
    summary = _remote("http://testserver", None, src, out, spec, http_client=client)
    assert summary["texts"] == 6
    check_lines([json.loads(line) for line in out.read_text().splitlines()])


@pytest.mark.parametrize("size", [1, 4, 10])
def test_partitions_keep_order(size: int) -> None:
    from veil.service.text_batch import partitions

    parts = list(partitions(({"i": i} for i in range(9)), size))
    assert [r["i"] for p in parts for r in p] == list(range(9))
    assert all(len(p) <= size for p in parts)


def test_oversized_upload_is_413_and_leaves_nothing(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, max_upload_bytes=4096)
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services)) as client:

            def body() -> Any:  # chunked: no Content-Length, the limit trips mid-stream
                for _ in range(20):
                    yield jsonl(["Hi John Smith"] * 30)

            r = client.post(
                "/v1/text/batch/upload",
                params={"format": "jsonl"},
                content=body(),
                headers={"Content-Type": "application/octet-stream"},
            )
            assert r.status_code == 413, r.text
            assert services.store.list() == []
            assert client.get("/v1/jobs").json()["total"] == 0
    finally:
        services.close()


def test_results_are_private_to_their_principal(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, api_keys="key-one,key-two")
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services)) as client:
            one, two = {"X-API-Key": "key-one"}, {"X-API-Key": "key-two"}
            r = client.post(
                "/v1/text/batch/upload",
                params={"format": "jsonl", "options": json.dumps(OPTIONS)},
                content=jsonl(["Hi John Smith"]),
                headers={**one, "Content-Type": "application/octet-stream"},
            )
            assert r.status_code == 202, r.text
            job_id = r.json()["job_id"]
            assert client.post("/v1/text/batch/upload", content=b'"x"\n').status_code == 401
            deadline = time.monotonic() + 30
            while client.get(f"/v1/jobs/{job_id}", headers=one).json()["status"] != "completed":
                assert time.monotonic() < deadline
                time.sleep(0.1)
            assert client.get(f"/v1/text/batch/{job_id}/result", headers=one).status_code == 200
            assert client.get(f"/v1/text/batch/{job_id}/result", headers=two).status_code == 404
            assert client.get(f"/v1/jobs/{job_id}", headers=two).status_code == 404
    finally:
        services.close()
