"""Browser: the linkage view against the seed-000 routes (/projects...)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser

# The seed's two records and their CLKs (keys 'correct' / 'horse', the seed's schema).
SEED_CSV = "NAME freetext,DOB YYYY/MM/DD,GENDER M or F\nJane Doe,1968/05/19,F\nPeter Griffin,1998/12/20,M\n"
SEED_HASHES = [
    "EgBsCgAQACwDiJiri8oACaApBgB2UigAYJAAADCECKjBgABKJFFNpBVGzMREZBGBmCIwAODcgqGI9hAFKAkndGAhAGClqQEEAiLue2siEJQgkUEggGBAAQgGAWAALZACtSAiABMMQlihFVU1MTHEAmlACIMGiIwCsCAoEEDQAAA=",
    "2wRKwCio1SQDeAAEowBECdwNGkAJgChviDATAHTDRCgQECHqxiEARgl+iLQADIspmCB7gcFUgKGIwvCMBAirULh5kkDaiTlAJowckX8A0BEgk8MgkABIF2EmByhJK6AiMwCGjlGYIlCCwiQAICED4QEgBAMsIBiAMBDkGyCSQAI=",
]


def create_project(page: Any, name: str) -> None:
    page.fill("#link-id", name)
    page.fill("#link-key1", "correct")
    page.fill("#link-key2", "horse")
    page.click("#link-create")


def wait_all_done(page: Any) -> None:
    page.wait_for_function(
        "() => /\\(100 %\\)/.test(document.querySelector('#link-progress-summary').textContent)", timeout=60_000
    )


def test_create_upload_watch_and_read_clks(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#linkage")
    create_project(page, "console-demo")
    page.wait_for_selector("#link-projects li[data-project='console-demo'].active")
    assert page.inner_text("#link-current") == "console-demo"

    page.set_input_files("#link-file", files=[{"name": "seed.csv", "mimeType": "text/csv", "buffer": SEED_CSV.encode()}])
    page.wait_for_function("() => document.querySelector('#link-upload-info').textContent.startsWith('Accepted 2 rows')")
    wait_all_done(page)
    assert page.inner_text("#link-progress-summary").startswith("2 of 2 records processed")

    page.fill("#link-offset", "0")
    page.fill("#link-limit", "2")
    page.click("#link-show")
    page.wait_for_selector("#link-clks tbody tr td.hash")
    assert page.locator("#link-clks tbody td.hash").all_inner_texts() == SEED_HASHES

    page.click("#link-sample")
    page.wait_for_function("() => document.querySelector('#link-upload-info').textContent.startsWith('Accepted 2,000 rows')")
    assert "CLKs 2–2,001" in page.inner_text("#link-upload-info")
    wait_all_done(page)
    assert page.inner_text("#link-progress-summary").startswith("2,002 of 2,002 records processed")
    statuses = page.locator("#link-range-bar > div").evaluate_all("els => els.map(e => e.dataset.status)")
    assert statuses and set(statuses) == {"done"}
    screenshot(page, "linkage")

    page.click("#link-delete")  # the confirm() dialog is accepted by the fixture
    page.wait_for_selector("#link-project-card", state="hidden")
    assert page.locator("#link-projects li[data-project='console-demo']").count() == 0


def test_conflicts_and_bad_schemas_are_explained(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#linkage")
    create_project(page, "console-twice")
    page.wait_for_selector("#link-projects li[data-project='console-twice']")
    create_project(page, "console-twice")
    page.wait_for_selector("#link-create-error:not(.hidden)")
    assert "409" in page.inner_text("#link-create-error")

    page.fill("#link-schema", "{not json")
    create_project(page, "console-bad")
    page.wait_for_function("() => document.querySelector('#link-create-error').textContent.includes('malformed_json')")

    page.fill("#link-schema", '{"version": 1, "clkConfig": {}, "features": []}')
    create_project(page, "console-bad")
    page.wait_for_function("() => /\\b400\\b/.test(document.querySelector('#link-create-error').textContent)")
    assert page.locator("#link-projects li[data-project='console-bad']").count() == 0
