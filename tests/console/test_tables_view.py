"""Browser: the tables view (detect, anonymize as a job, risk/utility charts, download)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser


def load_sample(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/#tables")
    page.click("#tab-sample")
    page.wait_for_selector("#tab-columns tbody tr[data-column='diagnosis']")
    # detection has filled in the classes
    page.wait_for_function("() => document.querySelector(\"#tab-columns select[data-column='age']\").value === 'quasi_identifier'")


def test_sample_detect_run_job_and_charts(page: Any, live_server: LiveServer, tmp_path: Path) -> None:
    load_sample(page, live_server)
    assert page.inner_text("#tab-data-info") == "patients.csv: 240 rows × 8 columns"
    assert page.locator("#tab-columns tbody tr").count() == 8
    assert page.input_value("#tab-columns select[data-column='name']") == "identifier"
    assert page.input_value("#tab-columns select[data-column='patient_id']") == "identifier"
    assert page.input_value("#tab-columns select[data-column='zip']") == "quasi_identifier"
    page.select_option("#tab-columns select[data-column='sex']", "quasi_identifier")
    page.select_option("#tab-columns select[data-column='diagnosis']", "sensitive")
    page.fill("#tab-k", "5")
    page.fill("#tab-suppression", "5")
    page.click("#tab-run")
    page.wait_for_selector("#tab-progress:not([hidden])")
    page.wait_for_function("() => document.querySelector('#tab-progress-label').textContent.startsWith('100 %')", timeout=60_000)
    assert page.get_attribute("#tab-progress .progress", "aria-valuenow") == "100"
    page.wait_for_selector("#tab-risk-chart svg rect[data-series='after']")
    assert page.locator("#tab-error").is_hidden(), page.inner_text("#tab-error")
    assert page.locator("#tab-run-error").is_hidden(), page.inner_text("#tab-run-error")

    # risk before and after: k >= 5 means a prosecutor risk of at most 20 %
    highest = page.locator("#tab-risk-table tr[data-risk='Prosecutor: highest risk'] td")
    assert highest.nth(1).inner_text() == "100.0 %"
    assert float(highest.nth(2).inner_text().rstrip(" %")) <= 20.0
    # the histogram: no record is left in a class smaller than 5 afterwards
    for bucket in ("1", "2", "3–4"):
        after = page.locator(f"#tab-hist-chart rect[data-series='after'][data-category='{bucket}']")
        assert after.count() == 0 or float(after.get_attribute("data-value") or 0) == 0
    before_singletons = page.locator("#tab-hist-chart rect[data-series='before'][data-category='1']")
    assert float(before_singletons.get_attribute("data-value") or 0) > 0
    # utility
    assert page.locator("#tab-utility-chart svg rect[data-series='loss']").count() >= 3
    assert page.locator("#tab-metrics-table tr[data-metric='loss']").count() == 1
    screenshot(page, "tables-results")

    with page.expect_download() as info:
        page.click("#tab-download")
    download = info.value
    assert download.suggested_filename == "patients-anonymized.csv"
    target = tmp_path / "out.csv"
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == 240
    assert "name" not in rows[0] and "patient_id" not in rows[0]
    assert {r["diagnosis"] for r in rows} <= {
        "Asthma", "Diabetes", "Hypertension", "Influenza", "Migraine", "Bronchitis", "Arthritis", "*",
    }


def test_uploaded_csv_and_a_refused_configuration(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#tables")
    text = "age,zip,diagnosis\n" + "".join(f"{20 + i % 30},{10000 + i % 7},{'AB'[i % 2]}\n" for i in range(60))
    page.set_input_files("#tab-file", files=[{"name": "tiny.csv", "mimeType": "text/csv", "buffer": text.encode()}])
    page.wait_for_selector("#tab-columns tbody tr[data-column='diagnosis']")
    assert page.inner_text("#tab-data-info") == "tiny.csv: 60 rows × 3 columns"
    # l-diversity without any sensitive column: the API refuses it and the page says why
    for column in ("age", "zip"):
        page.select_option(f"#tab-columns select[data-column='{column}']", "quasi_identifier")
    page.select_option("#tab-columns select[data-column='diagnosis']", "insensitive")
    page.select_option("#tab-model", "l-diversity")
    assert page.is_enabled("#tab-l") and page.is_disabled("#tab-t")
    page.click("#tab-run")
    page.wait_for_selector("#tab-run-error:not(.hidden)")
    error = page.inner_text("#tab-run-error")
    assert "400" in error or "422" in error or "job_failed" in error
    assert page.locator("#tab-results").is_hidden()
    screenshot(page, "tables-error")


def test_progress_bar_follows_the_job(page: Any, live_server: LiveServer) -> None:
    """Intermediate progress as a slower job reports it (the sample's job is done in a blink)."""
    import json

    polls: list[str] = []

    def status(route: Any) -> None:
        polls.append(route.request.url)
        if len(polls) <= 4:
            body = {"status": "running", "progress": 42.0, "step": "searching", "message": "searching the lattice"}
            route.fulfill(status=200, content_type="application/json", body=json.dumps(body))
        else:
            route.continue_()

    load_sample(page, live_server)
    page.route("**/v1/jobs/*", status)
    page.click("#tab-run")
    page.wait_for_function(
        "() => document.querySelector('#tab-progress-label').textContent"
        " === '42 % · running · searching · searching the lattice'"
    )
    assert page.get_attribute("#tab-progress .progress", "aria-valuenow") == "42"
    assert page.locator("#tab-progress-fill").evaluate("e => e.style.width") == "42%"
    assert page.is_visible("#tab-cancel")
    page.wait_for_function("() => document.querySelector('#tab-progress-label').textContent.startsWith('100 %')", timeout=60_000)
    assert page.is_hidden("#tab-cancel")
    page.wait_for_selector("#tab-results:not([hidden])")
