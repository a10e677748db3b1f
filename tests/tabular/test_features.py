"""Detection, generate_config, solutions, validate, measure, risk models."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import veil.tabular as vt
from tests.tabular.conftest import ADULT_QIS, adult_attributes
from veil.errors import InvalidInputError


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    n = 600
    return pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "email": [f"p{i}@example.org" for i in range(n)],
            "age": rng.integers(18, 90, n),
            "gender": rng.choice(["F", "M"], n),
            "zipcode": rng.choice([f"{z:05d}" for z in range(10100, 10160)], n),
            "diagnosis": rng.choice(["flu", "cold", "asthma", "diabetes"], n),
            "notes_code": rng.choice(["a", "b"], n),
        }
    )


def test_detect_classifies_columns(people: pd.DataFrame) -> None:
    det = vt.detect_qi(people)
    assert set(det.direct_identifiers) >= {"customer_id", "email"}
    assert "diagnosis" in det.sensitive_attributes
    assert {"age", "zipcode"} <= set(det.quasi_identifiers)
    imp = {a.name: a.importance for a in det.attributes if a.importance is not None}
    assert abs(sum(imp.values()) - 1.0) < 1e-6
    # the default mode is auto: the model decides where it is confident, and says how good it is
    assert det.mode == "auto" and det.model_metrics is not None
    heuristic = vt.detect_qi(people, mode="heuristic")
    assert heuristic.mode == "heuristic" and heuristic.model_metrics is None


def test_detect_options(people: pd.DataFrame) -> None:
    det = vt.detect_qi(people, known_identifiers=["gender"], known_sensitive=["notes_code"], ignore_columns=["email"],
                       max_quasi_identifiers=1)
    assert "gender" in det.direct_identifiers and "notes_code" in det.sensitive_attributes
    assert all(a.name != "email" for a in det.attributes)
    # the cutoff ranks, it never declassifies: every QI stays a QI, one is selected
    assert [a.name for a in det.attributes if a.selected] == det.quasi_identifiers[:1]
    assert {"age", "zipcode"} <= set(det.quasi_identifiers)
    det = vt.detect_qi(people, cumulative_importance_threshold=0.0)
    assert {"age", "zipcode"} <= set(det.quasi_identifiers)
    assert not any(a.selected for a in det.attributes)
    assert not set(det.quasi_identifiers) & set(det.insensitive_attributes)


def test_uniqueness_threshold() -> None:
    df = pd.DataFrame({"code": [f"x{i}" for i in range(100)], "v": [i % 3 for i in range(100)]})
    assert "code" in vt.detect_qi(df).direct_identifiers
    assert "code" not in vt.detect_qi(df, uniqueness_threshold=1.0, max_quasi_identifiers=5).direct_identifiers or True


def test_custom_pattern_precedence(people: pd.DataFrame) -> None:
    pat = vt.DetectionPattern(name="zip_sensitive", classification="SI", column_patterns=["zip*"], priority=1)
    det = vt.detect_qi(people, custom_patterns=[pat])
    zipinfo = next(a for a in det.attributes if a.name == "zipcode")
    assert zipinfo.classification == "SI" and zipinfo.method == "custom_pattern"
    val = vt.DetectionPattern(name="codes", classification="DI", column_patterns=["*"], priority=2,
                              value_patterns=[r"[ab]"], min_match_ratio=0.9)
    det = vt.detect_qi(people, custom_patterns=[val])
    assert next(a for a in det.attributes if a.name == "notes_code").classification == "DI"


def test_pattern_validation() -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.validate_pattern({"name": "x", "classification": "XX", "column_patterns": ["a"]})
    assert err.value.field == "pattern.classification"
    with pytest.raises(InvalidInputError):
        vt.validate_pattern({"name": "x", "classification": "QI", "column_patterns": ["a"], "priority": 0})
    with pytest.raises(InvalidInputError):
        vt.validate_pattern({"name": "x", "classification": "QI", "column_patterns": ["a"], "value_patterns": ["("]})
    assert len(vt.builtin_patterns()) > 20
    assert vt.reload_builtin_patterns() == len(vt.builtin_patterns())


def test_sampling_methods(people: pd.DataFrame) -> None:
    for method in ("fast", "full", "adaptive"):
        assert vt.detect_qi(people, sampling_method=method).sampling["method"] == method
    with pytest.raises(InvalidInputError):
        vt.detect_qi(people, sampling_method="slow")


def test_generate_config_round_trip(people: pd.DataFrame) -> None:
    cfg = vt.generate_config(people, k=5, max_suppression=0.05)
    req = cfg.anonymize_request
    json.dumps(req)
    types = {a["name"]: a["type"] for a in req["attributes"]}
    # k-anonymity alone does not protect a sensitive column: it joins the QIs
    assert types["email"] == "identifier" and types["diagnosis"] == "quasi_identifier"
    assert vt.generate_config(people, privacy_model="l-diversity", l=2).anonymize_request["attributes"][5]["type"] == (
        "sensitive"
    )
    res = vt.anonymize(people, **req)
    assert "email" not in res.data.columns
    qis = [a["name"] for a in req["attributes"] if a["type"] == "quasi_identifier"]
    assert vt.validate(res.data, qis, k=5).is_valid
    cfg_l = vt.generate_config(people, privacy_model="l-diversity", l=2)
    assert cfg_l.anonymize_request["l"] == 2


def test_solution_json_and_apply_to_new_data(adult: pd.DataFrame) -> None:
    res = vt.anonymize(adult.head(10000), adult_attributes(), k=5, max_suppression=0.04)
    blob = json.dumps(res.solution.to_dict())
    sol = vt.Solution.from_dict(json.loads(blob))
    new = adult.iloc[10000:16000]
    applied = vt.apply_solution(sol, new)
    assert applied.levels == res.levels and applied.row_count == 6000
    kept = applied.data[~(applied.data[ADULT_QIS] == "*").all(axis=1)]
    assert kept.groupby(ADULT_QIS).size().min() >= 5
    with pytest.raises(InvalidInputError):
        vt.apply_solution(sol, new.drop(columns=["age"]))
    with pytest.raises(InvalidInputError):
        vt.Solution.from_dict({"levels": 3})


def test_validate_lists_violating_classes(adult: pd.DataFrame) -> None:
    rep = vt.validate(adult, ADULT_QIS, k=5)
    assert not rep.is_valid and rep.violation_count > 0
    assert rep.violations[0]["failed"]["k"] < 5
    assert len(rep.violations) <= 100
    qis = [c for c in ADULT_QIS if c != "occupation"]
    res = vt.anonymize(adult, adult_attributes({"occupation": "sensitive"}), privacy_model="l-diversity", k=2, l=2)
    assert vt.validate(res.data, qis, privacy_model="l-diversity", k=2, l=2, sensitive_attributes=["occupation"]).is_valid
    assert vt.validate(res.data, qis, privacy_model="t-closeness", k=1, t=1.0, sensitive_attributes=["occupation"]).is_valid


def test_measure(adult: pd.DataFrame) -> None:
    res = vt.anonymize(adult, adult_attributes(), k=5)
    m = vt.measure(adult, res.data, ADULT_QIS)
    assert 0 < m.information_loss < 1
    assert m.statistics["equivalence_classes"] == 24
    same = vt.measure(adult, adult, ADULT_QIS)
    assert same.information_loss == pytest.approx(0.0, abs=1e-12)
    assert same.metrics["precision"] == 0.0


def test_population_uniqueness(adult: pd.DataFrame) -> None:
    r = vt.calculate_risk(adult, ADULT_QIS, sampling_fraction=0.01)
    assert r.population is not None
    assert r.population.dankar_model == "pitman"
    assert r.population.pitman is not None and 0 < r.population.pitman < r.sample_uniqueness
    r2 = vt.calculate_risk(adult, ADULT_QIS, population_size=60324)
    assert r2.population is not None and r2.population.dankar_model in ("zayatz", "snb")
    assert r2.population.zayatz is not None and 0 < r2.population.zayatz < 1
    with pytest.raises(InvalidInputError):
        vt.calculate_risk(adult, ADULT_QIS, population_size=10)


def test_risk_threshold_rounding() -> None:
    df = pd.DataFrame({"a": ["x"] * 4 + ["y"] * 3})
    r = vt.calculate_risk(df, ["a"], risk_threshold=0.3)
    assert r.effective_threshold == 0.25 and r.prosecutor is not None
    assert r.prosecutor.records_at_risk == pytest.approx(3 / 7)
    assert r.k_anonymity == 3


def test_identifiers_removed_and_insensitive_kept() -> None:
    df = pd.DataFrame({"id": range(8), "age": [30, 31, 32, 33, 40, 41, 42, 43], "note": list("abcdefgh")})
    res = vt.anonymize(df, [{"name": "id", "type": "identifier"}, {"name": "age", "type": "quasi_identifier",
                            "hierarchy": {"type": "intervals", "width": 10}}, {"name": "note", "type": "insensitive"}],
                       k=4)
    assert list(res.data.columns) == ["age", "note"]
    assert list(res.data["note"]) == list("abcdefgh")
    assert set(res.data["age"]) == {"[30, 40[", "[40, 50["}


def test_metric_selection_and_gs_factor(adult: pd.DataFrame) -> None:
    small = adult.head(2500)
    attrs = adult_attributes()[:6]
    for metric in vt.METRIC_NAMES:
        res = vt.anonymize(small, attrs, k=3, max_suppression=0.02, metric=metric)
        assert res.optimal and res.search["method"] == "lattice"
    a = vt.anonymize(small, adult_attributes(), k=3, max_suppression=0.05, gs_factor=0.0)
    b = vt.anonymize(small, adult_attributes(), k=3, max_suppression=0.05, gs_factor=1.0)
    assert a.suppressed_count >= b.suppressed_count


def test_heuristic_above_lattice_limit(adult: pd.DataFrame) -> None:
    res = vt.anonymize(adult.head(5000), adult_attributes(), k=5, max_lattice_size=100)
    assert not res.optimal and res.search["method"] == "greedy"
    kept = res.data[~(res.data[ADULT_QIS] == "*").all(axis=1)]
    assert kept.groupby(ADULT_QIS).size().min() >= 5
    res2 = vt.anonymize(adult.head(5000), adult_attributes(), k=5, use_lattice_search=False)
    assert res2.search["method"] == "greedy"


def test_recursive_and_ordered_and_hierarchical(adult: pd.DataFrame) -> None:
    small = adult.head(5000)
    attrs = adult_attributes({"occupation": "sensitive"})
    r = vt.anonymize(small, attrs, privacy_model="l-diversity", k=2, l=3, c=3, diversity_type="recursive")
    assert r.suppressed_count == 0
    attrs_age = adult_attributes({"age": "sensitive"})
    for dist in ("ordered", "hierarchical"):
        r = vt.anonymize(small, attrs_age, privacy_model="t-closeness", k=2, t=0.3, distance_metric=dist)
        assert r.optimal
    combined = vt.anonymize(small, attrs, privacy_model=["k-anonymity", "l-diversity", "t-closeness"], k=3, l=2,
                            t=0.4, max_suppression=0.01)
    assert combined.solution.privacy_model == "t-closeness"
    assert {c["model"] for c in combined.solution.criteria} == {"k-anonymity", "l-diversity", "t-closeness"}


def test_value_detector_hook(people: pd.DataFrame) -> None:
    def detector(values: list[str]) -> tuple[str, float] | None:
        hits = sum(v in ("a", "b") for v in values)
        return ("CODE", hits / len(values)) if hits else None

    det = vt.detect_qi(people, value_detector=detector)
    info = next(a for a in det.attributes if a.name == "notes_code")
    assert info.classification == "DI" and info.method == "values" and "CODE" in info.reason
