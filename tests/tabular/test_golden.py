"""ARX 3.9.2 reference results on Adult (issue 6) reproduced exactly."""

from __future__ import annotations

import pandas as pd
import pytest

import veil.tabular as vt
from tests.tabular.conftest import ADULT_QIS, adult_attributes


@pytest.fixture(scope="module")
def solutions(adult: pd.DataFrame) -> dict[str, vt.AnonymizationResult]:
    attrs = adult_attributes()
    return {
        "loss0": vt.anonymize(adult, attrs, k=5, max_suppression=0.0, metric="loss"),
        "loss4": vt.anonymize(adult, attrs, k=5, max_suppression=0.04, metric="loss"),
        "dm4": vt.anonymize(adult, attrs, k=5, max_suppression=0.04, metric="discernibility"),
    }


def _levels(res: vt.AnonymizationResult) -> list[int]:
    return [res.levels[c] for c in ADULT_QIS]


def test_k5_no_suppression_loss(solutions: dict[str, vt.AnonymizationResult]) -> None:
    res = solutions["loss0"]
    assert _levels(res) == [0, 4, 1, 1, 3, 2, 2, 1, 0]
    assert res.statistics["equivalence_classes"] == 24
    assert res.statistics["min_class_size"] == 69
    assert res.suppressed_count == 0
    assert res.optimal


def test_k5_four_percent_loss(solutions: dict[str, vt.AnonymizationResult]) -> None:
    res = solutions["loss4"]
    assert _levels(res) == [0, 3, 0, 1, 1, 1, 1, 2, 0]
    assert res.suppressed_count == 1178
    assert res.statistics["equivalence_classes"] == 370
    assert res.optimal


def test_k5_four_percent_discernibility(solutions: dict[str, vt.AnonymizationResult]) -> None:
    res = solutions["dm4"]
    assert _levels(res) == [1, 0, 1, 1, 3, 2, 2, 0, 1]
    assert res.suppressed_count == 906
    assert res.statistics["equivalence_classes"] == 1046


def test_input_risk(adult: pd.DataFrame) -> None:
    r = vt.calculate_risk(adult, ADULT_QIS, risk_threshold=0.2)
    assert r.prosecutor is not None
    assert round(r.prosecutor.records_at_risk, 4) == 0.7781
    assert r.prosecutor.highest_risk == 1.0
    assert round(r.prosecutor.average_risk, 4) == 0.6466
    assert round(r.sample_uniqueness, 4) == 0.5143
    assert r.journalist == r.prosecutor
    assert r.marketer == pytest.approx(r.prosecutor.average_risk)


def test_output_risk_after_four_percent_loss(solutions: dict[str, vt.AnonymizationResult]) -> None:
    r = vt.calculate_risk(solutions["loss4"].data, ADULT_QIS, risk_threshold=0.2)
    assert r.prosecutor is not None
    assert r.prosecutor.highest_risk == pytest.approx(0.2)
    assert round(r.prosecutor.average_risk, 5) == 0.01277
    assert r.prosecutor.records_at_risk == 0.0
    assert r.suppressed_records == 1178


def test_output_is_k_anonymous_and_suppressed_rows_masked(solutions: dict[str, vt.AnonymizationResult]) -> None:
    out = solutions["loss4"].data
    assert out.shape[0] == 30162
    suppressed = (out[ADULT_QIS] == "*").all(axis=1)
    assert int(suppressed.sum()) == 1178
    sizes = out[~suppressed].groupby(ADULT_QIS).size()
    assert sizes.min() >= 5


def test_all_metrics_reported(solutions: dict[str, vt.AnonymizationResult]) -> None:
    for res in solutions.values():
        assert set(res.metrics) == set(vt.METRIC_NAMES)
    # Loss with no suppression is the closed-form generalization loss
    assert solutions["loss0"].metrics["loss"] == pytest.approx(0.5731509655759612, rel=1e-12)
    assert solutions["loss4"].metrics["loss"] == pytest.approx(0.2661108192143493, rel=1e-12)
    assert solutions["dm4"].metrics["discernibility"] == 1415782.0
