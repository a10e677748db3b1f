"""Browser: the detection part of the tables view (mode choice, method column, model metrics)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser


def test_detection_mode_ml_shows_model_metrics(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#tables")
    page.click("#tab-sample")
    page.wait_for_selector("#tab-columns tbody tr[data-column='diagnosis']")
    assert page.input_value("#tab-detect-mode") == "auto"
    # auto: the model is shown (it decides where it is confident)
    page.wait_for_selector("#tab-model-metrics:not([hidden]) #tab-model-metrics-table")

    page.select_option("#tab-detect-mode", "heuristic")
    page.wait_for_selector("#tab-model-metrics[hidden]", state="attached")
    page.wait_for_function(
        "() => document.querySelector(\"#tab-columns tr[data-column='age'] td[data-method]\")?.dataset.method === 'pattern'")

    page.select_option("#tab-detect-mode", "ml")
    page.wait_for_selector("#tab-model-metrics:not([hidden]) #tab-model-metrics-table")
    for cls in ("DI", "QI", "SI", "NSI"):
        row = page.locator(f"#tab-model-metrics-table tr[data-class='{cls}'] td")
        assert 0.0 < float(row.nth(1).inner_text()) <= 1.0  # precision
        assert 0.0 < float(row.nth(2).inner_text()) <= 1.0  # recall
    info = page.inner_text("#tab-model-metrics")
    assert "veil-qi-logreg" in info and "qi_model_card.md" in info and "macro-F1" in info
    assert page.locator("#tab-columns td[data-method]").count() == 8
    reasons = page.locator("#tab-columns td.muted")
    assert all("model" in reasons.nth(i).inner_text() for i in range(8))  # the model scored every column
    assert page.input_value("#tab-columns select[data-column='name']") == "identifier"
    assert page.input_value("#tab-columns select[data-column='age']") == "quasi_identifier"
    assert page.input_value("#tab-columns select[data-column='zip']") == "quasi_identifier"
    assert page.locator("#tab-error").is_hidden(), page.inner_text("#tab-error")
    screenshot(page, "tables-detection-ml")
