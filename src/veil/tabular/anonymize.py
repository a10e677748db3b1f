"""``anonymize``: find the optimal generalization and produce the anonymized table;
``apply_solution``: re-apply a stored solution to new data without a search."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.config import (
    AttributeSpec,
    AttributeType,
    as_frame,
    build_criteria,
    check_aggregate,
    check_fraction,
    check_metric,
)
from veil.tabular.encoding import EncodedQI, EncodedSensitive, encode_qi, encode_sensitive
from veil.tabular.evaluation import Evaluator, NodeResult
from veil.tabular.metrics import (
    DEFAULT_AGGREGATE,
    METRIC_NAMES,
    MULTI_DIMENSIONAL,
    Factors,
    MetricName,
    rank_vector,
)
from veil.tabular.metrics import aggregate as aggregate_values
from veil.tabular.privacy import Criterion, LDiversity, TCloseness
from veil.tabular.search import search
from veil.tabular.solution import Solution
from veil.tabular.treatment import ValueDetector, column_treatments, resolve_specs


@dataclass
class AnonymizationResult:
    data: pd.DataFrame
    solution: Solution
    row_count: int
    suppressed_count: int
    levels: dict[str, int]
    metrics: dict[str, float]
    optimal: bool
    statistics: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    columns: list[dict[str, Any]] = field(default_factory=list)  # every input column's treatment
    #: the generalized quasi-identifier columns of ``data`` as labels and one code per row
    #: (``data[name] == labels[codes]``): writers use them instead of re-encoding the text
    coded: dict[str, CodedColumn] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self, *, include_data: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "columns": [dict(c) for c in self.columns],
            "row_count": self.row_count,
            "suppressed_count": self.suppressed_count,
            "levels": dict(self.levels),
            "metrics": dict(self.metrics),
            "optimal": self.optimal,
            "statistics": dict(self.statistics),
            "search": dict(self.search),
            "solution": self.solution.to_dict(),
        }
        if include_data:
            out["data"] = frame_records(self.data)
        return out


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with plain Python values (NaN -> None)."""
    obj = frame.astype(object).where(frame.notna(), None)
    return [dict(zip(obj.columns, row, strict=True)) for row in obj.itertuples(index=False, name=None)]


#: rows from which the quasi-identifiers are encoded, and the generalized columns built, by
#: two threads (pandas' factorize and pyarrow's take release the GIL)
PARALLEL_ROWS = 200_000


def _encode(
    frame: pd.DataFrame, specs: list[AttributeSpec], criteria: list[Criterion]
) -> tuple[list[EncodedQI], list[EncodedSensitive]]:
    wanted = [(i, s) for i, s in enumerate(specs) if s.type == AttributeType.QUASI_IDENTIFIER]

    def one(item: tuple[int, AttributeSpec]) -> EncodedQI:
        i, s = item
        assert s.hierarchy is not None
        return encode_qi(s.name, frame[s.name], s.hierarchy, field=f"attributes[{i}].hierarchy")

    if len(wanted) > 1 and frame.shape[0] >= PARALLEL_ROWS:  # the first failing QI in order raises
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="veil-encode") as pool:
            qis = list(pool.map(one, wanted))
    else:
        qis = [one(item) for item in wanted]
    needed = {c.attribute for c in criteria if isinstance(c, LDiversity | TCloseness)}
    hier_needed = {c.attribute for c in criteria if isinstance(c, TCloseness) and c.distance == "hierarchical"}
    sens: list[EncodedSensitive] = []
    for i, s in enumerate(specs):
        if s.name in needed:
            sens.append(
                encode_sensitive(
                    s.name,
                    frame[s.name],
                    order=s.order,
                    hierarchy=s.hierarchy if s.name in hier_needed else None,
                    field=f"attributes[{i}]",
                )
            )
    return qis, sens


class CodedColumn(NamedTuple):
    """A published column as its distinct labels and one index into them per row."""

    labels: list[str]
    codes: np.ndarray


def coded_columns(
    qis: list[EncodedQI], levels: Sequence[int], suppressed_rows: np.ndarray, suppress_value: str
) -> dict[str, CodedColumn]:
    """Every generalized quasi-identifier at ``levels`` as labels and codes, suppressed rows
    pointing at ``suppress_value`` (appended to the labels when any row is suppressed)."""
    masked = bool(suppressed_rows.any())
    out: dict[str, CodedColumn] = {}
    for q, lv in zip(qis, levels, strict=True):
        names = [str(v) for v in q.labels[lv].tolist()]
        idx = q.gen[lv][q.leaf].astype(np.int32, copy=masked)
        if masked:
            names.append(suppress_value)
            idx[suppressed_rows] = len(names) - 1
        out[q.name] = CodedColumn(names, idx)
    return out


def generalize_frame(
    frame: pd.DataFrame,
    specs: list[AttributeSpec],
    qis: list[EncodedQI],
    levels: Sequence[int],
    suppressed_rows: np.ndarray,
    suppress_value: str,
    *,
    coded: Mapping[str, CodedColumn] | None = None,
) -> pd.DataFrame:
    """The published table: identifiers dropped, QIs generalized, suppressed QI cells masked.
    A column with no spec is never published.

    Generalized columns are pandas' text dtype (``str``, pyarrow storage: what pandas reads
    text as), built by one ``take`` from the level's labels: no Python string per cell, and
    they are written to CSV or Parquet without a conversion. ``coded`` is
    :func:`coded_columns` of the same arguments when the caller has it already."""
    published = {s.name for s in specs if s.type != AttributeType.IDENTIFIER}
    out = frame[[c for c in frame.columns if c in published]].copy()
    codes = coded if coded is not None else coded_columns(qis, levels, suppressed_rows, suppress_value)
    names = [s.name for s in specs if s.name in codes]
    if len(names) > 1 and frame.shape[0] >= PARALLEL_ROWS:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="veil-generalize") as pool:
            arrays = list(pool.map(lambda name: _text_array(codes[name]), names))
    else:
        arrays = [_text_array(codes[name]) for name in names]
    for name, arr in zip(names, arrays, strict=True):
        out[name] = pd.Series(arr, index=out.index)
    return out


def _text_array(column: CodedColumn) -> Any:
    """``labels[codes]`` as a pandas ``str`` array."""
    import pyarrow as pa

    arr = pa.array(column.labels, type=pa.large_string()).take(pa.array(column.codes))
    return pd.array(arr, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def class_statistics(ev: Evaluator, levels: tuple[int, ...]) -> tuple[dict[str, Any], np.ndarray]:
    cl = ev.classes(levels)
    kept = cl.sizes[cl.ok]
    row_out = (~cl.ok)[cl.inv][ev.table.row_group]
    stats = {
        "equivalence_classes": int(kept.shape[0]),
        "min_class_size": int(kept.min()) if kept.size else 0,
        "max_class_size": int(kept.max()) if kept.size else 0,
        "avg_class_size": float(kept.mean()) if kept.size else 0.0,
        "suppressed_records": round(float(cl.sizes[~cl.ok].sum())),
        "classes_before_suppression": int(cl.n_classes),
    }
    return stats, row_out


@dataclass
class PreparedAnonymization:
    """What :func:`prepare_anonymize` checked and encoded: pass it to :func:`anonymize` as
    ``prepared`` (with the same data and arguments) to skip both."""

    frame: pd.DataFrame
    specs: list[AttributeSpec]
    criteria: list[Criterion]
    qis: list[EncodedQI]
    sens: list[EncodedSensitive]
    max_suppression: float
    gs_factor: float
    metric: MetricName
    aggregate: str | None = None


def objective_summary(ev: Evaluator, levels: tuple[int, ...], metric: str, aggregate: str | None) -> dict[str, Any]:
    """The optimised metric at the chosen node: its aggregate (``rank``: the vector of
    per-attribute values in descending order) and, for multi-dimensional metrics, the value
    of every quasi-identifier."""
    out: dict[str, Any] = {"metric": metric, "aggregate": aggregate or DEFAULT_AGGREGATE.get(metric)}
    cl = ev.classes(levels)
    row_out = (~cl.ok)[cl.inv]
    if metric in MULTI_DIMENSIONAL:
        per = ev.attribute_values(levels, row_out, metric)
        agg = out["aggregate"]
        out["value"] = rank_vector(per) if agg == "rank" else float(aggregate_values(per, agg))
        out["per_attribute"] = {q.name: float(v) for q, v in zip(ev.qis, per, strict=True)}
    else:
        out["value"] = ev.metric_values(levels, cl, row_out, (metric,))[metric]
    return out


def check_options(
    *,
    suppress_value: Any = "*",
    use_lattice_search: Any = True,
    max_lattice_size: Any = 250_000,
    time_limit: Any = None,
) -> None:
    """The search options that :func:`anonymize` takes besides the privacy model."""
    if not isinstance(suppress_value, str):
        raise InvalidInputError("suppress_value must be a string", field="suppress_value")
    if not isinstance(use_lattice_search, bool):
        raise InvalidInputError("use_lattice_search must be true or false", field="use_lattice_search")
    if isinstance(max_lattice_size, bool) or not isinstance(max_lattice_size, int) or max_lattice_size < 1:
        raise InvalidInputError("max_lattice_size must be a whole number >= 1", field="max_lattice_size")
    if time_limit is not None and (
        isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or time_limit <= 0
    ):
        raise InvalidInputError("time_limit must be a positive number of seconds", field="time_limit")


def _prepare(
    data: Any,
    attributes: Sequence[Mapping[str, Any] | AttributeSpec] | None,
    *,
    privacy_model: str | Sequence[str],
    k: int | None,
    l: float | None,
    t: float | None,
    c: float | None,
    diversity_type: str,
    distance_metric: str,
    max_suppression: float,
    suppress_value: str,
    metric: str,
    gs_factor: float,
    use_lattice_search: bool,
    max_lattice_size: int,
    time_limit: float | None,
    custom_patterns: Sequence[Any] | None,
    value_detector: ValueDetector | None,
    aggregate: str | None = None,
) -> PreparedAnonymization:
    """Every check of :func:`anonymize` (data, options, attributes, hierarchies covering the
    data, privacy criteria) and the encoded table, before any search."""
    frame = as_frame(data)
    max_supp = check_fraction(max_suppression, field="max_suppression")
    gs = check_fraction(gs_factor, field="gs_factor")
    metric_name = check_metric(metric)
    agg = check_aggregate(aggregate, metric_name)
    check_options(
        suppress_value=suppress_value, use_lattice_search=use_lattice_search,
        max_lattice_size=max_lattice_size, time_limit=time_limit,
    )
    specs = resolve_specs(
        frame, attributes, privacy_model=privacy_model, l=l, t=t,
        custom_patterns=custom_patterns, value_detector=value_detector,
    )
    criteria = build_criteria(
        specs, n_rows=frame.shape[0], privacy_model=privacy_model, k=k, l=l, t=t, c=c,
        diversity_type=diversity_type, distance_metric=distance_metric,
    )
    qis, sens = _encode(frame, specs, criteria)
    return PreparedAnonymization(frame, specs, criteria, qis, sens, max_supp, gs, metric_name, agg)


def prepare_anonymize(
    data: Any, attributes: Sequence[Mapping[str, Any] | AttributeSpec] | None, **options: Any
) -> PreparedAnonymization:
    """Every check :func:`anonymize` runs and the encoded table, without the search: a job
    checks its request up front with it and hands the result to :func:`anonymize`
    (``prepared``). Takes the keywords of :func:`anonymize` (the same defaults) except
    ``progress`` and ``prepared``."""
    defaults = _prepare_defaults()
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise TypeError(f"prepare_anonymize() got an unexpected keyword argument '{unknown[0]}'")
    return _prepare(data, attributes, **{**defaults, **options})


def _prepare_defaults() -> dict[str, Any]:
    """The keywords of :func:`anonymize` that describe the request, with its defaults."""
    import inspect

    params = inspect.signature(anonymize).parameters.values()
    return {p.name: p.default for p in params if p.kind is p.KEYWORD_ONLY and p.name not in ("progress", "prepared")}


def check_anonymize(
    data: Any, attributes: Sequence[Mapping[str, Any] | AttributeSpec] | None, **options: Any
) -> dict[str, Any]:
    """Run every check :func:`anonymize` runs, without the search (a job uses it to refuse a
    request up front). Takes :func:`prepare_anonymize`'s keywords. Returns ``{"rows",
    "columns"}``: the column types it would use."""
    prep = prepare_anonymize(data, attributes, **options)
    return {
        "rows": int(prep.frame.shape[0]),
        "columns": [
            {"name": sp.name, "type": str(sp.type), "class": sp.classification, "source": sp.source}
            for sp in prep.specs
        ],
    }


def anonymize(
    data: Any,
    attributes: Sequence[Mapping[str, Any] | AttributeSpec] | None,
    *,
    privacy_model: str | Sequence[str] = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    c: float | None = None,
    diversity_type: str = "distinct",
    distance_metric: str = "equal",
    max_suppression: float = 0.0,
    suppress_value: str = "*",
    metric: str = "loss",
    gs_factor: float = 0.5,
    use_lattice_search: bool = True,
    max_lattice_size: int = 250_000,
    time_limit: float | None = None,
    progress: Callable[[float], None] | None = None,
    custom_patterns: Sequence[Any] | None = None,
    value_detector: ValueDetector | None = None,
    aggregate: str | None = None,
    prepared: PreparedAnonymization | None = None,
) -> AnonymizationResult:
    """Anonymize ``data`` (DataFrame, records, path or URI) with full-domain generalization.

    Columns not in ``attributes`` are typed by detection (``custom_patterns`` and
    ``value_detector`` are passed to it; see :mod:`veil.tabular.treatment`); the result's
    ``columns`` gives every column's treatment. See ``docs/tabular.md`` for every option.
    Raises ``InvalidInputError`` (with ``field``) for bad input. ``prepared`` is
    :func:`prepare_anonymize` of the same data and arguments, made earlier (its checks and
    encoding are then not repeated).
    """
    started = time.perf_counter()
    prep = prepared if prepared is not None else _prepare(
        data, attributes, privacy_model=privacy_model, k=k, l=l, t=t, c=c, diversity_type=diversity_type,
        distance_metric=distance_metric, max_suppression=max_suppression, suppress_value=suppress_value,
        metric=metric, gs_factor=gs_factor, use_lattice_search=use_lattice_search,
        max_lattice_size=max_lattice_size, time_limit=time_limit, custom_patterns=custom_patterns,
        value_detector=value_detector, aggregate=aggregate,
    )
    frame, specs, criteria, qis, sens = prep.frame, prep.specs, prep.criteria, prep.qis, prep.sens
    max_supp, gs, metric_name = prep.max_suppression, prep.gs_factor, prep.metric
    ev = Evaluator(qis, sens, criteria, max_suppression=max_supp, factors=Factors(gs))
    res = search(
        ev, metric_name, aggregate=prep.aggregate, use_lattice_search=use_lattice_search,
        max_lattice_size=max_lattice_size, time_limit=time_limit, progress=progress,
    )
    best = res.best
    full = ev.evaluate(best.levels, metrics=METRIC_NAMES)
    stats, row_out = class_statistics(ev, best.levels)
    coded = coded_columns(qis, best.levels, row_out, suppress_value)
    out = generalize_frame(frame, specs, qis, best.levels, row_out, suppress_value, coded=coded)
    levels = {q.name: lv for q, lv in zip(qis, best.levels, strict=True)}
    solution = Solution.create(
        specs=specs, criteria=criteria, levels=levels, max_suppression=max_supp, suppress_value=suppress_value,
        metric=metric_name, gs_factor=gs, metrics=full.metrics,
    )
    solution.aggregate = prep.aggregate
    if progress is not None:
        progress(1.0)
    return AnonymizationResult(
        data=out,
        solution=solution,
        row_count=int(frame.shape[0]),
        suppressed_count=stats["suppressed_records"],
        levels=levels,
        metrics=full.metrics,
        optimal=res.optimal,
        statistics=stats,
        columns=treatments(specs, levels, solution, list(frame.columns), stats["suppressed_records"]),
        coded={name: col for name, col in coded.items() if name in out.columns},
        search={
            "method": res.method,
            "lattice_size": res.nodes_total,
            "nodes_evaluated": res.nodes_evaluated,
            "seconds": round(time.perf_counter() - started, 4),
            "monotonic": ev.monotonic,
            "objective": objective_summary(ev, best.levels, metric_name, prep.aggregate),
        },
    )


@dataclass
class ApplyResult:
    data: pd.DataFrame
    row_count: int
    suppressed_count: int
    levels: dict[str, int]
    metrics: dict[str, float]
    within_suppression_limit: bool
    statistics: dict[str, Any]
    columns: list[dict[str, Any]] = field(default_factory=list)


def apply_solution(solution: Solution | Mapping[str, Any], data: Any) -> ApplyResult:
    """Generalize new data with a stored solution's levels (no search). Classes that
    violate the solution's privacy model on the new data are suppressed; the result says
    whether that stayed within the solution's ``max_suppression``."""
    sol = solution if isinstance(solution, Solution) else Solution.from_dict(solution)
    frame = as_frame(data)
    specs = sol.attribute_specs()
    columns = set(frame.columns)
    for i, s in enumerate(specs):
        needed = s.type in (AttributeType.QUASI_IDENTIFIER, AttributeType.SENSITIVE)
        if needed and s.name not in columns:
            raise InvalidInputError(f"the data has no column '{s.name}'", field=f"attributes[{i}].name")
    criteria = sol.criteria_objects()
    for crit in criteria:
        if getattr(crit, "k", 0) > frame.shape[0]:
            raise InvalidInputError("the data has fewer records than k", field="data")
    qis, sens = _encode(frame, specs, criteria)
    ev = Evaluator(qis, sens, criteria, max_suppression=sol.max_suppression, factors=Factors(sol.gs_factor))
    levels = tuple(int(sol.levels[q.name]) for q in qis)
    node: NodeResult = ev.evaluate(levels, metrics=METRIC_NAMES)
    stats, row_out = class_statistics(ev, levels)
    out = generalize_frame(frame, specs, qis, levels, row_out, sol.suppress_value)
    metrics = node.metrics if node.feasible else ev.metric_values(levels, ev.classes(levels), (~ev.classes(levels).ok)[ev.classes(levels).inv], METRIC_NAMES)
    return ApplyResult(
        data=out,
        row_count=int(frame.shape[0]),
        suppressed_count=stats["suppressed_records"],
        levels=dict(zip([q.name for q in qis], levels, strict=True)),
        metrics=metrics,
        within_suppression_limit=node.feasible,
        statistics=stats,
        columns=treatments(
            specs, dict(zip([q.name for q in qis], levels, strict=True)), sol, list(frame.columns),
            stats["suppressed_records"],
        ),
    )


def treatments(
    specs: Sequence[AttributeSpec], levels: Mapping[str, int], solution: Solution, columns: Sequence[str],
    suppressed: int,
) -> list[dict[str, Any]]:
    """Every input column's treatment as plain dicts (``name, class, treatment, reason, ...``)."""
    heights = {s.name: s.hierarchy.height for s in specs if s.hierarchy is not None}
    return [
        c.to_dict()
        for c in column_treatments(
            specs, levels, heights, solution.criteria, columns=columns, suppressed_count=suppressed
        )
    ]


MetricNameT = MetricName
