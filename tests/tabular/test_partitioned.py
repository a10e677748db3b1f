"""Partitioned k-anonymity (veil.tabular.partitioned) gives the whole-table result."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veil.errors import InvalidInputError
from veil.tabular import anonymize, anonymize_partitions, supports_partitioning

from .conftest import adult_attributes


def _split(frame: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    size = -(-len(frame) // n)
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)]


@pytest.mark.parametrize("max_suppression", [0.0, 0.04])
def test_adult_k5_identical_to_whole_table(adult: pd.DataFrame, max_suppression: float) -> None:
    attrs = adult_attributes()
    whole = anonymize(adult, attrs, k=5, max_suppression=max_suppression)
    parts = anonymize_partitions(_split(adult, 7), attrs, k=5, max_suppression=max_suppression)
    assert parts.levels == whole.levels
    assert parts.suppressed_count == whole.suppressed_count
    assert parts.metrics == pytest.approx(whole.metrics, rel=1e-12)
    assert parts.statistics == whole.statistics
    sol_p, sol_w = parts.solution.to_dict(), whole.solution.to_dict()
    sol_p.pop("created_at", None)
    sol_w.pop("created_at", None)
    assert sol_p == sol_w
    pd.testing.assert_frame_equal(parts.data.reset_index(drop=True), whole.data.reset_index(drop=True))


def test_supports_partitioning() -> None:
    assert supports_partitioning("k-anonymity")
    assert supports_partitioning(["k-anonymity", "l-diversity"], l=2)
    assert not supports_partitioning(["k-anonymity", "delta-presence"])


SENSITIVE_CASES = [
    ({"privacy_model": ["k-anonymity", "l-diversity"], "l": 2}, 0.04),
    ({"privacy_model": ["k-anonymity", "l-diversity"], "l": 3, "diversity_type": "entropy"}, 0.02),
    ({"privacy_model": ["k-anonymity", "l-diversity"], "l": 2, "diversity_type": "recursive", "c": 3}, 0.04),
    ({"privacy_model": ["k-anonymity", "t-closeness"], "t": 0.2}, 0.04),
    ({"privacy_model": ["k-anonymity", "t-closeness"], "t": 0.3, "distance_metric": "ordered"}, 0.02),
    ({"privacy_model": ["k-anonymity", "t-closeness"], "t": 0.2, "distance_metric": "hierarchical"}, 0.04),
]


@pytest.mark.parametrize(("model", "max_suppression"), SENSITIVE_CASES)
def test_l_diversity_and_t_closeness_identical(
    adult: pd.DataFrame, model: dict[str, object], max_suppression: float
) -> None:
    frame = adult.head(8000)
    attrs = adult_attributes({"occupation": "sensitive"})
    whole = anonymize(frame, attrs, k=5, max_suppression=max_suppression, **model)  # type: ignore[arg-type]
    parts = anonymize_partitions(_split(frame, 3), attrs, k=5, max_suppression=max_suppression, **model)  # type: ignore[arg-type]
    assert parts.levels == whole.levels
    assert parts.suppressed_count == whole.suppressed_count
    assert parts.metrics == pytest.approx(whole.metrics, rel=1e-12)
    assert parts.statistics == whole.statistics
    pd.testing.assert_frame_equal(parts.data.reset_index(drop=True), whole.data.reset_index(drop=True))


def test_errors_name_fields(adult: pd.DataFrame) -> None:
    with pytest.raises(InvalidInputError) as err:
        anonymize_partitions([], adult_attributes(), k=5)
    assert err.value.field == "data"
    with pytest.raises(InvalidInputError) as err:
        anonymize_partitions(_split(adult.head(20), 2), adult_attributes(), k=50)
    assert err.value.field == "k"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cuts=st.lists(st.integers(min_value=1, max_value=2999), max_size=4, unique=True),
    k=st.sampled_from([2, 5, 10]),
    max_suppression=st.sampled_from([0.0, 0.02, 0.1]),
    metric=st.sampled_from(["loss", "discernibility", "entropy"]),
)
def test_any_split_gives_the_whole_table_result(
    adult: pd.DataFrame, cuts: list[int], k: int, max_suppression: float, metric: str
) -> None:
    frame = adult.head(3000)
    bounds = [0, *sorted(cuts), len(frame)]
    parts = [frame.iloc[a:b] for a, b in itertools.pairwise(bounds)]
    attrs = adult_attributes()
    whole = anonymize(frame, attrs, k=k, max_suppression=max_suppression, metric=metric)
    split = anonymize_partitions(parts, attrs, k=k, max_suppression=max_suppression, metric=metric)
    assert (split.levels, split.suppressed_count) == (whole.levels, whole.suppressed_count)
    pd.testing.assert_frame_equal(split.data.reset_index(drop=True), whole.data.reset_index(drop=True))
