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


def wait_all_done(page: Any, total: str) -> None:
    """Until the progress line reads '<total> of <total> records processed (100 %)'."""
    page.wait_for_function(
        "total => document.querySelector('#link-progress-summary').textContent"
        ".startsWith(`${total} of ${total} records processed (100 %)`)",
        arg=total,
        timeout=60_000,
    )


def test_create_upload_watch_and_read_clks(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#linkage")
    create_project(page, "console-demo")
    page.wait_for_selector("#link-projects li[data-project='console-demo'].active")
    assert page.inner_text("#link-current") == "console-demo"
    assert page.input_value("#link-key1") == "" and page.input_value("#link-key2") == ""

    page.set_input_files("#link-file", files=[{"name": "seed.csv", "mimeType": "text/csv", "buffer": SEED_CSV.encode()}])
    page.wait_for_function("() => document.querySelector('#link-upload-info').textContent.startsWith('Accepted 2 rows')")
    wait_all_done(page, "2")

    page.fill("#link-offset", "0")
    page.fill("#link-limit", "2")
    page.click("#link-show")
    page.wait_for_selector("#link-clks tbody tr td.hash")
    assert page.locator("#link-clks tbody td.hash").all_inner_texts() == SEED_HASHES

    page.click("#link-sample")
    page.wait_for_function("() => document.querySelector('#link-upload-info').textContent.startsWith('Accepted 2,000 rows')")
    assert "CLKs 2–2,001" in page.inner_text("#link-upload-info")
    wait_all_done(page, "2,002")
    statuses = page.locator("#link-range-bar > div").evaluate_all("els => els.map(e => e.dataset.status)")
    assert statuses and set(statuses) == {"done"}
    screenshot(page, "linkage")

    page.click("#link-delete")  # the confirm() dialog is accepted by the fixture
    page.wait_for_selector("#link-project-card", state="hidden")
    page.wait_for_selector("#link-projects li[data-project='console-demo']", state="detached")


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


def test_progress_is_drawn_range_by_range_and_polled_until_done(page: Any, live_server: LiveServer) -> None:
    """The status ranges as a server in the middle of hashing reports them (the real one is fast)."""
    import json

    answers = [
        [
            {"index": 0, "count": 1000, "status": "done"},
            {"index": 1000, "count": 500, "status": "in_progress"},
            {"index": 1500, "count": 400, "status": "queued"},
            {"index": 1900, "count": 100, "status": "error"},
        ],
        [{"index": 0, "count": 1900, "status": "done"}, {"index": 1900, "count": 100, "status": "error"}],
    ]
    calls: list[int] = []

    def status(route: Any) -> None:
        calls.append(1)
        body = answers[0] if len(calls) == 1 else answers[1]
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"clks_status": body}))

    page.goto(live_server.url + "/#linkage")
    create_project(page, "console-ranges")
    page.wait_for_selector("#link-projects li[data-project='console-ranges']")
    page.route("**/projects/console-ranges/clks", status)
    page.click("#link-projects li[data-project='console-ranges']")
    page.wait_for_function("() => document.querySelectorAll('#link-range-bar > div').length === 4")
    segments = page.locator("#link-range-bar > div").evaluate_all(
        "els => els.map(e => [e.dataset.status, e.style.flexGrow])"
    )
    assert segments == [["done", "1000"], ["in_progress", "500"], ["queued", "400"], ["error", "100"]]
    assert page.inner_text("#link-progress-summary") == (
        "1,100 of 2,000 records processed (55 %) · 100 with errors"
    )
    screenshot(page, "linkage-ranges")
    # still active: the page keeps polling until no range is queued or in progress
    page.wait_for_function("() => document.querySelectorAll('#link-range-bar > div').length === 2")
    assert page.inner_text("#link-progress-summary").startswith("2,000 of 2,000 records processed (100 %)")
    polls = len(calls)
    page.wait_for_timeout(1500)
    assert len(calls) == polls  # and then stops
