"""DaskExecutor against a real scheduler and two worker processes (both databases)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.scale.conftest import DaskCluster
from tests.scale.tasks import KIND_FAIL, KIND_LANE, KIND_MAP, KIND_SLOW_MAP
from veil.jobs.service import TERMINAL


def wait_for(services: Any, job_id: str, pred: Any, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = services.jobs.get(job_id)
        if pred(job):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; job is {job['status']} at {job['progress']}: {job['message']}")
        time.sleep(0.1)


def wait_done(services: Any, job_id: str, timeout: float = 30.0) -> dict[str, Any]:
    return wait_for(services, job_id, lambda j: j["status"] in TERMINAL, timeout)


def test_map_job_spreads_over_workers_and_reports_progress(dask_services: Any) -> None:
    assert dask_services.executor.name == "dask"
    job = dask_services.jobs.submit(KIND_MAP, {"items": list(range(40))}, "p1")
    done = wait_done(dask_services, job["job_id"])
    assert done["status"] == "completed", done
    result = done["context"]["result"]
    assert result["results"] == [i * i for i in range(40)]
    import os

    assert result["pid"] != os.getpid()  # ran on a worker process
    progress = [e["progress"] for e in dask_services.jobs.history(job["job_id"])]
    assert progress == sorted(progress) and progress[-1] == 100.0


def test_health_reports_the_cluster(dask_services: Any) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app

    with TestClient(create_app(dask_services.settings, services=dask_services)) as client:
        body = client.get("/health").json()
    jobs = body["components"]["jobs"]
    assert jobs["status"] == "ok" and jobs["detail"]["executor"] == "dask"
    assert jobs["detail"]["workers"] == 2 and jobs["detail"]["threads"] == 4


def test_piece_error_fails_the_job_with_its_message(dask_services: Any) -> None:
    job = dask_services.jobs.submit(
        KIND_MAP, {"items": [1, 2, 3, 4], "fn": "tests.scale.tasks:bad_piece"}, "p1"
    )
    done = wait_done(dask_services, job["job_id"])
    assert done["status"] == "failed"
    assert "piece 3 is bad" in done["error"]
    job = dask_services.jobs.submit(KIND_FAIL, {}, "p1")
    done = wait_done(dask_services, job["job_id"])
    assert done["status"] == "failed" and "refuses" in done["error"]


def test_cancel_running_map_job_cancels_its_pieces(dask_services: Any, tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    job = dask_services.jobs.submit(KIND_SLOW_MAP, {"n": 60, "sleep": 0.3, "dir": str(marks)}, "p1")
    wait_for(dask_services, job["job_id"], lambda j: j["status"] == "running" and j["progress"] > 1)
    dask_services.jobs.cancel(job["job_id"], "p1")
    done = wait_done(dask_services, job["job_id"], timeout=15)
    assert done["status"] == "cancelled"
    time.sleep(1.0)
    ran = len(list(marks.iterdir()))
    assert 0 < ran < 60  # outstanding pieces never ran


def test_anonymize_lane_runs_one_at_a_time_fifo_and_cancels_queued(dask_services: Any) -> None:
    ids = [dask_services.jobs.submit(KIND_LANE, {"sleep": 0.6}, "p1")["job_id"] for _ in range(3)]
    # the third waits in the lane queue: cancelling it means it never runs
    dask_services.jobs.cancel(ids[2], "p1")
    done = [wait_done(dask_services, i) for i in ids]
    assert [d["status"] for d in done] == ["completed", "completed", "cancelled"]
    a, b = (d["context"]["result"] for d in done[:2])
    assert a["ended"] <= b["started"] + 0.05  # never overlapped; FIFO order


def test_worker_killed_mid_job_is_rerun_and_completes(
    dask_services: Any, cluster: DaskCluster, tmp_path: Path
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    job = dask_services.jobs.submit(KIND_SLOW_MAP, {"n": 16, "sleep": 0.25, "dir": str(marks)}, "p1")
    started = wait_for(dask_services, job["job_id"], lambda j: j["status"] == "running" and j["progress"] > 5)
    history = dask_services.jobs.history(job["job_id"])
    pid = int(next(e["message"] for e in history if e["step"] == "started").split("=")[1])
    assert started["status"] == "running"
    cluster.kill(pid)  # the worker running the job task itself
    done = wait_done(dask_services, job["job_id"], timeout=60)
    assert done["status"] == "completed", done
    assert done["context"]["result"]["count"] == 16
    assert done["context"]["result"]["pid"] != pid
    messages = [e["message"] for e in dask_services.jobs.history(job["job_id"])]
    assert any("worker" in (m or "") and "lost" in (m or "") for m in messages)


def test_hashing_job_spreads_csv_chunks_over_workers(dask_services: Any) -> None:
    import csv
    import io
    import json

    from tests.scale.tasks import KIND_HASH
    from veil.pprl import ClkEncoder, hash_records

    schema = json.loads((Path(__file__).parents[1] / "pprl" / "data" / "seed_schema.json").read_text())
    rows = [[f"Person {i} Name", f"19{50 + i % 50}/0{1 + i % 9}/1{i % 10}", "MF"[i % 2]] for i in range(300)]
    buf = io.StringIO()
    csv.writer(buf).writerows([["NAME", "DOB", "GENDER"], *rows])
    dask_services.store.put("uploads/people.csv", buf.getvalue().encode())
    job = dask_services.jobs.submit(
        KIND_HASH,
        {"input_key": "uploads/people.csv", "schema": schema, "secret": "s3cret", "chunk_size": 40},
        "p1",
    )
    done = wait_done(dask_services, job["job_id"])
    assert done["status"] == "completed", done
    assert done["context"]["result"] == {"count": 300, "chunks": 8}
    got = json.loads(dask_services.store.get(f"jobs/{job['job_id']}/clks.json"))
    expected = [r.clk for r in hash_records(rows, ClkEncoder(schema, secret="s3cret"))]
    assert got == expected


def test_unreachable_scheduler_is_reported_and_jobs_wait(tmp_path: Path) -> None:
    import json
    import socket

    from veil.jobs.dask_executor import DaskExecutor

    with socket.socket() as sock:  # a free port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = json.dumps({"data_dir": str(tmp_path), "database_url": f"sqlite:///{tmp_path / 'x.db'}"})
    executor = DaskExecutor(f"tcp://127.0.0.1:{port}", settings, connect_timeout=0.5)
    try:
        info = executor.describe()
        assert info["status"] == "unavailable" and "Dask scheduler" in info["error"]
        executor.submit("some-job", "anonymize")
        assert executor.describe()["queued"] == 1  # waits for the scheduler, is not failed
    finally:
        executor.shutdown(wait=True)
    assert executor.describe()["status"] == "stopped"


def test_lost_attempts_end_in_a_clean_failure(services: Any) -> None:
    from veil.jobs.dask_executor import MAX_ATTEMPTS, requeue_orphan

    job = services.jobs.create(KIND_MAP, {"items": [1]}, "p1")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert services.jobs.claim(job["job_id"])  # a worker claims it ... and dies
        status = requeue_orphan(services.jobs, job["job_id"], "worker lost")
        assert status == ("pending" if attempt < MAX_ATTEMPTS else "failed")
    done = services.jobs.get(job["job_id"])
    assert done["status"] == "failed" and f"lost {MAX_ATTEMPTS} times" in done["error"]
    # a job cancelled while its worker died ends cancelled, not re-run
    job = services.jobs.create(KIND_MAP, {"items": [1]}, "p1")
    assert services.jobs.claim(job["job_id"])
    services.jobs.cancel(job["job_id"])
    assert requeue_orphan(services.jobs, job["job_id"], "worker lost") == "cancelled"


def test_partitioned_k_anonymity_job_matches_the_library(dask_services: Any) -> None:
    from tests.scale.tasks import ADULT, KIND_KANON

    if not (ADULT / "adult.csv").exists():
        pytest.skip("the Adult dataset is not in ../shared/datasets/adult")
    lines = (ADULT / "adult.csv").read_text().splitlines()[:3001]
    dask_services.store.put("uploads/adult.csv", "\n".join(line.replace(";", ",") for line in lines).encode())
    job = dask_services.jobs.submit(
        KIND_KANON,
        {"input_key": "uploads/adult.csv", "k": 10, "max_suppression": 0.05, "partitions": 4},
        "p1",
    )
    done = wait_done(dask_services, job["job_id"], timeout=60)
    assert done["status"] == "completed", done
    result = done["context"]["result"]
    assert result["rows"] == 3000 and result["identical"] is True
    assert result["suppressed"] > 0  # suppression was decided on the combined counts


def test_map_chunks_from_the_service_process(dask_services: Any) -> None:
    """ctx.map in a task running in the service process also spreads over the cluster."""
    from veil.errors import JobCancelledError
    from veil.jobs import JobContext

    job = dask_services.jobs.create(KIND_MAP, {"items": []}, "p1")
    assert dask_services.jobs.claim(job["job_id"])
    ctx = JobContext(job["job_id"], dask_services, dask_services.jobs)
    assert ctx.map("tests.scale.tasks:square", list(range(10)), end=50, step="x") == [
        i * i for i in range(10)
    ]
    assert dask_services.jobs.get(job["job_id"])["progress"] == 50.0
    dask_services.jobs.cancel(job["job_id"])
    ctx._cancelled = False
    ctx._last_cancel_check = 0.0
    with pytest.raises(JobCancelledError):
        ctx.map(
            "tests.scale.tasks:slow_piece", [{"i": i, "sleep": 0.5, "dir": "/nonexistent"} for i in range(4)]
        )
