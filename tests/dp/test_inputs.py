"""Bad input is an InvalidInputError naming the field; predicates are parsed, never evaluated."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veil.dp import compute
from veil.dp.predicate import parse_predicate
from veil.errors import InvalidInputError

FRAME = pd.DataFrame({"age": [20.0, 30.0, 40.0, 50.0, 60.0] * 4, "name": ["a", "b", "c", "d", "e"] * 4})
MEAN = {"mechanism": "mean", "column": "age", "bounds": (0, 100)}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"epsilon": 0}, "epsilon"),
        ({"epsilon": -1.0}, "epsilon"),
        ({"epsilon": float("nan")}, "epsilon"),
        ({"delta": 1.0}, "delta"),
        ({"delta": -0.1}, "delta"),
        ({"bounds": (100, 0)}, "bounds"),
        ({"bounds": (5, 5)}, "bounds"),
        ({"bounds": (0,)}, "bounds"),
        ({"bounds": None}, "bounds"),
        ({"noise_type": "gaussian"}, "delta"),
        ({"noise_type": "cauchy"}, "noise_type"),
        ({"mechanism": "median"}, "mechanism"),
        ({"column": "missing"}, "column"),
        ({"column": None, "columns": ["age", "nope"]}, "columns[1]"),
        ({"predicate": "__import__('os').system('true')"}, "predicate"),
        ({"predicate": "> abs(3)"}, "predicate"),
        ({"predicate": "nope > 3"}, "predicate"),
        ({"epsilon_map": {"age": 0}}, "epsilon_map.age"),
        ({"group_by": "name"}, "delta"),
        ({"group_by": "zzz"}, "group_by"),
        ({"group_by": "name", "group_keys": ["a"], "min_group_size": 0}, "min_group_size"),
    ],
)
def test_bad_input_names_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        compute(FRAME, **{**MEAN, **overrides})
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mechanism": "exponential", "candidates": ["a"], "utility_scores": [1.0], "sensitivity": 1,
          "noise_type": "gaussian", "delta": 1e-5}, "noise_type"),
        ({"mechanism": "exponential", "candidates": [], "utility_scores": []}, "candidates"),
        ({"mechanism": "exponential", "candidates": ["a", "b"], "utility_scores": [1.0]}, "utility_scores"),
        ({"mechanism": "exponential", "candidates": ["a"], "utility_scores": [1.0]}, "sensitivity"),
        ({"mechanism": "exponential", "candidates": ["a"], "utility_scores": [1.0], "sensitivity": -1}, "sensitivity"),
        ({"mechanism": "histogram", "column": "age"}, "categories"),
        ({"mechanism": "histogram", "column": "age", "bins": 4}, "histogram_range"),
        ({"mechanism": "histogram", "column": "age", "histogram_range": (0, 100), "bins": 0}, "bins"),
        ({"mechanism": "histogram", "column": "name"}, "categories"),
        ({"mechanism": "sum"}, "bounds"),
        ({"mechanism": "variance", "bounds": (0, 1)}, "column"),
    ],
)
def test_mechanism_specific_errors(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        compute(FRAME, **kwargs)
    assert info.value.field == field


def test_error_messages_never_quote_values() -> None:
    secret = pd.DataFrame({"v": ["alice@example.org", "x"]})
    with pytest.raises(InvalidInputError) as info:
        compute(secret, mechanism="mean", column="v", bounds=(0, 1), epsilon=-1)
    assert "alice" not in str(info.value)


def test_a_text_cell_in_a_numeric_column_is_dropped_not_an_error() -> None:
    """Refusing would reveal that such a row exists: the cell counts as missing instead."""
    clean = [{"age": 30 + i % 20} for i in range(200)]
    dirty = [*clean, {"age": "alice@example.org"}]
    for data in (clean, dirty):
        for mechanism in ("mean", "sum", "variance"):
            out = compute(data, mechanism=mechanism, column="age", bounds=(0, 100), epsilon=1.0)
            assert out.epsilon_spent == pytest.approx(1.0)
        compute(data, mechanism="count", column="age", predicate="> 35", epsilon=1.0)
        compute(data, mechanism="histogram", column="age", histogram_range=(0, 100), epsilon=1.0)
    assert abs(compute(dirty, mechanism="mean", column="age", bounds=(0, 100), epsilon=5.0).private_value - 39.5) < 3


def test_inline_records_and_predicates() -> None:
    records = [{"age": a, "dept": d} for a, d in [(10, "x"), (70, "y"), (80, "y"), (90, "x")] * 50]
    out = compute(records, mechanism="count", column="age", predicate="> 50", epsilon=5.0)
    assert abs(out.private_value - 150) < 10
    out = compute(records, mechanism="count", column="age", predicate="dept == 'x'", epsilon=5.0)
    assert abs(out.private_value - 100) < 10
    out = compute(records, mechanism="count", column="dept", predicate="in ['y']", epsilon=5.0)
    assert abs(out.private_value - 100) < 10


def test_multi_column_epsilon_map_composes_sequentially() -> None:
    frame = pd.DataFrame({"a": np.linspace(0, 1, 100), "b": np.linspace(0, 1, 100)})
    out = compute(frame, mechanism="mean", columns=["a", "b"], bounds=(0, 1), epsilon=1.0, epsilon_map={"b": 0.25})
    assert set(out.results) == {"a", "b"} and out.private_value is None
    assert out.epsilon_spent == pytest.approx(1.25)
    assert {e.label.split(".")[0] for e in out.events} == {"a", "b"}


def test_group_by_parallel_composition_and_min_group_size() -> None:
    frame = pd.DataFrame({"g": ["a"] * 300 + ["b"] * 300 + ["c"] * 2, "v": [1.0] * 602})
    out = compute(frame, mechanism="mean", column="v", bounds=(0, 2), group_by="g",
                  group_keys=["a", "b", "c"], epsilon=2.0, min_group_size=50, epsilon_map={"b": 4.0})
    assert set(out.results) == {"a", "b"}  # c suppressed (noisy size < 50 except with tiny probability)
    assert out.details["group_keys"] == "public"
    # sizes: eps/2; the statistic: the largest group epsilon / 2 (groups are disjoint).
    assert out.epsilon_spent == pytest.approx(1.0 + 2.0)
    private = compute(frame, mechanism="sum", column="v", bounds=(0, 2), group_by="g", epsilon=1.0, delta=1e-6)
    assert private.details["group_keys"] == "dp_threshold"
    assert private.epsilon_spent <= 1.0 + 1e-9 and 0 < private.delta_spent <= 1e-6


def test_variance_is_within_range() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"v": rng.normal(50, 10, 20000)})
    out = compute(frame, mechanism="variance", column="v", bounds=(0, 100), epsilon=2.0)
    assert abs(out.private_value - 100.0) < 15.0


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(-100, 100), min_size=1, max_size=30),
    op=st.sampled_from([">", ">=", "<", "<=", "==", "!="]),
    threshold=st.integers(-100, 100),
)
def test_predicate_matches_python_comparison(values: list[int], op: str, threshold: int) -> None:
    pred = parse_predicate(f"{op} {threshold}")
    mask = pred.mask(pd.Series(values))
    python = {
        ">": lambda a: a > threshold, ">=": lambda a: a >= threshold, "<": lambda a: a < threshold,
        "<=": lambda a: a <= threshold, "==": lambda a: a == threshold, "!=": lambda a: a != threshold,
    }[op]
    assert mask.tolist() == [python(v) for v in values]


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=40))
def test_predicate_parser_never_crashes(text: str) -> None:
    try:
        parse_predicate(text)
    except InvalidInputError as exc:
        assert exc.field == "predicate"


def test_read_only_columns_are_accepted() -> None:
    frame = pd.DataFrame.from_records([{"v": float(i % 10)} for i in range(100)])
    for mechanism in ("sum", "mean", "variance"):
        out = compute(frame, mechanism=mechanism, column="v", bounds=(0, 10), epsilon=1.0)
        assert out.private_value is not None


def test_grouped_count_applies_an_unnamed_predicate_to_its_column() -> None:
    frame = pd.DataFrame({"g": ["a"] * 200 + ["b"] * 200, "v": list(range(400))})
    out = compute(frame, mechanism="count", column="v", group_by="g", group_keys=["a", "b"], predicate=">= 200",
                  epsilon=5.0)
    assert out.results.get("a", 0) < 10 and abs(out.results["b"] - 200) < 10
    with pytest.raises(InvalidInputError) as info:
        compute(frame, mechanism="count", group_by="g", group_keys=["a"], predicate="> 3")
    assert info.value.field == "predicate"


def test_uncalibratable_noise_is_bad_input() -> None:
    with pytest.raises(InvalidInputError) as info:
        compute(FRAME, mechanism="mean", column="age", bounds=(0, 1e15), epsilon=1e-12)
    assert info.value.field == "epsilon"


_NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2**70), 2**70), st.none())


@settings(max_examples=80, deadline=None)
@given(
    mechanism=st.sampled_from(["mean", "sum", "variance", "count", "histogram", "exponential", "bogus"]),
    column=st.sampled_from(["age", "name", "missing", None]),
    epsilon=_NUMBERS,
    delta=_NUMBERS,
    noise_type=st.sampled_from(["laplace", "gaussian", "x"]),
    bounds=st.one_of(st.none(), st.tuples(_NUMBERS, _NUMBERS)),
    bins=st.one_of(st.none(), st.integers(-5, 2**40)),
    group_by=st.sampled_from([None, "name", "age"]),
    predicate=st.sampled_from([None, "> 30", "== 'a'", "name in ['a']", "bad"]),
    privacy_unit=st.sampled_from([None, "name", "age", "missing"]),
    max_contributions=st.one_of(st.none(), st.integers(-2, 2**40)),
    max_partitions=st.one_of(st.none(), st.integers(-2, 2**40)),
    group_keys=st.one_of(st.none(), st.lists(st.one_of(st.text(max_size=3), st.integers(), st.floats(),
                                                       st.booleans()), max_size=4)),
)
def test_any_parameters_succeed_or_raise_invalid_input(**params: Any) -> None:
    extra = {"candidates": ["a", "b"], "utility_scores": [1.0, 2.0], "sensitivity": 1.0} \
        if params["mechanism"] == "exponential" else {}
    try:
        compute(FRAME, **params, **extra)
    except InvalidInputError as exc:
        assert exc.field
