"""Object storage and the data loader on S3 (moto's server on loopback), and the service on s3://."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import make_settings
from tests.scale.conftest import DaskCluster, S3Server
from veil.errors import InvalidInputError, NotFoundError
from veil.io import load_table, write_table
from veil.store.objects import ObjectStore


def test_object_store_on_s3_prefix(s3_server: S3Server) -> None:
    store = ObjectStore(s3_server.url("veil/objects"), s3_server.storage_options)
    assert not store.is_local
    assert store.ping()
    store.put("jobs/a/result.csv", b"x,y\n1,2\n")
    assert store.exists("jobs/a/result.csv")
    assert store.get("jobs/a/result.csv") == b"x,y\n1,2\n"
    assert store.uri("jobs/a/result.csv") == f"s3://{s3_server.bucket}/veil/objects/jobs/a/result.csv"
    assert store.size("jobs/a/result.csv") == 8
    n = store.put_stream("jobs/a/big.bin", (bytes([i]) * 1000 for i in range(50)))
    assert n == 50_000 and store.get("jobs/a/big.bin")[-1] == 49
    with store.open("jobs/a/big.bin") as fh:
        assert fh.read(3) == b"\x00\x00\x00"
    assert store.list("jobs/a") == ["jobs/a/big.bin", "jobs/a/result.csv"]
    with pytest.raises(RuntimeError), store.writer("jobs/a/partial.bin") as fh:
        fh.write(b"half")
        raise RuntimeError("crash mid-write")
    assert not store.exists("jobs/a/partial.bin")
    assert store.list("jobs/a") == ["jobs/a/big.bin", "jobs/a/result.csv"]
    store.delete("jobs/a/result.csv")
    with pytest.raises(NotFoundError):
        store.get("jobs/a/result.csv")
    store.delete_prefix("jobs")
    assert store.list("jobs") == []


@pytest.mark.parametrize("ext", ["csv", "parquet", "json", "jsonl"])
def test_load_and_write_tables_on_s3(s3_server: S3Server, ext: str) -> None:
    frame = pd.DataFrame({"name": ["a", "b", "c"], "age": [31, 42, 57]})
    uri = s3_server.url(f"data/people.{ext}")
    assert write_table(frame, uri, storage_options=s3_server.storage_options) == uri
    back = load_table(uri, storage_options=s3_server.storage_options)
    assert list(back.columns) == ["name", "age"]
    assert back["name"].tolist() == ["a", "b", "c"]
    assert [int(v) for v in back["age"]] == [31, 42, 57]


def test_s3_errors_are_client_errors(s3_server: S3Server) -> None:
    with pytest.raises(NotFoundError):
        load_table(s3_server.url("missing.csv"), storage_options=s3_server.storage_options)
    bad = dict(s3_server.storage_options, secret="wrong")
    with pytest.raises((InvalidInputError, NotFoundError)):
        load_table(s3_server.url("missing.csv"), storage_options=bad)


def _wait_done(services: Any, job_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (job := services.jobs.get(job_id))["status"] not in ("completed", "failed", "cancelled"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return job


def test_service_on_s3_storage(tmp_path: Path, database_url: str, s3_server: S3Server) -> None:
    from starlette.testclient import TestClient

    import tests.scale.tasks as tasks
    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(
        tmp_path,
        database_url,
        storage_url=s3_server.url("veil"),
        storage_options=s3_server.storage_options,
    )
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services)) as client:
            health = client.get("/health").json()
            assert health["components"]["storage"] == {"status": "ok", "detail": {"backend": "remote"}}
            job = services.jobs.submit(tasks.KIND_WRITE, {"text": "hello s3"}, "local")
            done = _wait_done(services, job["job_id"])
            assert done["status"] == "completed"
            assert done["result_path"] == f"s3://{s3_server.bucket}/veil/jobs/{job['job_id']}/result.txt"
            assert services.store.get(f"jobs/{job['job_id']}/result.txt") == b"hello s3"
    finally:
        services.close()


def test_dask_job_writes_its_result_to_s3(
    tmp_path: Path, database_url: str, s3_server: S3Server, cluster: DaskCluster
) -> None:
    import tests.scale.tasks as tasks
    from veil.service.container import Services

    settings = make_settings(
        tmp_path,
        database_url,
        storage_url=s3_server.url("veil"),
        storage_options=s3_server.storage_options,
        dask_scheduler=cluster.address,
    )
    services = Services(settings)
    try:
        job = services.jobs.submit(tasks.KIND_WRITE, {"text": "from a worker"}, "local")
        done = _wait_done(services, job["job_id"])
        assert done["status"] == "completed", done
        assert services.store.get(f"jobs/{job['job_id']}/result.txt") == b"from a worker"
    finally:
        services.close()
