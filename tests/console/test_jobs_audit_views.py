"""Browser: the jobs view (filters, progress, history, cancel) and the audit log view."""

from __future__ import annotations

import time
from typing import Any

import pytest

import tests.console.job_tasks  # noqa: F401  (registers console_test.wait)
from tests.console.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser


def wait_status(server: LiveServer, job_id: str, status: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while server.services.jobs.get(job_id)["status"] != status:
        assert time.monotonic() < deadline, f"job never became {status}"
        time.sleep(0.05)


def test_jobs_view_lists_progress_history_and_cancels(page: Any, live_server: LiveServer) -> None:
    jobs = live_server.services.jobs
    done = jobs.submit("console_test.wait", {"seconds": 0.3}, "local")
    running = jobs.submit("console_test.wait", {"seconds": 30}, "local")
    wait_status(live_server, done["job_id"], "completed")
    wait_status(live_server, running["job_id"], "running")

    page.goto(live_server.url + "/#jobs")
    page.fill("#jobs-kind", "console_test.wait")
    page.press("#jobs-kind", "Enter")
    done_row = page.locator(f"#jobs-table tr[data-job-id='{done['job_id']}']")
    done_row.wait_for()
    assert done_row.get_attribute("data-status") == "completed"
    assert "100 %" in done_row.inner_text()
    assert done_row.locator("button[data-action='cancel']").count() == 0

    row = page.locator(f"#jobs-table tr[data-job-id='{running['job_id']}']")
    assert row.get_attribute("data-status") == "running"
    screenshot(page, "jobs-running")
    row.locator("button[data-action='cancel']").click()
    page.wait_for_selector(f"#jobs-table tr[data-job-id='{running['job_id']}'][data-status='cancelled']", timeout=20_000)

    page.locator(f"#jobs-table tr[data-job-id='{running['job_id']}']").click()
    page.wait_for_selector("#jobs-history tbody tr")
    assert page.inner_text("#jobs-detail-id") == running["job_id"]
    history = page.locator("#jobs-history tbody").inner_text()
    assert "pending" in history and "running" in history and "cancelled" in history

    page.select_option("#jobs-status", "cancelled")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#jobs-table tbody tr[data-status]')].every(r => r.dataset.status === 'cancelled')"
    )
    assert page.locator(f"#jobs-table tr[data-job-id='{done['job_id']}']").count() == 0
    screenshot(page, "jobs-cancelled")


def test_audit_view_lists_filters_and_pages(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#jobs")
    # some traffic, including an error: a job that does not exist
    page.evaluate("async () => { for (let i = 0; i < 12; i++) await fetch('/v1/jobs?limit=1'); await fetch('/v1/jobs/no-such-job'); }")
    page.goto(live_server.url + "/#audit")
    page.wait_for_selector("#audit-table tbody tr[data-entry-id]")
    operations = page.locator("#audit-table tbody tr[data-entry-id]").evaluate_all("rs => rs.map(r => r.dataset.operation)")
    assert "list_jobs" in operations and "get_job_status" in operations

    page.select_option("#audit-status", "error")
    page.wait_for_function(
        "() => { const rows = [...document.querySelectorAll('#audit-table tbody tr[data-entry-id]')];"
        " return rows.length > 0 && rows.every(r => r.textContent.includes('error')); }"
    )
    assert "not found" in page.inner_text("#audit-table tbody").lower()

    page.select_option("#audit-status", "")
    page.fill("#audit-operation", "list_jobs")
    page.press("#audit-operation", "Enter")
    page.select_option("#audit-limit", "10")
    page.wait_for_function("() => /^1–10 of \\d+/.test(document.querySelector('#audit-pager .pager-info').textContent)")
    page.click("#audit-pager button:has-text('Next')")
    page.wait_for_function("() => document.querySelector('#audit-pager .pager-info').textContent.startsWith('11–')")

    page.locator("#audit-table tbody tr[data-entry-id]").first.click()
    page.wait_for_selector("#audit-detail:not([hidden])")
    assert '"operation": "list_jobs"' in page.inner_text("#audit-detail-json")
    screenshot(page, "audit")
