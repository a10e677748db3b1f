"""Batch queries: :func:`compute` validates a request, applies filters and groups, and
releases one statistic per column (and group) through :mod:`veil.dp.statistics`.

Privacy accounting of one call (basic composition, add/remove-one-row neighbours):

* each column ``c`` is a separate query with ``epsilon_map.get(c, epsilon)``; columns
  compose sequentially, so the call spends their sum;
* groups are disjoint, so within a column they compose in parallel: the call spends the
  largest per-group epsilon (``epsilon_map`` may name a group);
* ``group_by`` first releases noisy group sizes. With public ``group_keys`` those are
  plain noisy counts; otherwise keys are released only if their noisy count clears a DP
  threshold (so a key held by one person appears with probability at most ``delta``),
  which needs ``delta > 0``. Groups whose noisy size is below ``min_group_size`` are
  suppressed. For ``count`` the group sizes are the answer (the whole epsilon); for the
  other mechanisms the sizes take half of ``epsilon`` (and of ``delta``) and the
  statistic the other half.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from veil.dp import noise
from veil.dp import statistics as st
from veil.dp.predicate import Predicate, parse_predicate
from veil.dp.types import DPComputeResult, MechanismType, NoiseType, PrivacyEvent
from veil.dp.validation import (
    check_bounds,
    check_delta,
    check_epsilon,
    check_epsilon_map,
    check_positive_int,
    is_numeric,
    numeric_values,
    parse_enum,
    require_column,
)
from veil.errors import InvalidInputError
from veil.io import load_table

DEFAULT_MIN_GROUP_SIZE = 5
DEFAULT_BINS = 10
MAX_BINS = 10_000
MAX_CANDIDATES = 100_000
MAX_GROUP_KEYS = 100_000
MAX_MIN_GROUP_SIZE = 10**9
_BOUNDED = (MechanismType.MEAN, MechanismType.SUM, MechanismType.VARIANCE)


def _combine_parallel(per_group: list[list[PrivacyEvent]]) -> list[PrivacyEvent]:
    """Events of disjoint groups: position by position, the worst group bounds the loss."""
    if not per_group:
        return []
    merged: list[PrivacyEvent] = []
    for items in zip(*per_group, strict=True):
        rhos = [e.rho for e in items if e.rho is not None]
        merged.append(
            PrivacyEvent(
                items[0].kind,
                max(e.epsilon for e in items),
                max(e.delta for e in items),
                max(rhos) if rhos else None,
                items[0].label,
            )
        )
    return merged


class _Query:
    """A validated request."""

    def __init__(self, df: pd.DataFrame, **kw: Any) -> None:
        self.df = df
        self.mechanism = parse_enum(MechanismType, kw["mechanism"], "mechanism")
        self.noise = parse_enum(NoiseType, kw["noise_type"], "noise_type")
        self.epsilon = check_epsilon(kw["epsilon"])
        self.delta = check_delta(kw["delta"])
        if self.noise == NoiseType.GAUSSIAN and self.delta <= 0:
            raise InvalidInputError("gaussian noise needs delta > 0", field="delta")
        if self.mechanism == MechanismType.EXPONENTIAL and self.noise == NoiseType.GAUSSIAN:
            raise InvalidInputError(
                "the exponential mechanism adds no laplace/gaussian noise; use noise_type 'laplace'",
                field="noise_type",
            )
        self.epsilon_map = check_epsilon_map(kw["epsilon_map"])
        self.bounds: tuple[float, float] | None = None
        if kw["bounds"] is not None:
            self.bounds = check_bounds(kw["bounds"])
        elif self.mechanism in _BOUNDED:
            raise InvalidInputError(f"bounds (lower, upper) are required for {self.mechanism.value}", field="bounds")
        self.columns = self._columns(kw["column"], kw["columns"])
        self.predicate: Predicate | None = parse_predicate(kw["predicate"]) if kw["predicate"] is not None else None
        if self.predicate is not None and self.predicate.column is not None:
            require_column(df, self.predicate.column, "predicate")
        self.group_by: str | None = None
        if kw["group_by"] is not None:
            self.group_by = require_column(df, kw["group_by"], "group_by")
            if self.mechanism == MechanismType.EXPONENTIAL:
                raise InvalidInputError("group_by is not supported for the exponential mechanism", field="group_by")
        self.min_group_size = (
            DEFAULT_MIN_GROUP_SIZE
            if kw["min_group_size"] is None
            else check_positive_int(kw["min_group_size"], "min_group_size", minimum=1, maximum=MAX_MIN_GROUP_SIZE)
        )
        self.group_keys: list[str] | None = None
        if kw["group_keys"] is not None:
            keys = kw["group_keys"]
            if isinstance(keys, (str, bytes)) or not isinstance(keys, Sequence) or not keys:
                raise InvalidInputError("group_keys must be a non-empty list", field="group_keys")
            if len(keys) > MAX_GROUP_KEYS:
                raise InvalidInputError(f"at most {MAX_GROUP_KEYS} group keys", field="group_keys")
            self.group_keys = list(dict.fromkeys(str(k) for k in keys))
        if self.group_by is not None and self.group_keys is None and self.delta <= 0:
            raise InvalidInputError(
                "group_by without public group_keys releases group keys through a DP threshold, "
                "which needs delta > 0 (or pass the public group_keys)",
                field="delta",
            )
        self.bins = kw["bins"]
        self.histogram_range = kw["histogram_range"]
        self.categories = kw["categories"]
        self.candidates = kw["candidates"]
        self.utility_scores = kw["utility_scores"]
        self.sensitivity = kw["sensitivity"]
        self._check_mechanism_specific()

    def _columns(self, column: Any, columns: Any) -> list[str]:
        if column is not None and columns is not None:
            raise InvalidInputError("give either column or columns, not both", field="columns")
        if columns is not None:
            if isinstance(columns, (str, bytes)) or not isinstance(columns, Sequence) or not columns:
                raise InvalidInputError("columns must be a non-empty list of column names", field="columns")
            names = [require_column(self.df, c, f"columns[{i}]") for i, c in enumerate(columns)]
            if len(set(names)) != len(names):
                raise InvalidInputError("columns must not repeat", field="columns")
            return names
        if column is not None:
            return [require_column(self.df, column, "column")]
        if self.mechanism == MechanismType.COUNT:
            return []
        if self.mechanism == MechanismType.EXPONENTIAL:
            return []
        raise InvalidInputError(f"column is required for {self.mechanism.value}", field="column")

    def _check_mechanism_specific(self) -> None:
        m = self.mechanism
        if m in _BOUNDED:
            for i, name in enumerate(self.columns):
                series = self.df[name]
                field = "column" if len(self.columns) == 1 else f"columns[{i}]"
                if not is_numeric(series):
                    numeric_values(series, field)  # raises unless every value parses as a number
        if m == MechanismType.HISTOGRAM:
            if self.categories is not None:
                cats = self.categories
                if isinstance(cats, (str, bytes)) or not isinstance(cats, Sequence) or not cats:
                    raise InvalidInputError("categories must be a non-empty list", field="categories")
                if len(cats) > MAX_BINS:
                    raise InvalidInputError(f"at most {MAX_BINS} categories", field="categories")
                self.categories = list(dict.fromkeys(str(c) for c in cats))
            numeric_cols = [c for c in self.columns if is_numeric(self.df[c])]
            if numeric_cols and self.categories is None:
                self.bins = DEFAULT_BINS if self.bins is None else check_positive_int(
                    self.bins, "bins", maximum=MAX_BINS
                )
                if self.histogram_range is not None:
                    self.histogram_range = check_bounds(self.histogram_range, "histogram_range")
                elif self.bounds is not None:
                    self.histogram_range = self.bounds
                else:
                    raise InvalidInputError(
                        "histogram_range (min, max) is required for a numeric histogram "
                        "(taking it from the data would leak)",
                        field="histogram_range",
                    )
            text_cols = len(numeric_cols) < len(self.columns)
            if self.categories is None and text_cols and (self.delta <= 0 or self.noise == NoiseType.GAUSSIAN):
                raise InvalidInputError(
                        "a histogram of a text column needs its public categories, or laplace noise "
                        "with delta > 0 to release the categories through a DP threshold",
                        field="categories",
                    )
        if m == MechanismType.EXPONENTIAL:
            self._check_exponential()

    def _check_exponential(self) -> None:
        cands = self.candidates
        if isinstance(cands, (str, bytes)) or not isinstance(cands, Sequence) or not cands:
            raise InvalidInputError("candidates must be a non-empty list", field="candidates")
        if len(cands) > MAX_CANDIDATES:
            raise InvalidInputError(f"at most {MAX_CANDIDATES} candidates", field="candidates")
        self.candidates = list(cands)
        if self.utility_scores is None:
            if len(self.columns) != 1:
                raise InvalidInputError(
                    "give utility_scores, or one column whose value frequencies score the candidates",
                    field="utility_scores",
                )
            return
        scores = self.utility_scores
        if isinstance(scores, (str, bytes)) or not isinstance(scores, Sequence) or len(scores) != len(cands):
            raise InvalidInputError("utility_scores must have one number per candidate", field="utility_scores")
        try:
            arr = np.asarray([float(s) for s in scores], dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidInputError("utility_scores must be numbers", field="utility_scores") from None
        if not np.all(np.isfinite(arr)):
            raise InvalidInputError("utility_scores must be finite", field="utility_scores")
        self.utility_scores = arr
        if self.sensitivity is None:
            raise InvalidInputError("sensitivity of the utility function is required", field="sensitivity")
        try:
            sens = float(self.sensitivity)
        except (TypeError, ValueError):
            raise InvalidInputError("sensitivity must be a number", field="sensitivity") from None
        if not np.isfinite(sens) or sens <= 0:
            raise InvalidInputError("sensitivity must be greater than 0", field="sensitivity")
        self.sensitivity = sens

    def column_epsilon(self, column: str | None) -> float:
        if column is not None and column in self.epsilon_map:
            return self.epsilon_map[column]
        return self.epsilon


def _filtered(query: _Query, frame: pd.DataFrame, column: str | None) -> pd.DataFrame:
    pred = query.predicate
    if pred is None:
        return frame
    target = pred.column or column
    if target is None:
        raise InvalidInputError("name the predicate's column, e.g. 'age > 50'", field="predicate")
    return frame[pred.mask(frame[target])]


def _statistic(query: _Query, series: pd.Series, column: str, epsilon: float, delta: float, field: str) -> st.Release:
    m = query.mechanism
    if m == MechanismType.COUNT:
        return st.private_count(int(series.notna().sum()), epsilon, delta, query.noise)
    if m in _BOUNDED:
        assert query.bounds is not None
        values = numeric_values(series, field)
        if m == MechanismType.MEAN:
            return st.private_mean(values, query.bounds, epsilon, delta, query.noise)
        if m == MechanismType.SUM:
            return st.private_sum(values, query.bounds, epsilon, delta, query.noise)
        return st.private_variance(values, query.bounds, epsilon, delta, query.noise)
    if m == MechanismType.HISTOGRAM:
        if query.categories is not None:
            return st.private_category_histogram(series, query.categories, epsilon, delta, query.noise)
        if is_numeric(series):
            assert query.histogram_range is not None
            values = numeric_values(series, field)
            return st.private_numeric_histogram(
                values, int(query.bins), query.histogram_range, epsilon, delta, query.noise
            )
        return st.private_open_histogram(series, epsilon, delta, query.min_group_size)
    raise AssertionError(m)


def _exponential(query: _Query) -> DPComputeResult:
    cands = list(query.candidates)
    if query.utility_scores is not None:
        scores = np.asarray(query.utility_scores, dtype=np.float64)
        release = st.private_selection(cands, scores, float(query.sensitivity), query.epsilon, monotonic=False)
        column = None
    else:
        column = query.columns[0]
        frame = _filtered(query, query.df, column)
        counts = frame[column].dropna().astype(str).value_counts()
        scores = np.asarray([float(counts.get(str(c), 0)) for c in cands], dtype=np.float64)
        release = st.private_selection(cands, scores, 1.0, query.epsilon, monotonic=True)
    return DPComputeResult(
        mechanism=query.mechanism.value,
        noise_type="gumbel",
        epsilon_spent=sum(e.epsilon for e in release.events),
        delta_spent=0.0,
        private_value=release.value,
        column=column,
        events=release.events,
        details=release.details,
    )


def _group_sizes(
    query: _Query, keys: pd.Series, epsilon: float, delta: float
) -> tuple[dict[str, int], list[PrivacyEvent], dict[str, Any]]:
    """Noisy size of each released group, above ``min_group_size``."""
    if query.group_keys is not None:
        counts = keys.value_counts().reindex(query.group_keys, fill_value=0).to_numpy(dtype=np.int64)
        noisy, event = noise.release_int_vector(counts, 1, epsilon, delta, query.noise)
        sizes = {k: max(int(v), 0) for k, v in zip(query.group_keys, noisy, strict=True)}
        kept = {k: v for k, v in sizes.items() if v >= query.min_group_size}
        info = {"group_keys": "public", "suppressed_groups": len(sizes) - len(kept)}
        return kept, [_relabel(event, "group_sizes")], info
    released, threshold, event = noise.threshold_key_counts(keys.tolist(), epsilon, delta, query.min_group_size)
    return released, [_relabel(event, "group_keys")], {"group_keys": "dp_threshold", "key_threshold": threshold}


def _grouped(query: _Query) -> DPComputeResult:
    assert query.group_by is not None
    is_count = query.mechanism == MechanismType.COUNT
    base = query.df
    if query.predicate is not None and (query.predicate.column or is_count):
        # A predicate naming its column filters the rows once; for the other mechanisms an
        # unnamed one filters each value column in the loop below.
        base = _filtered(query, base, query.columns[0] if query.columns else None)
    base = base[base[query.group_by].notna()]
    keys = base[query.group_by].astype(str)
    size_eps = query.epsilon if is_count else query.epsilon / 2.0
    size_delta = query.delta if is_count else query.delta / 2.0
    sizes, events, info = _group_sizes(query, keys, size_eps, size_delta)
    # The DP key threshold is a Laplace mechanism whatever noise_type the statistic uses.
    info["group_size_noise"] = "laplace" if query.group_keys is None else query.noise.value
    info["group_sizes"] = dict(sorted(sizes.items()))
    if is_count:
        results: dict[str, Any] = dict(sorted(sizes.items()))
        return _result(query, results, events, info, grouped=True)
    per_column: dict[str, Any] = {}
    for i, column in enumerate(query.columns):
        field = "column" if len(query.columns) == 1 else f"columns[{i}]"
        frame = _filtered(query, base, column) if query.predicate and not query.predicate.column else base
        group_keys = frame[query.group_by].astype(str)
        col_results: dict[str, Any] = {}
        group_events: list[list[PrivacyEvent]] = []
        grouped = dict(tuple(frame.groupby(group_keys, sort=False)[column]))
        for key in sorted(sizes):
            series = grouped.get(key, pd.Series([], dtype=frame[column].dtype))
            eps = query.epsilon_map.get(key, query.column_epsilon(column)) / 2.0
            release = _statistic(query, series, column, eps, query.delta / 2.0, field)
            col_results[key] = release.value
            group_events.append([_relabel(e, f"{column}.{e.label}") for e in release.events])
        per_column[column] = col_results
        events.extend(_combine_parallel(group_events))
    results = per_column[query.columns[0]] if len(query.columns) == 1 else per_column
    return _result(query, results, events, info, grouped=True)


def _relabel(event: PrivacyEvent, label: str) -> PrivacyEvent:
    return PrivacyEvent(event.kind, event.epsilon, event.delta, event.rho, label)


def _result(
    query: _Query, results: dict[str, Any] | None, events: list[PrivacyEvent], details: dict[str, Any], *,
    grouped: bool, private_value: Any = None,
) -> DPComputeResult:
    single = len(query.columns) == 1
    return DPComputeResult(
        mechanism=query.mechanism.value,
        noise_type=query.noise.value,
        epsilon_spent=float(sum(e.epsilon for e in events)),
        delta_spent=float(sum(e.delta for e in events)),
        private_value=private_value,
        results=results,
        column=query.columns[0] if single else None,
        columns=list(query.columns) if not single and query.columns else None,
        group_by=query.group_by,
        events=events,
        details=details,
    )


def _ungrouped(query: _Query) -> DPComputeResult:
    columns: list[str | None] = list(query.columns) or [None]
    values: dict[str, Any] = {}
    events: list[PrivacyEvent] = []
    details: dict[str, Any] = {}
    for i, column in enumerate(columns):
        field = "column" if len(columns) == 1 else f"columns[{i}]"
        frame = _filtered(query, query.df, column)
        eps = query.column_epsilon(column)
        if column is None:
            release = st.private_count(len(frame), eps, query.delta, query.noise)
        else:
            release = _statistic(query, frame[column], column, eps, query.delta, field)
        name = column if column is not None else "*"
        values[name] = release.value
        details[name] = release.details
        events.extend(_relabel(e, f"{name}.{e.label}") for e in release.events)
    if len(columns) == 1:
        only = next(iter(values))
        return _result(query, None, events, details[only], grouped=False, private_value=values[only])
    return _result(query, values, events, details, grouped=False)


def compute(
    data: Any,
    *,
    mechanism: MechanismType | str = MechanismType.MEAN,
    column: str | None = None,
    columns: list[str] | None = None,
    group_by: str | None = None,
    epsilon: float = 1.0,
    delta: float = 0.0,
    noise_type: NoiseType | str = NoiseType.LAPLACE,
    bounds: Sequence[float] | None = None,
    bins: int | None = None,
    histogram_range: Sequence[float] | None = None,
    predicate: str | None = None,
    candidates: list[Any] | None = None,
    utility_scores: list[float] | None = None,
    sensitivity: float | None = None,
    epsilon_map: dict[str, float] | None = None,
    min_group_size: int | None = None,
    group_keys: list[Any] | None = None,
    categories: list[Any] | None = None,
) -> DPComputeResult:
    """Release one differentially private statistic (per column and group) of ``data``.

    ``data`` is a DataFrame or anything :func:`veil.io.load_table` reads. See the module
    docstring for how ``epsilon`` is split; the result's ``epsilon_spent``/``delta_spent``
    and ``events`` say exactly what was spent.
    """
    df = data if isinstance(data, pd.DataFrame) else load_table(data)
    query = _Query(
        df,
        mechanism=mechanism,
        column=column,
        columns=columns,
        group_by=group_by,
        epsilon=epsilon,
        delta=delta,
        noise_type=noise_type,
        bounds=bounds,
        bins=bins,
        histogram_range=histogram_range,
        predicate=predicate,
        candidates=candidates,
        utility_scores=utility_scores,
        sensitivity=sensitivity,
        epsilon_map=epsilon_map,
        min_group_size=min_group_size,
        group_keys=group_keys,
        categories=categories,
    )
    if query.mechanism == MechanismType.EXPONENTIAL:
        return _exponential(query)
    if query.group_by is not None:
        return _grouped(query)
    return _ungrouped(query)
