"""The shortcuts of a job on an upload: the request checked at submission is the one the
job searches (no second check or encoding in the same process), the MLflow run is logged
while the table is written and reported in the job's result, and a status request may be
held until the job ends (``?wait=``)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.uploads.conftest import ATTRS, KEY_A, people_csv, wait_done

A = {"X-API-Key": KEY_A}


def _job(client: Any, **extra: Any) -> dict[str, Any]:
    up = client.post("/v1/uploads", content=people_csv(400).encode(), headers={**A, "Content-Type": "text/csv"})
    assert up.status_code == 201, up.text
    r = client.post("/v1/tabular/jobs", json={"data": up.json()["data"], "k": 5, "attributes": ATTRS, **extra},
                    headers=A)
    assert r.status_code in (200, 201, 202), r.text
    return dict(r.json())


def test_job_searches_the_request_checked_at_submission(two_keys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    anonymize_module = importlib.import_module("veil.tabular.anonymize")
    client, services = two_keys
    calls: list[int] = []
    original = anonymize_module._encode

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(anonymize_module, "_encode", counted)
    job = wait_done(services, _job(client)["job_id"])
    assert job["status"] == "completed", job
    assert len(calls) == 1  # at submission only
    result = client.get(f"/v1/jobs/{job['job_id']}/result?format=csv", headers=A)
    assert result.status_code == 200 and result.text.splitlines()[0] == "zip,age,sex,disease"


def test_mlflow_run_is_reported_by_the_job(two_keys: Any) -> None:
    client, services = two_keys
    if services.settings.database_url.startswith("postgresql"):
        pytest.skip("the MLflow store is the same embedded one on either database: run once, on SQLite")
    job = wait_done(services, _job(client, mlops_config={"enabled": True})["job_id"], timeout=120)
    assert job["status"] == "completed", job
    mlops = job["context"]["result"]["mlops"]
    assert mlops["status"] == "logged" and mlops["run_id"], mlops


def test_status_request_held_until_the_job_ends(two_keys: Any) -> None:
    client, _ = two_keys
    job_id = _job(client)["job_id"]
    started = time.monotonic()
    r = client.get(f"/v1/jobs/{job_id}", params={"wait": 20}, headers=A)
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text
    assert time.monotonic() - started < 15
    again = client.get(f"/v1/jobs/{job_id}", params={"wait": 5}, headers=A)  # an ended job: at once
    assert again.json()["status"] == "completed"
    for bad in ("-1", "31", "nan"):
        assert client.get(f"/v1/jobs/{job_id}", params={"wait": bad}, headers=A).status_code in (400, 422)
