"""Job lifecycle on both databases: completion, failure, cancellation, history, crash recovery."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from veil.service.container import Services
from veil.store.models import Job

from . import job_tasks  # noqa: F401  (registers the test.* kinds)
from .job_tasks import RELEASE


def wait_for(
    services: Any,
    job_id: str,
    statuses: tuple[str, ...] = ("completed", "failed", "cancelled"),
    timeout: float = 20,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = services.jobs.get(job_id)
        if job["status"] in statuses:
            return dict(job)
        time.sleep(0.02)
    raise AssertionError(f"job stuck in {services.jobs.get(job_id)['status']}")


def test_completed_job_has_result_progress_and_history(services: Any) -> None:
    job = services.jobs.submit("test.quick", {"value": 21}, "local")
    done = wait_for(services, job["job_id"])
    assert done["status"] == "completed"
    assert done["progress"] == 100
    assert done["context"]["result"] == {"value": 42}
    assert done["result_path"].endswith("out.txt")
    history = services.jobs.history(job["job_id"])
    assert [h["sequence"] for h in history] == list(range(1, len(history) + 1))
    assert history[0]["status"] == "pending" and history[-1]["status"] == "completed"
    assert any(h["status"] == "running" and h["progress"] == 50 for h in history)


def test_failed_jobs_record_the_error(services: Any) -> None:
    bad = wait_for(services, services.jobs.submit("test.bad_input", {}, "local")["job_id"])
    assert bad["status"] == "failed" and "k is larger" in bad["error"]
    crash = wait_for(services, services.jobs.submit("test.crash", {}, "local")["job_id"])
    assert crash["status"] == "failed"
    assert "secret-value" not in crash["error"]


def test_cancel_pending_and_running_and_refuse_finished(services: Any) -> None:
    RELEASE.clear()
    blocker = services.jobs.submit("test.block", {}, "local")  # holds the one-at-a-time lane
    queued = services.jobs.submit("test.slow_lane", {"seconds": 5}, "local")
    wait_for(services, blocker["job_id"], ("running",))
    assert services.jobs.get(queued["job_id"])["status"] == "pending"
    assert services.jobs.cancel(queued["job_id"])["status"] == "cancelled"
    RELEASE.set()
    assert wait_for(services, blocker["job_id"])["status"] == "completed"
    assert services.jobs.get(queued["job_id"])["status"] == "cancelled"

    running = services.jobs.submit("test.slow", {"seconds": 20}, "local")
    wait_for(services, running["job_id"], ("running",))
    services.jobs.cancel(running["job_id"])
    assert wait_for(services, running["job_id"])["status"] == "cancelled"
    statuses = [h["status"] for h in services.jobs.history(running["job_id"])]
    assert statuses[0] == "pending" and statuses[-1] == "cancelled"

    from veil.errors import ConflictError

    with pytest.raises(ConflictError):
        services.jobs.cancel(running["job_id"])


def test_anonymize_lane_runs_one_at_a_time_in_fifo_order(services: Any) -> None:
    ids = [services.jobs.submit("test.slow_lane", {"seconds": 0.2}, "local")["job_id"] for _ in range(3)]
    for job_id in ids:
        wait_for(services, job_id)
    jobs = [services.jobs.get(j) for j in ids]
    for earlier, later in itertools.pairwise(jobs):
        assert earlier["completed_at"] <= later["started_at"]


def test_crash_recovery_requeues_or_fails(settings: Any) -> None:
    first = Services(settings, start_executor=False)
    job = first.jobs.create("test.quick", {"value": 1}, "local")
    assert first.jobs.claim(job["job_id"])  # now 'running' and nobody runs it: a crash
    first.close()

    second = Services(settings)  # start-up recovery
    try:
        done = wait_for(second, job["job_id"])
        assert done["status"] == "completed"
        messages = [h["message"] for h in second.jobs.history(job["job_id"])]
        assert any("re-queued" in (m or "") for m in messages)
    finally:
        second.close()

    settings_fail = settings.model_copy(update={"job_recovery": "fail"})
    third = Services(settings_fail, start_executor=False)
    job2 = third.jobs.create("test.quick", {}, "local")
    third.jobs.claim(job2["job_id"])
    third.close()
    fourth = Services(settings_fail)
    try:
        failed = fourth.jobs.get(job2["job_id"])
        assert failed["status"] == "failed" and "restart" in failed["error"]
    finally:
        fourth.close()


def test_list_is_newest_first_filtered_and_paginated(services: Any) -> None:
    ids = [services.jobs.submit("test.quick", {"value": i}, "local")["job_id"] for i in range(3)]
    for j in ids:
        wait_for(services, j)
    page = services.jobs.list("local", limit=2, offset=0)
    assert page["total"] >= 3 and len(page["jobs"]) == 2
    assert page["jobs"][0]["created_at"] >= page["jobs"][1]["created_at"]
    assert all(j["status"] == "completed" for j in services.jobs.list("local", status="completed")["jobs"])
    assert services.jobs.list("someone-else")["total"] == 0


def test_jobs_api_round_trip(client: Any, services: Any) -> None:
    job = services.jobs.submit("test.quick", {"value": 2}, "local")
    wait_for(services, job["job_id"])
    r = client.get(f"/v1/jobs/{job['job_id']}")
    assert r.status_code == 200 and r.json()["context"]["result"] == {"value": 4}
    r = client.get(f"/v1/jobs/{job['job_id']}/history")
    assert r.status_code == 200 and r.json()["history"][-1]["status"] == "completed"
    r = client.post(f"/v1/jobs/{job['job_id']}/cancel")
    assert r.status_code == 409 and r.json()["error"]["field"] == "job_id"
    r = client.get("/v1/jobs", params={"status": "completed", "limit": 1})
    assert r.status_code == 200 and len(r.json()["jobs"]) == 1


def test_job_rows_use_uuid_ids_and_aware_timestamps(services: Any) -> None:
    job = services.jobs.submit("test.quick", {}, "local")
    wait_for(services, job["job_id"])
    with services.db.session() as s:
        row = s.get(Job, job["job_id"])
        assert row is not None and len(row.id) == 36
        assert row.created_at.tzinfo is not None
