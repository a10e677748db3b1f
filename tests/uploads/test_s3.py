"""Cloud URIs per principal, and uploads / results in an S3 object store (moto on loopback)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from tests._servers import make_bucket, s3_options
from tests.conftest import make_settings
from tests.uploads.conftest import (
    ATTRS,
    KEY_A,
    KEY_B,
    people_csv,
    principal_id,
    wait_done,
)

A = {"X-API-Key": KEY_A}
B = {"X-API-Key": KEY_B}


def test_one_principal_cannot_read_another_prefix(tmp_path: Path, database_url: str, moto_url: str) -> None:
    import fsspec
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    bucket = make_bucket(moto_url)
    opts = s3_options(moto_url)
    fs = fsspec.filesystem("s3", **opts)
    for who in ("a", "b"):
        with fs.open(f"{bucket}/tenants/{who}/people.csv", "wb") as fh:
            fh.write(people_csv(60).encode())
    grants = {principal_id(KEY_A): [f"s3://{bucket}/tenants/a/"], principal_id(KEY_B): [f"s3://{bucket}/tenants/b"]}
    settings = make_settings(tmp_path, database_url, api_keys=f"{KEY_A},{KEY_B}", cloud_storage_options=opts,
                             allowed_data_prefixes=grants, storage_url=f"s3://{bucket}/veil-objects",
                             storage_options=opts)
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as client:
            mine, theirs = f"s3://{bucket}/tenants/a/people.csv", f"s3://{bucket}/tenants/b/people.csv"
            assert client.post("/v1/tabular/detect", json={"data": mine}, headers=A).status_code == 200
            assert client.post("/v1/tabular/detect", json={"data": theirs}, headers=B).status_code == 200
            for headers, uri in ((A, theirs), (B, mine), (A, f"s3://{bucket}/veil-objects/x.csv")):
                r = client.post("/v1/tabular/detect", json={"data": uri}, headers=headers)
                assert r.status_code == 400 and r.json()["error"]["field"] == "data", r.text
                r = client.post("/v1/tabular/jobs", json={"data": uri, "k": 2, "attributes": ATTRS}, headers=headers)
                assert r.status_code == 400, r.text
            # outputs: only under one's own prefix
            body = {"data": mine, "k": 2, "attributes": ATTRS}
            r = client.post("/v1/tabular/anonymize", json={**body, "output_uri": f"s3://{bucket}/tenants/b/o.csv"},
                            headers=A)
            assert r.status_code == 400 and r.json()["error"]["field"] == "output_uri"
            r = client.post("/v1/tabular/anonymize", json={**body, "output_uri": f"s3://{bucket}/tenants/a/o.csv"},
                            headers=A)
            assert r.status_code == 200, r.text
            assert fs.exists(f"{bucket}/tenants/a/o.csv")

            # uploads and results live in the S3 object store
            up = client.post("/v1/uploads", content=people_csv(500).encode(),
                             headers={**A, "Content-Type": "text/csv"}).json()
            assert up["rows"] == 500
            assert any("/uploads/" in p for p in fs.find(f"{bucket}/veil-objects"))
            job = client.post("/v1/tabular/jobs", json={"data": up["data"], "k": 2, "attributes": ATTRS},
                              headers=A).json()
            assert wait_done(services, job["job_id"])["status"] == "completed"
            got = client.get(f"/v1/jobs/{job['job_id']}/result", params={"format": "parquet"}, headers=A)
            assert got.status_code == 200
            frame = pd.read_parquet(io.BytesIO(got.content))
            assert len(frame) == 500 and frame["zip"].str.startswith("0").all()
            assert client.get(f"/v1/jobs/{job['job_id']}/result", headers=B).status_code == 404
            assert client.delete(f"/v1/uploads/{up['id']}", headers=A).status_code == 200
            assert not any("/uploads/" in p for p in fs.find(f"{bucket}/veil-objects"))
    finally:
        services.close()


