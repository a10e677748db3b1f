"""Browser: the text playground against the real /deidentify_text."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser

SEED_TEXT = "Hi John, my name is Grace. John, could you pass me the salt please?"


def run_text(page: Any, text: str) -> None:
    page.fill("#text-input", text)
    page.click("#text-run")
    page.wait_for_function(
        "() => !document.querySelector('#text-run').disabled"
        " && (!document.querySelector('#text-results').hidden"
        " || !document.querySelector('#text-error').classList.contains('hidden'))",
        timeout=60_000,
    )


def open_text(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/#text")
    page.wait_for_selector("#view-text:not([hidden])")


def test_names_are_highlighted_and_redacted(page: Any, live_server: LiveServer) -> None:
    open_text(page, live_server)
    run_text(page, SEED_TEXT)
    marks = page.locator("#text-highlighted mark[data-label='NAME']")
    assert marks.count() == 3
    assert [m.split("NAME")[0] for m in marks.all_inner_texts()] == ["John", "Grace", "John"]
    redacted = page.inner_text("#text-redacted")
    assert redacted == "Hi [NAME_1], my name is [NAME_2]. [NAME_1], could you pass me the salt please?"
    assert page.locator("#text-redacted mark.marker").all_inner_texts() == ["[NAME_1]", "[NAME_2]", "[NAME_1]"]
    rows = page.locator("#text-pii tbody tr")
    assert rows.count() == 3
    assert rows.nth(1).locator("td").nth(2).inner_text() == "NAME_2"
    assert rows.nth(1).locator("td").nth(3).inner_text() == "Grace"
    assert page.inner_text("#text-checks") == "output checks passed"
    assert page.inner_text("#text-legend") == "NAME"
    screenshot(page, "text-seed")


def test_fake_entities_and_marker_options(page: Any, live_server: LiveServer) -> None:
    open_text(page, live_server)
    page.check("#text-fake")
    page.uncheck("#text-unique")
    page.fill("#text-marker", "<<CLASS_NAME>>")
    run_text(page, "My name is John and my friend is Grace")
    assert page.inner_text("#text-redacted") == "My name is <<NAME>> and my friend is <<NAME>>"
    fake = page.inner_text("#text-fake-out")
    assert fake.startswith("My name is ") and "John" not in fake and "Grace" not in fake
    assert page.locator("#text-fake-out mark.fake").count() == 2
    fakes = page.locator("#text-pii tbody tr td:nth-child(8)").all_inner_texts()
    assert len(fakes) == 2 and all(fakes)
    screenshot(page, "text-fake")


def test_allow_list_block_list_and_enabled_classes(page: Any, live_server: LiveServer) -> None:
    open_text(page, live_server)
    page.fill("#text-allow", "xavier")
    page.fill("#text-block", "CUSTOMER_NAME: Rudolph")
    run_text(page, "Hello Xavier, Rudolph here. Did you see Jane?")
    assert page.inner_text("#text-redacted") == "Hello Xavier, [CUSTOMER_NAME_1] here. Did you see [NAME_1]?"
    assert page.locator("#text-highlighted mark[data-label='CUSTOMER_NAME']").count() == 1
    assert page.locator("#text-highlighted mark[data-label='NAME']").count() == 1

    page.fill("#text-allow", "")
    page.fill("#text-block", "")
    page.click("#text-classes-box summary")
    page.click("#text-classes-none")
    page.check("#text-classes input[value='LOCATION']")
    assert page.inner_text("#text-classes-summary") == "LOCATION"
    run_text(page, "My name is John and my friend is Grace and we live in Barcelona")
    assert page.inner_text("#text-redacted") == "My name is John and my friend is Grace and we live in [LOCATION_1]"


def test_batch_with_link_batch(page: Any, live_server: LiveServer) -> None:
    open_text(page, live_server)
    page.select_option("#text-example", label="Chat log (batch + link_batch)")
    assert page.is_checked("#text-lines") and page.is_checked("#text-link-batch")
    page.click("#text-run")
    page.wait_for_selector("#text-results:not([hidden])", timeout=60_000)
    assert page.locator("#text-highlighted .line").count() == 4
    lines = page.locator("#text-redacted .line").all_inner_texts()
    assert len(lines) == 4
    assert lines[0] == "Hi, my name is [NAME_1], could you tell me your phone number please?"
    assert "Penelope" not in page.inner_text("#text-redacted")
    inputs = page.locator("#text-pii tbody tr td:nth-child(2)").all_inner_texts()
    assert inputs[0] == "1"


def test_api_errors_are_shown_with_code_and_field(page: Any, live_server: LiveServer) -> None:
    open_text(page, live_server)
    page.fill("#text-marker", "[LABEL]")
    run_text(page, SEED_TEXT)
    error = page.inner_text("#text-error")
    assert "400" in error and "CLASS_NAME" in error and "marker_format" in error
    assert page.locator("#text-results").is_hidden()

    page.fill("#text-marker", "[CLASS_NAME]")
    page.fill("#text-block", "no colon here")
    page.click("#text-run")
    assert "block_list" in page.inner_text("#text-error")
    screenshot(page, "text-error")


def test_multilingual_mode_is_sent_and_answered(page: Any, live_server: LiveServer) -> None:
    open_text(page, live_server)
    page.select_option("#text-example", label="German (multilingual)")
    assert page.input_value("#text-accuracy") == "high_multilingual"
    page.fill("#text-input", "Hallo Günther, ich bin Pieter")
    with page.expect_response("**/deidentify_text") as info:
        page.click("#text-run")
    response = info.value
    assert response.request.post_data_json["accuracy_mode"] == "high_multilingual"
    page.wait_for_function("() => !document.querySelector('#text-run').disabled")
    if response.status == 200:  # the seed's multilingual example
        assert page.inner_text("#text-redacted") == "Hallo [NAME_1], ich bin [NAME_2]"
        assert page.locator("#text-highlighted mark[data-label='NAME']").count() == 2
    else:  # a server without the multilingual models says so, and the page shows it
        assert response.status == 400
        assert "accuracy_mode" in page.inner_text("#text-error")
