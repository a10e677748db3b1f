"""The domains' real job kinds through the Dask cluster: linkage hashing (one job per CSV
chunk, spread over the workers) and tabular anonymization (the ``anonymize`` lane)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.scale.conftest import DaskCluster


@pytest.fixture
def dask_client(dask_services: Any) -> Any:
    from starlette.testclient import TestClient

    from veil.api import create_app

    with TestClient(create_app(dask_services.settings, services=dask_services)) as client:
        yield client


def test_pprl_hashing_chunks_run_on_the_workers(
    dask_client: Any, dask_services: Any, cluster: DaskCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.pprl_api.test_api import HEADER, KEYS, SEED_CLKS, SEED_CSV, SEED_SCHEMA, upload, wait_done
    from veil.service import pprl as pprl_service

    monkeypatch.setattr(pprl_service, "CHUNK_ROWS", 1000)  # the service cuts uploads into chunk jobs
    assert dask_client.post("/projects/demo", params=KEYS, json=SEED_SCHEMA).status_code == 201
    assert upload(dask_client, "demo", SEED_CSV).json() == {"clk_number": 2, "clk_start_index": 0}
    n = 3 * 1000 + 17
    body = HEADER + "".join(
        f"Person {i},19{i % 90 + 10}/0{i % 9 + 1}/1{i % 9},{'MF'[i % 2]}\n" for i in range(n)
    )
    assert upload(dask_client, "demo", body).json() == {"clk_number": n, "clk_start_index": 2}
    assert wait_done(dask_client, "demo", timeout=90) == [{"index": 0, "count": n + 2, "status": "done"}]
    clks = dask_client.get("/projects/demo/clks/0/3").json()["clks"]
    assert [c["hash"] for c in clks[:2]] == SEED_CLKS  # identical to clkhash's, computed on a worker
    jobs = dask_client.get("/v1/jobs", params={"kind": "pprl.hash_chunk", "limit": 100}).json()["jobs"]
    assert len(jobs) >= 4 and {j["status"] for j in jobs} == {"completed"}


def test_tabular_anonymization_job_runs_on_a_worker(dask_client: Any, dask_services: Any) -> None:
    from tests.tabular_api.helpers import PEOPLE, PEOPLE_ATTRS

    records = PEOPLE.to_dict(orient="records")
    ids = []
    for k in (2, 4):
        r = dask_client.post(
            "/v1/tabular/jobs",
            json={"data": records, "k": k, "attributes": PEOPLE_ATTRS, "max_suppression": 0.05},
        )
        assert r.status_code == 202, r.text
        ids.append(r.json()["job_id"])
    deadline = time.monotonic() + 90
    done: list[dict[str, Any]] = []
    for job_id in ids:
        while (job := dask_client.get(f"/v1/jobs/{job_id}").json())["status"] in ("pending", "running"):
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
        done.append(job)
    assert [j["status"] for j in done] == ["completed", "completed"], done
    assert all(j["context"]["result"]["row_count"] == 240 for j in done)
    # the anonymize lane ran them one at a time (VEIL_ANONYMIZE_CONCURRENCY=1)
    assert done[0]["completed_at"] <= done[1]["started_at"]
