"""Batch queries: :func:`compute` validates a request, applies filters, bounds each privacy
unit's contribution, groups, and releases one statistic per column (and group) through
:mod:`veil.dp.statistics`.

Privacy accounting of one call (the unit is ``privacy_unit``, or a row):

* each column ``c`` is a separate query with ``epsilon_map.get(c, epsilon)``; columns
  compose sequentially, so the call spends their sum;
* ``group_by`` first releases noisy group sizes. With public ``group_keys`` those are
  plain noisy counts; otherwise keys are released only if their noisy count clears a DP
  threshold (so a key held by one unit appears with probability at most ``delta``),
  which needs ``delta > 0``. Groups whose noisy size is below ``min_group_size`` are
  suppressed. For ``count`` the group sizes are the answer (the whole epsilon); for the
  other mechanisms the sizes take half of ``epsilon`` (and of ``delta``) and the
  statistic the other half;
* a unit touches at most ``max_partitions`` groups, so a grouped statistic is charged for
  the ``max_partitions`` most expensive groups the *query* could release (``epsilon_map``
  may name a group): with public keys, the most expensive of those keys; without, the
  most expensive of the named groups and the default epsilon. The charge is a function
  of the query alone, never of which groups the data held or released.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from veil.dp import noise
from veil.dp import statistics as st
from veil.dp.keys import TypedKey, cell_labels, key_of, label_of, match_labels, typed_keys
from veil.dp.predicate import Predicate, parse_predicate
from veil.dp.types import DPComputeResult, MechanismType, NoiseType, PrivacyEvent
from veil.dp.units import PrivacyUnit, bound_grouped, bound_rows, parse_unit
from veil.dp.validation import (
    check_bounds,
    check_delta,
    check_epsilon,
    check_epsilon_map,
    check_positive_int,
    numeric_mask,
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
        self.group_keys: list[tuple[TypedKey, str]] | None = None
        if kw["group_keys"] is not None:
            self.group_keys = typed_keys(kw["group_keys"], "group_keys", maximum=MAX_GROUP_KEYS)
        if self.group_by is not None and self.group_keys is None and self.delta <= 0:
            raise InvalidInputError(
                "group_by without public group_keys releases group keys through a DP threshold, "
                "which needs delta > 0 (or pass the public group_keys)",
                field="delta",
            )
        self.unit: PrivacyUnit = parse_unit(
            df, kw["privacy_unit"], kw["max_contributions"], kw["max_partitions"], grouped=self.group_by is not None
        )
        if self.unit.column is not None and self.unit.column == self.group_by:
            raise InvalidInputError("privacy_unit and group_by must be different columns", field="privacy_unit")
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
        """Checks of the request alone: a column is never refused for what its cells hold."""
        m = self.mechanism
        self.histogram_kind: str | None = None
        self.category_keys: list[tuple[TypedKey, str]] | None = None
        if m == MechanismType.HISTOGRAM:
            if self.categories is not None:
                self.category_keys = typed_keys(self.categories, "categories", maximum=MAX_BINS)
                self.categories = [label for _, label in self.category_keys]
                self.histogram_kind = "categories"
            elif self.bins is not None or self.histogram_range is not None or self.bounds is not None:
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
                self.histogram_kind = "numeric"
            elif self.delta <= 0 or self.noise == NoiseType.GAUSSIAN:
                raise InvalidInputError(
                    "a histogram needs a histogram_range (numeric bins), its public categories, or "
                    "laplace noise with delta > 0 to release the categories through a DP threshold",
                    field="categories",
                )
            else:
                self.histogram_kind = "open"
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


def _valid(query: _Query, frame: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """The rows a statistic of ``column`` uses (before contribution bounding)."""
    if column is None:
        return frame
    m = query.mechanism
    if m in _BOUNDED or query.histogram_kind == "numeric":
        return frame[numeric_mask(frame[column])]
    if query.histogram_kind == "categories":
        assert query.category_keys is not None
        return frame[match_labels(frame[column], query.category_keys).notna().to_numpy()]
    return frame[frame[column].notna().to_numpy()]


def _statistic(
    query: _Query, frame: pd.DataFrame, column: str | None, epsilon: float, delta: float, field: str
) -> st.Release:
    """One release over ``frame`` (valid, bounded rows); a unit adds or removes ``max_contributions`` rows."""
    k = query.unit.max_contributions
    m = query.mechanism
    if m == MechanismType.COUNT or column is None:
        return st.private_count(len(frame), epsilon, delta, query.noise, k)
    series = frame[column]
    if m in _BOUNDED:
        assert query.bounds is not None
        values = numeric_values(series, field)
        if m == MechanismType.MEAN:
            return st.private_mean(values, query.bounds, epsilon, delta, query.noise, k)
        if m == MechanismType.SUM:
            return st.private_sum(values, query.bounds, epsilon, delta, query.noise, k)
        return st.private_variance(values, query.bounds, epsilon, delta, query.noise, k)
    if m == MechanismType.HISTOGRAM:
        if query.histogram_kind == "categories":
            assert query.category_keys is not None and query.categories is not None
            labels = match_labels(series, query.category_keys)
            return st.private_category_histogram(labels, list(query.categories), epsilon, delta, query.noise, k)
        if query.histogram_kind == "numeric":
            assert query.histogram_range is not None
            values = numeric_values(series, field)
            return st.private_numeric_histogram(
                values, int(query.bins), query.histogram_range, epsilon, delta, query.noise, k
            )
        return st.private_open_histogram(cell_labels(series), epsilon, delta, query.min_group_size, k)
    raise AssertionError(m)


def _candidate_label(candidate: Any) -> str:
    key = key_of(candidate)
    return label_of(key) if key is not None else str(candidate)


def _exponential(query: _Query) -> DPComputeResult:
    cands = list(query.candidates)
    if query.utility_scores is not None:
        scores = np.asarray(query.utility_scores, dtype=np.float64)
        release = st.private_selection(cands, scores, float(query.sensitivity), query.epsilon, monotonic=False)
        column = None
    else:
        column = query.columns[0]
        frame = bound_rows(_valid(query, _filtered(query, query.df, column), column), query.unit)
        counts = cell_labels(frame[column]).value_counts()
        scores = np.asarray([float(counts.get(_candidate_label(c), 0)) for c in cands], dtype=np.float64)
        sensitivity = float(noise.count_sensitivity(query.unit.max_contributions))
        release = st.private_selection(cands, scores, sensitivity, query.epsilon, monotonic=True)
    return _result(query, None, [_relabel(e, e.label) for e in release.events], release.details,
                   private_value=release.value, noise_type="gumbel", column=column)


def _group_labels(query: _Query, frame: pd.DataFrame) -> pd.Series:
    assert query.group_by is not None
    if query.group_keys is not None:
        return match_labels(frame[query.group_by], query.group_keys)
    return cell_labels(frame[query.group_by])


def _grouped_unit(query: _Query) -> PrivacyUnit:
    """The unit with ``max_partitions`` capped by the number of public keys (a unit cannot touch more)."""
    unit = query.unit
    if query.group_keys is not None and unit.max_partitions > len(query.group_keys):
        return PrivacyUnit(unit.column, unit.max_contributions, len(query.group_keys))
    return unit


def _group_sizes(
    query: _Query, labels: pd.Series, epsilon: float, delta: float
) -> tuple[dict[str, int], list[PrivacyEvent], dict[str, Any]]:
    """Noisy size of each released group, above ``min_group_size``."""
    unit = _grouped_unit(query)
    if query.group_keys is not None:
        names = [label for _, label in query.group_keys]
        counts = labels.value_counts().reindex(names, fill_value=0).to_numpy(dtype=np.int64)
        sensitivity = unit.l2() if query.noise == NoiseType.GAUSSIAN else unit.l1()
        noisy, event = noise.release_int_vector(counts, sensitivity, epsilon, delta, query.noise)  # type: ignore[arg-type]
        sizes = {k: max(int(v), 0) for k, v in zip(names, noisy, strict=True)}
        kept = {k: v for k, v in sizes.items() if v >= query.min_group_size}
        info = {"group_keys": "public", "suppressed_groups": len(sizes) - len(kept)}
        return kept, [_relabel(event, "group_sizes")], info
    d_in = (unit.max_partitions, unit.l1(), unit.max_contributions)
    released, threshold, event = noise.threshold_key_counts(
        labels.dropna().astype(str).tolist(), epsilon, delta, query.min_group_size, d_in
    )
    return released, [_relabel(event, "group_keys")], {"group_keys": "dp_threshold", "key_threshold": threshold}


def _group_epsilons(query: _Query, column: str) -> list[float]:
    """Epsilons of the ``max_partitions`` most expensive groups the query could release."""
    default = query.column_epsilon(column)
    p = _grouped_unit(query).max_partitions
    if query.group_keys is not None:
        candidates = [query.epsilon_map.get(label, default) for _, label in query.group_keys]
    else:
        named = [v for k, v in query.epsilon_map.items() if k not in query.columns]
        candidates = named + [default] * p
    return sorted(candidates, reverse=True)[:p]


def _grouped(query: _Query) -> DPComputeResult:
    assert query.group_by is not None
    is_count = query.mechanism == MechanismType.COUNT
    base = query.df
    if query.predicate is not None and (query.predicate.column or is_count):
        # A predicate naming its column filters the rows once; for the other mechanisms an
        # unnamed one filters each value column in the loop below.
        base = _filtered(query, base, query.columns[0] if query.columns else None)
    base = base.reset_index(drop=True)  # unique labels, so group labels can follow the rows kept
    labels = _group_labels(query, base)
    base = bound_grouped(base, query.unit, labels)
    labels = labels.loc[base.index]
    size_eps = query.epsilon if is_count else query.epsilon / 2.0
    size_delta = query.delta if is_count else query.delta / 2.0
    sizes, events, info = _group_sizes(query, labels, size_eps, size_delta)
    # The DP key threshold is a Laplace mechanism whatever noise_type the statistic uses.
    info["group_size_noise"] = "laplace" if query.group_keys is None else query.noise.value
    info["group_sizes"] = dict(sorted(sizes.items()))
    if is_count:
        return _result(query, dict(sorted(sizes.items())), events, info)
    per_column: dict[str, Any] = {}
    empty = base.iloc[0:0]
    for i, column in enumerate(query.columns):
        field = "column" if len(query.columns) == 1 else f"columns[{i}]"
        frame = _filtered(query, base, column) if query.predicate and not query.predicate.column else base
        frame = _valid(query, frame, column)
        frame_labels = labels.loc[frame.index]
        parts = {str(k): g for k, g in frame.groupby(frame_labels.to_numpy(), sort=False)} if len(frame) else {}
        col_results: dict[str, Any] = {}
        for key in sorted(sizes):
            eps = query.epsilon_map.get(key, query.column_epsilon(column)) / 2.0
            release = _statistic(query, parts.get(key, empty), column, eps, query.delta / 2.0, field)
            col_results[key] = release.value
        per_column[column] = col_results
        # The charge: the most expensive groups the query could release, whatever was released.
        cost: dict[float, list[PrivacyEvent]] = {}
        for eps in _group_epsilons(query, column):
            if eps not in cost:  # a release's events depend on its parameters only
                cost[eps] = _statistic(query, empty, column, eps / 2.0, query.delta / 2.0, field).events
            events.extend(_relabel(e, f"{column}.{e.label}") for e in cost[eps])
    results = per_column[query.columns[0]] if len(query.columns) == 1 else per_column
    return _result(query, results, events, info)


def _relabel(event: PrivacyEvent, label: str) -> PrivacyEvent:
    return PrivacyEvent(event.kind, event.epsilon, event.delta, event.rho, label)


def _result(
    query: _Query, results: dict[str, Any] | None, events: list[PrivacyEvent], details: dict[str, Any], *,
    private_value: Any = None, noise_type: str | None = None, column: str | None = None,
) -> DPComputeResult:
    single = len(query.columns) == 1
    eps = float(sum(e.epsilon for e in events))
    delta = float(sum(e.delta for e in events))
    unit = _grouped_unit(query) if query.group_by is not None else query.unit
    return DPComputeResult(
        mechanism=query.mechanism.value,
        noise_type=noise_type or query.noise.value,
        epsilon_spent=eps,
        delta_spent=delta,
        private_value=private_value,
        results=results,
        column=column if noise_type else (query.columns[0] if single else None),
        columns=list(query.columns) if not single and query.columns else None,
        group_by=query.group_by,
        events=events,
        details=details,
        privacy_unit=unit.name,
        guarantee=unit.guarantee(eps, delta),
    )


def _ungrouped(query: _Query) -> DPComputeResult:
    columns: list[str | None] = list(query.columns) or [None]
    values: dict[str, Any] = {}
    events: list[PrivacyEvent] = []
    details: dict[str, Any] = {}
    for i, column in enumerate(columns):
        field = "column" if len(columns) == 1 else f"columns[{i}]"
        frame = bound_rows(_valid(query, _filtered(query, query.df, column), column), query.unit)
        eps = query.column_epsilon(column)
        release = _statistic(query, frame, column, eps, query.delta, field)
        name = column if column is not None else "*"
        values[name] = release.value
        details[name] = release.details
        events.extend(_relabel(e, f"{name}.{e.label}") for e in release.events)
    if len(columns) == 1:
        only = next(iter(values))
        return _result(query, None, events, details[only], private_value=values[only])
    return _result(query, values, events, details)


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
    privacy_unit: str | None = None,
    max_contributions: int | None = None,
    max_partitions: int | None = None,
) -> DPComputeResult:
    """Release one differentially private statistic (per column and group) of ``data``.

    ``data`` is a DataFrame or anything :func:`veil.io.load_table` reads. See the module
    docstring for how ``epsilon`` is split; the result's ``epsilon_spent``/``delta_spent``
    and ``events`` say exactly what was spent, and ``guarantee`` states it per
    ``privacy_unit`` (a column whose rows are bounded to ``max_contributions`` per unit,
    and to ``max_partitions`` groups per unit when grouped; or a row).
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
        privacy_unit=privacy_unit,
        max_contributions=max_contributions,
        max_partitions=max_partitions,
    )
    if query.mechanism == MechanismType.EXPONENTIAL:
        return _exponential(query)
    if query.group_by is not None:
        return _grouped(query)
    return _ungrouped(query)
