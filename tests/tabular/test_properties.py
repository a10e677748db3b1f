"""Hypothesis: random tables and hierarchies -> private output, suppression within the limit,
and the chosen node optimal against brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import veil.tabular as vt
from tests.tabular.reference import best_node, brute_force, make_hierarchy

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tables(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, list[list[str]]]]:
    n = draw(st.integers(8, 40))
    n_qi = draw(st.integers(1, 3))
    data: dict[str, list[int] | list[str]] = {}
    hier: dict[str, list[list[str]]] = {}
    for j in range(n_qi):
        card = draw(st.integers(2, 8))
        col = draw(st.lists(st.integers(0, card - 1), min_size=n, max_size=n))
        data[f"q{j}"] = col
        hier[f"q{j}"] = make_hierarchy(list(range(card)), draw(st.integers(1, 3)))
    data["s"] = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=n, max_size=n))
    return pd.DataFrame(data), hier


def _attrs(hier: dict[str, list[list[str]]], sensitive: bool = False) -> list[dict[str, object]]:
    attrs: list[dict[str, object]] = [{"name": c, "type": "quasi_identifier", "hierarchy": r} for c, r in hier.items()]
    attrs.append({"name": "s", "type": "sensitive" if sensitive else "insensitive"})
    return attrs


def _kept(out: pd.DataFrame, qis: list[str]) -> pd.DataFrame:
    return out[~(out[qis] == "*").all(axis=1)]


@SETTINGS
@given(tables(), st.integers(2, 4), st.sampled_from([0.0, 0.1, 0.3]))
def test_k_anonymity_optimal(table: tuple[pd.DataFrame, dict[str, list[list[str]]]], k: int, supp: float) -> None:
    df, hier = table
    feasible = brute_force(df, hier, {"k": k}, supp)
    qis = list(hier)
    if not feasible:
        return
    res = vt.anonymize(df, _attrs(hier), k=k, max_suppression=supp)
    node = tuple(res.levels[c] for c in qis)
    assert node == best_node(feasible)
    assert res.suppressed_count <= int(np.floor(supp * len(df) + 1e-9))
    kept = _kept(res.data, qis)
    if len(kept):
        assert kept.groupby(qis).size().min() >= k


@SETTINGS
@given(tables(), st.integers(2, 3), st.sampled_from(["distinct", "entropy"]), st.sampled_from([0.0, 0.2]))
def test_l_diversity_optimal(
    table: tuple[pd.DataFrame, dict[str, list[list[str]]]], l: int, variant: str, supp: float
) -> None:
    df, hier = table
    feasible = brute_force(df, hier, {"k": 1, "l": l, "variant": variant}, supp)
    qis = list(hier)
    if not feasible:
        return
    res = vt.anonymize(df, _attrs(hier, True), privacy_model="l-diversity", k=1, l=l,
                       diversity_type=variant, max_suppression=supp)
    assert tuple(res.levels[c] for c in qis) == best_node(feasible)
    kept = _kept(res.data, qis)
    for _, grp in kept.groupby(qis):
        counts = grp["s"].value_counts(normalize=True)
        if variant == "distinct":
            assert len(counts) >= l
        else:
            assert -(counts * np.log(counts)).sum() >= np.log(l) - 1e-9


@SETTINGS
@given(tables(), st.sampled_from([0.15, 0.3, 0.5]), st.sampled_from([0.0, 0.1, 0.2, 0.4]))
def test_t_closeness_optimal(table: tuple[pd.DataFrame, dict[str, list[list[str]]]], t: float, supp: float) -> None:
    df, hier = table
    feasible = brute_force(df, hier, {"k": 1, "t": t}, supp)
    qis = list(hier)
    if not feasible:
        return
    res = vt.anonymize(df, _attrs(hier, True), privacy_model="t-closeness", k=1, t=t, max_suppression=supp)
    assert tuple(res.levels[c] for c in qis) == best_node(feasible)
    total = df["s"].value_counts(normalize=True)
    kept = _kept(res.data, qis)
    for _, grp in kept.groupby(qis):
        p = grp["s"].value_counts(normalize=True).reindex(total.index, fill_value=0.0)
        assert 0.5 * (p - total).abs().sum() <= t + 1e-9


@SETTINGS
@given(tables(), st.integers(2, 3))
def test_apply_reproduces_output(table: tuple[pd.DataFrame, dict[str, list[list[str]]]], k: int) -> None:
    df, hier = table
    try:
        res = vt.anonymize(df, _attrs(hier), k=k, max_suppression=0.2)
    except vt_errors():
        return
    again = vt.apply_solution(res.solution.to_dict(), df)
    pd.testing.assert_frame_equal(again.data, res.data)
    assert again.suppressed_count == res.suppressed_count


def vt_errors() -> type[Exception]:
    from veil.errors import InvalidInputError

    return InvalidInputError
