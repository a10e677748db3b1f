"""ARX's non-uniform entropy (monotonic and non-monotonic variants under suppression) and
its RANK aggregate: hand-computed values and ARX 3.x's own JUnit figures on Adult."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import veil.tabular as vt
from tests.tabular.conftest import ADULT_DIR, ADULT_QIS, adult_attributes
from veil.errors import InvalidInputError

# 6 records, two QIs: a (flat: x | y -> *) and b (flat: p | q -> *)
SMALL = pd.DataFrame({"a": ["x", "x", "x", "y", "y", "y"], "b": ["p", "p", "q", "p", "p", "q"]})
A_ROWS = [["x", "*"], ["y", "*"]]
B_ROWS = [["p", "*"], ["q", "*"]]
ATTRS = [{"name": "a", "type": "quasi_identifier", "hierarchy": A_ROWS},
         {"name": "b", "type": "quasi_identifier", "hierarchy": B_ROWS}]


def _apply(levels: dict[str, int], k: int, supp: float) -> vt.ApplyResult:
    base = vt.anonymize(SMALL, ATTRS, k=1)
    sol = base.solution.to_dict()
    sol["levels"] = levels
    sol["criteria"] = [{"model": "k-anonymity", "k": k}]
    sol["max_suppression"] = supp
    return vt.apply_solution(sol, SMALL)


def test_entropy_by_hand_with_suppression() -> None:
    # levels (0, 0), k = 2: classes (x,p)x2, (x,q)x1, (y,p)x2, (y,q)x1 -> the two singletons are suppressed
    res = _apply({"a": 0, "b": 0}, k=2, supp=0.5)
    assert res.suppressed_count == 2
    # monotonic: nothing is generalized, suppression costs nothing extra
    assert res.metrics["entropy"] == pytest.approx(0.0, abs=1e-12)
    # non-monotonic: per attribute, the suppressed records' values among themselves:
    # a: x, y (1 each of 2) -> 2 * log2(2) = 2; b: q, q -> 0
    assert res.metrics["entropy_nm"] == pytest.approx(2.0, rel=1e-12)


def test_entropy_by_hand_generalized() -> None:
    # a at the root: every record -log2(3/6) = 1 bit -> 6; b raw -> 0
    res = _apply({"a": 1, "b": 0}, k=2, supp=0.0)
    assert res.suppressed_count == 0
    assert res.metrics["entropy"] == pytest.approx(6.0, rel=1e-12)
    assert res.metrics["entropy_nm"] == pytest.approx(6.0, rel=1e-12)
    # b at the root: p 4/6, q 2/6 -> 4 log2(6/4) + 2 log2(6/2)
    both = _apply({"a": 1, "b": 1}, k=2, supp=0.0)
    b_bits = 4 * math.log2(6 / 4) + 2 * math.log2(3)
    assert both.metrics["entropy"] == pytest.approx(6.0 + b_bits, rel=1e-12)


def test_gs_factor_weights_the_two_terms() -> None:
    # gs_factor 0.25: gF = 1, sF = 0.5 -> the suppression term is halved
    base = vt.anonymize(SMALL, ATTRS, k=1)
    sol = base.solution.to_dict()
    sol.update(levels={"a": 0, "b": 0}, criteria=[{"model": "k-anonymity", "k": 2}], max_suppression=0.5,
               gs_factor=0.25)
    res = vt.apply_solution(sol, SMALL)
    assert res.metrics["entropy_nm"] == pytest.approx(1.0, rel=1e-12)


def test_search_on_entropy_nm_prefers_less_hidden_information() -> None:
    mono = vt.anonymize(SMALL, ATTRS, k=2, max_suppression=0.5, metric="entropy")
    nm = vt.anonymize(SMALL, ATTRS, k=2, max_suppression=0.5, metric="entropy_nm")
    # monotonic entropy sees suppression as free: (0, 0) with 2 records suppressed wins
    assert mono.levels == {"a": 0, "b": 0} and mono.metrics["entropy"] == 0.0
    # non-monotonic: (0, 0) costs 2 bits, (1, 0) costs 6 bits, (0, 1) costs b's 5.51 bits -> (0, 0) still
    assert nm.levels == {"a": 0, "b": 0} and nm.metrics["entropy_nm"] == pytest.approx(2.0)
    assert nm.search["objective"] == {"metric": "entropy_nm", "aggregate": "sum", "value": pytest.approx(2.0),
                                      "per_attribute": {"a": pytest.approx(2.0), "b": 0.0}}


def test_rank_aggregate_by_hand() -> None:
    # loss of (1, 0): a = 1, b = 0 -> rank [1, 0]; (0, 1): a = 0, b = 1 -> rank [1, 0]: tie, lower levels
    # sum ties too, then the smaller level vector (0, 1)
    df = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]})
    res = vt.anonymize(df, ATTRS, k=2, metric="loss", aggregate="rank")
    assert res.search["objective"]["aggregate"] == "rank"
    assert res.search["objective"]["value"] == [1.0, 0.0]
    assert res.levels == {"a": 0, "b": 1}
    assert res.solution.aggregate == "rank"


def test_rank_differs_from_the_mean() -> None:
    """Three QIs where the arithmetic mean and the RANK aggregate pick different nodes:
    height under rank minimises the largest level first."""
    df = pd.DataFrame({"a": list("xxyyxxyy"), "b": list("ppppqqqq"), "c": list("mnmnmnmn")})
    rows_a = [["x", "X", "*"], ["y", "X", "*"]]  # a: two levels
    attrs = [{"name": "a", "type": "quasi_identifier", "hierarchy": rows_a},
             {"name": "b", "type": "quasi_identifier", "hierarchy": B_ROWS},
             {"name": "c", "type": "quasi_identifier", "hierarchy": [["m", "*"], ["n", "*"]]}]
    by_sum = vt.anonymize(df, attrs, k=4, metric="height")
    by_rank = vt.anonymize(df, attrs, k=4, metric="height", aggregate="rank")
    # k = 4 needs two of the three attributes suppressed (a needs level 1 to merge x and y)
    vec = sorted(by_rank.levels.values(), reverse=True)
    assert by_rank.search["objective"]["value"] == [float(v) for v in vec]
    assert max(by_rank.levels.values()) <= max(by_sum.levels.values())
    # the rank optimum is the lexicographic minimum over every feasible node (brute force)
    best = None
    for la in range(3):
        for lb in range(2):
            for lc in range(2):
                try:
                    r = _try(df, attrs, {"a": la, "b": lb, "c": lc})
                except InvalidInputError:
                    continue
                if r is None:
                    continue
                key = (sorted([la, lb, lc], reverse=True), la + lb + lc, (la, lb, lc))
                best = key if best is None or key < best else best
    assert best is not None and tuple(by_rank.levels.values()) == best[2]


def _try(df: pd.DataFrame, attrs: list[dict[str, object]], levels: dict[str, int]) -> vt.ApplyResult | None:
    base = vt.anonymize(df, attrs, k=1)
    sol = base.solution.to_dict()
    sol.update(levels=levels, criteria=[{"model": "k-anonymity", "k": 4}])
    res = vt.apply_solution(sol, df)
    return res if res.within_suppression_limit else None


def test_aggregate_errors() -> None:
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(SMALL, ATTRS, k=2, aggregate="median")
    assert err.value.field == "aggregate"
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(SMALL, ATTRS, k=2, metric="discernibility", aggregate="rank")
    assert err.value.field == "aggregate"
    with pytest.raises(InvalidInputError) as err:
        vt.anonymize(SMALL, ATTRS, k=2, metric="entropy-xyz")
    assert err.value.field == "metric"


def test_scalar_aggregates_match_their_definition() -> None:
    res = vt.anonymize(SMALL, ATTRS, k=2, metric="loss", aggregate="max")
    per = res.search["objective"]["per_attribute"]
    assert res.search["objective"]["value"] == pytest.approx(max(per.values()))
    res = vt.anonymize(SMALL, ATTRS, k=2, metric="entropy", aggregate="arithmetic_mean")
    per = res.search["objective"]["per_attribute"]
    assert res.search["objective"]["value"] == pytest.approx(sum(per.values()) / 2)


def test_measure_reports_both_entropies() -> None:
    anonymized = SMALL.copy()
    anonymized.loc[[2, 5], ["a", "b"]] = "*"
    q = vt.measure(SMALL, anonymized, ["a", "b"])
    # suppressed rows count as generalized to the root: a: 2 * log2(6/3), b: 2 * log2(6/2)
    mono = 2 * math.log2(2) + 2 * math.log2(3)
    assert q.metrics["entropy"] == pytest.approx(mono)
    # + the suppressed records' original values among themselves: a: x, y -> 2 bits; b: q, q -> 0
    assert q.metrics["entropy_nm"] == pytest.approx(mono + 2.0)
    assert q.metrics["loss_rank_0"] >= q.metrics["loss_rank_1"]


# ARX's JUnit figures (TestAnonymizationKAnonymity: createEntropyMetric(true); TestAnonymizationLDiversity:
# createNMEntropyMetric with entropy-l-diversity on occupation), same Adult data and hierarchies
ARX_MONOTONIC = [
    (5, 0.04, 255559.85455731067, [1, 0, 1, 1, 3, 2, 2, 0, 1]),
    (100, 0.04, 379417.3460570988, [1, 1, 1, 1, 3, 2, 2, 1, 1]),
    (5, 0.0, 407289.5388925293, [1, 2, 1, 1, 3, 2, 2, 1, 1]),
    (100, 0.0, 453196.8932458743, [0, 4, 1, 1, 3, 2, 2, 1, 1]),
]


@pytest.mark.parametrize(("k", "supp", "value", "levels"), ARX_MONOTONIC)
def test_arx_monotonic_entropy_on_adult(adult: pd.DataFrame, k: int, supp: float, value: float,
                                        levels: list[int]) -> None:
    res = vt.anonymize(adult, adult_attributes(), k=k, max_suppression=supp, metric="entropy")
    assert [res.levels[q] for q in ADULT_QIS] == levels
    assert res.metrics["entropy"] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(("supp", "value", "levels"), [
    (0.04, 228878.2039109519, [1, 0, 1, 1, 2, 2, 2, 1]),
    (0.0, 324620.5269918695, [1, 1, 1, 1, 3, 2, 2, 1]),
])
def test_arx_non_monotonic_entropy_on_adult(adult: pd.DataFrame, supp: float, value: float,
                                            levels: list[int]) -> None:
    if not (ADULT_DIR / "adult.csv").exists():
        pytest.skip("Adult data set not found")
    qis = [c for c in ADULT_QIS if c != "occupation"]
    res = vt.anonymize(adult, adult_attributes({"occupation": "sensitive"}), privacy_model="l-diversity", k=None,
                       l=5, diversity_type="entropy", max_suppression=supp, metric="entropy_nm")
    assert [res.levels[q] for q in qis] == levels
    assert res.metrics["entropy_nm"] == pytest.approx(value, rel=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 3), st.sampled_from([0.0, 0.1, 0.3]),
       st.sampled_from(["loss", "precision", "entropy_nm"]))
def test_rank_search_is_the_brute_force_optimum(seed: int, k: int, supp: float, metric: str) -> None:
    import itertools

    import numpy as np

    from veil.tabular.anonymize import _prepare
    from veil.tabular.evaluation import Evaluator
    from veil.tabular.metrics import Factors, rank_vector

    rng = np.random.default_rng(seed)
    n = 40
    df = pd.DataFrame({"a": rng.integers(0, 8, n).astype(str), "b": rng.choice(list("pqrs"), n),
                       "c": rng.choice(list("xy"), n)})
    attrs = [{"name": "a", "type": "quasi_identifier", "hierarchy": {"type": "ordering",
                                                                     "order": [str(i) for i in range(8)],
                                                                     "fanout": 2}},
             {"name": "b", "type": "quasi_identifier", "hierarchy": {"type": "ordering", "order": list("pqrs"),
                                                                     "fanout": 2}},
             {"name": "c", "type": "quasi_identifier"}]
    try:
        res = vt.anonymize(df, attrs, k=k, max_suppression=supp, metric=metric, aggregate="rank")
    except InvalidInputError:
        return
    prep = _prepare(df, attrs, privacy_model="k-anonymity", k=k, l=None, t=None, c=None, diversity_type="distinct",
                    distance_metric="equal", max_suppression=supp, suppress_value="*", metric=metric,
                    gs_factor=0.5, use_lattice_search=True, max_lattice_size=250_000, time_limit=None,
                    custom_patterns=None, value_detector=None)
    ev = Evaluator(prep.qis, prep.sens, prep.criteria, max_suppression=supp, factors=Factors(0.5))
    best = None
    for levels in itertools.product(*(range(q.height + 1) for q in prep.qis)):
        cl = ev.classes(levels)
        if round(float(cl.sizes[~cl.ok].sum())) > ev.max_outliers:
            continue
        vec = tuple(round(v, 10) for v in rank_vector(ev.attribute_values(levels, (~cl.ok)[cl.inv], metric)))
        key = (vec, sum(levels), levels)
        best = key if best is None or key < best else best
    assert best is not None
    assert tuple(res.levels[q.name] for q in prep.qis) == best[2]
