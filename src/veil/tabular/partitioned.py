"""Partitioned k-anonymity: the lattice search runs on class counts gathered per partition,
and the chosen generalization is applied per partition.

The three steps can run in different processes (the service spreads them over Dask workers):

1. :func:`count_partition` on every partition: the distinct combinations of QI hierarchy
   rows with their record counts (hierarchy row indices are the same in every partition,
   so counts from different partitions add up);
2. :func:`plan_from_counts` once: the counts are merged in partition order (so the merged
   table is the one the whole-table path builds, in the same order) and searched exactly as
   :func:`veil.tabular.anonymize` does; the plan holds the levels and the QI combinations
   whose classes are suppressed;
3. :func:`apply_partition` on every partition: generalize and mask the suppressed rows.

Concatenating the partitions' outputs gives the same table, levels, suppressed count and
metrics as :func:`veil.tabular.anonymize` on the whole table. For l-diversity and
t-closeness the counts also carry the sensitive values (``sensitive=`` of
:func:`count_partition`, see :func:`sensitive_columns`); t-closeness's whole-table
distribution is taken from the merged counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.anonymize import AnonymizationResult, generalize_frame, objective_summary, treatments
from veil.tabular.config import (
    AttributeSpec,
    AttributeType,
    build_criteria,
    check_aggregate,
    check_fraction,
    check_metric,
)
from veil.tabular.encoding import (
    EncodedQI,
    EncodedSensitive,
    ReducedTable,
    encode_qi,
    encode_sensitive,
    reduce_records,
)
from veil.tabular.evaluation import Evaluator
from veil.tabular.metrics import METRIC_NAMES, Factors
from veil.tabular.privacy import (
    Criterion,
    LDiversity,
    TCloseness,
    TClosenessChecker,
)
from veil.tabular.search import search
from veil.tabular.solution import Solution
from veil.tabular.treatment import resolve_specs


@dataclass
class PartitionCounts:
    """Distinct QI combinations of one partition (hierarchy row per QI) and their counts."""

    leaf: np.ndarray  # (m, d) int32, in order of first appearance
    weight: np.ndarray  # (m,) int64
    sensitive_names: list[str] = field(default_factory=list)
    sensitive: list[np.ndarray] = field(default_factory=list)  # per name: (m,) object, the value text


@dataclass
class PartitionPlan:
    """What every partition needs to produce its share of the output, plus the run's summary."""

    specs: list[AttributeSpec]
    levels: dict[str, int]
    suppressed_leaf: np.ndarray  # (s, d) int32: QI combinations whose class is suppressed
    suppress_value: str
    solution: Solution
    row_count: int
    suppressed_count: int
    metrics: dict[str, float]
    optimal: bool
    statistics: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)


# Step 0: parse the attribute configuration once (hierarchies included) for all partitions;
# columns not listed are typed by detection on the whole table as in veil.tabular.anonymize.
# The same function as the one veil.tabular.anonymize uses, under the name of this API's step.
resolve_attributes = resolve_specs


def supports_partitioning(
    privacy_model: str | Sequence[str] = "k-anonymity", l: float | None = None, t: float | None = None
) -> bool:
    """True when every requested model can run partitioned (k-anonymity, l-diversity, t-closeness)."""
    models = [privacy_model] if isinstance(privacy_model, str) else list(privacy_model)
    return all(m in ("k-anonymity", "l-diversity", "t-closeness") for m in models)


def sensitive_columns(
    specs: list[AttributeSpec],
    privacy_model: str | Sequence[str] = "k-anonymity",
    l: float | None = None,
    t: float | None = None,
) -> list[str]:
    """The sensitive attributes the counts must carry: all of them when l-diversity or
    t-closeness is asked for (they apply to every sensitive attribute), none otherwise."""
    models = [privacy_model] if isinstance(privacy_model, str) else list(privacy_model)
    if l is None and t is None and not ({"l-diversity", "t-closeness"} & set(models)):
        return []
    return [s.name for s in specs if s.type == AttributeType.SENSITIVE]


def _encode_qis(frame: pd.DataFrame, specs: list[AttributeSpec]) -> list[EncodedQI]:
    qis: list[EncodedQI] = []
    for i, s in enumerate(specs):
        if s.type == AttributeType.QUASI_IDENTIFIER:
            if s.name not in frame.columns:
                raise InvalidInputError(f"the data has no column '{s.name}'", field=f"attributes[{i}].name")
            assert s.hierarchy is not None
            qis.append(encode_qi(s.name, frame[s.name], s.hierarchy, field=f"attributes[{i}].hierarchy"))
    if not qis:
        raise InvalidInputError("give at least one quasi-identifier in attributes", field="attributes")
    return qis


def count_partition(
    data: pd.DataFrame, specs: list[AttributeSpec], sensitive: Sequence[str] = ()
) -> PartitionCounts:
    """Step 1: the weighted distinct combinations of QI hierarchy rows (and of the values of
    the ``sensitive`` columns) of one partition."""
    names = list(sensitive)
    for name in names:
        if name not in data.columns:
            raise InvalidInputError(f"the data has no column '{name}'", field="attributes")
    encs = [encode_sensitive(name, data[name], field="attributes") for name in names]
    table = reduce_records(_encode_qis(data, specs), encs)
    values = [np.asarray(e.labels[table.sensitive[:, i]], dtype=object) for i, e in enumerate(encs)]
    return PartitionCounts(table.leaf, table.weight, names, values)


def merge_counts(parts: Sequence[PartitionCounts]) -> PartitionCounts:
    """Add the counts of several partitions, keeping the order of first appearance."""
    if not parts:
        raise InvalidInputError("no partitions to merge", field="data")
    names = parts[0].sensitive_names
    if any(p.sensitive_names != names for p in parts):
        raise InvalidInputError("the partitions carry different sensitive columns", field="attributes")
    leaf = np.concatenate([p.leaf for p in parts], axis=0)
    weight = np.concatenate([p.weight for p in parts])
    values = [np.concatenate([p.sensitive[i] for p in parts]) for i in range(len(names))]
    if leaf.shape[0] == 0:
        return PartitionCounts(leaf.astype(np.int32), weight.astype(np.int64), list(names), values)
    index = pd.MultiIndex.from_arrays([leaf[:, j] for j in range(leaf.shape[1])] + values)
    codes, _ = pd.factorize(index, sort=False)
    first = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    idx = np.arange(codes.shape[0], dtype=np.int64)
    first[codes[::-1]] = idx[::-1]
    total = np.bincount(codes, weights=weight).astype(np.int64)
    return PartitionCounts(leaf[first].astype(np.int32), total, list(names), [v[first] for v in values])


class _CountedEvaluator(Evaluator):
    """The whole-table evaluator built from merged counts instead of per-record codes."""

    def __init__(
        self,
        qis: list[EncodedQI],
        counts: PartitionCounts,
        sensitive: list[EncodedSensitive],
        criteria: list[Criterion],
        *,
        max_suppression: float,
        factors: Factors,
    ) -> None:
        """``sensitive[i].codes`` hold the code of each merged row (not of each record)."""
        m = counts.leaf.shape[0]
        sens = np.stack([s.codes for s in sensitive], axis=1) if sensitive else np.zeros((m, 0), np.int32)
        table = ReducedTable(counts.leaf, counts.weight, sens.astype(np.int32), np.zeros(0, np.int64))
        super().__init__(qis, sensitive, criteria, max_suppression=max_suppression, factors=factors, table=table)

    def _t_checker(self, criterion: TCloseness, encoded: EncodedSensitive) -> TClosenessChecker:
        checker = TClosenessChecker(criterion, encoded)
        # the whole table's distribution: the merged rows weighted by their counts
        dist = np.bincount(encoded.codes, weights=self.weight, minlength=encoded.size)
        checker.q = dist / dist.sum()
        return checker


def _hierarchy_qis(specs: list[AttributeSpec]) -> list[EncodedQI]:
    """Encodings of the hierarchies alone (no records): what the search needs besides counts."""
    empty = pd.DataFrame({s.name: pd.Series([], dtype=object) for s in specs})
    return _encode_qis(empty, specs)


def _merged_sensitive(
    merged: PartitionCounts, specs: list[AttributeSpec], criteria: list[Criterion]
) -> list[EncodedSensitive]:
    """Encode the merged rows' sensitive values as the whole-table path encodes the column
    (merged rows are in first-appearance order, so the value codes come out the same)."""
    needed = {c.attribute for c in criteria if isinstance(c, LDiversity | TCloseness)}
    hier_needed = {c.attribute for c in criteria if isinstance(c, TCloseness) and c.distance == "hierarchical"}
    out: list[EncodedSensitive] = []
    for i, s in enumerate(specs):
        if s.name not in needed:
            continue
        if s.name not in merged.sensitive_names:
            raise InvalidInputError(
                f"the partition counts do not carry the sensitive column '{s.name}'", field=f"attributes[{i}]"
            )
        values = merged.sensitive[merged.sensitive_names.index(s.name)]
        out.append(
            encode_sensitive(
                s.name,
                pd.Series(values, dtype=object),
                order=s.order,
                hierarchy=s.hierarchy if s.name in hier_needed else None,
                field=f"attributes[{i}]",
            )
        )
    return out


def plan_from_counts(
    counts: Sequence[PartitionCounts],
    specs: list[AttributeSpec],
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
    aggregate: str | None = None,
) -> PartitionPlan:
    """Step 2: the optimal generalization from the partitions' counts.

    Same options and errors as :func:`veil.tabular.anonymize`; for l-diversity and
    t-closeness the counts must carry :func:`sensitive_columns`.
    """
    started = time.perf_counter()
    merged = merge_counts(counts)
    n = int(merged.weight.sum())
    if n == 0:
        raise InvalidInputError("the table is empty", field="data")
    max_supp = check_fraction(max_suppression, field="max_suppression")
    gs = check_fraction(gs_factor, field="gs_factor")
    metric_name = check_metric(metric)
    agg = check_aggregate(aggregate, metric_name)
    criteria = build_criteria(
        specs, n_rows=n, privacy_model=privacy_model, k=k, l=l, t=t, c=c,
        diversity_type=diversity_type, distance_metric=distance_metric,
    )
    qis = _hierarchy_qis(specs)
    sens = _merged_sensitive(merged, specs, criteria)
    ev = _CountedEvaluator(qis, merged, sens, criteria, max_suppression=max_supp, factors=Factors(gs))
    res = search(
        ev, metric_name, aggregate=agg, use_lattice_search=use_lattice_search,
        max_lattice_size=max_lattice_size, time_limit=time_limit, progress=progress,
    )
    best = res.best
    full = ev.evaluate(best.levels, metrics=METRIC_NAMES)
    cl = ev.classes(best.levels)
    kept = cl.sizes[cl.ok]
    stats: dict[str, Any] = {
        "equivalence_classes": int(kept.shape[0]),
        "min_class_size": int(kept.min()) if kept.size else 0,
        "max_class_size": int(kept.max()) if kept.size else 0,
        "avg_class_size": float(kept.mean()) if kept.size else 0.0,
        "suppressed_records": round(float(cl.sizes[~cl.ok].sum())),
        "classes_before_suppression": int(cl.n_classes),
    }
    suppressed_leaf = merged.leaf[(~cl.ok)[cl.inv]]
    levels = {q.name: lv for q, lv in zip(qis, best.levels, strict=True)}
    solution = Solution.create(
        specs=specs, criteria=criteria, levels=levels, max_suppression=max_supp, suppress_value=suppress_value,
        metric=metric_name, gs_factor=gs, metrics=full.metrics,
    )
    solution.aggregate = agg
    return PartitionPlan(
        specs=specs,
        levels=levels,
        suppressed_leaf=suppressed_leaf,
        suppress_value=suppress_value,
        solution=solution,
        row_count=n,
        suppressed_count=stats["suppressed_records"],
        metrics=full.metrics,
        optimal=res.optimal,
        statistics=stats,
        search={
            "method": res.method,
            "lattice_size": res.nodes_total,
            "nodes_evaluated": res.nodes_evaluated,
            "seconds": round(time.perf_counter() - started, 4),
            "monotonic": ev.monotonic,
            "objective": objective_summary(ev, best.levels, metric_name, agg),
            "partitions": len(counts),
        },
    )


def apply_partition(plan: PartitionPlan, data: pd.DataFrame) -> pd.DataFrame:
    """Step 3: one partition of the published table (identifiers dropped, QIs generalized,
    rows of suppressed classes masked with the plan's ``suppress_value``)."""
    qis = _encode_qis(data, plan.specs)
    table = reduce_records(qis, [])
    suppressed = {tuple(int(v) for v in row) for row in plan.suppressed_leaf.tolist()}
    out_group = np.array([tuple(int(v) for v in row) in suppressed for row in table.leaf.tolist()], dtype=bool)
    row_out = out_group[table.row_group] if out_group.size else np.zeros(data.shape[0], dtype=bool)
    levels = [plan.levels[q.name] for q in qis]
    return generalize_frame(data, plan.specs, qis, levels, row_out, plan.suppress_value)


def anonymize_partitions(
    partitions: Sequence[pd.DataFrame],
    attributes: Sequence[Mapping[str, Any] | AttributeSpec] | None,
    *,
    privacy_model: str | Sequence[str] = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    max_suppression: float = 0.0,
    **options: Any,
) -> AnonymizationResult:
    """All three steps in this process (the partitions' outputs concatenated in order)."""
    if not partitions:
        raise InvalidInputError("no partitions to anonymize", field="data")
    # hierarchies built automatically must cover every partition's values
    whole = pd.concat(list(partitions), ignore_index=True) if len(partitions) > 1 else partitions[0]
    specs = resolve_attributes(whole, attributes, privacy_model=privacy_model, l=l, t=t)
    sensitive = sensitive_columns(specs, privacy_model, l, t)
    counts = [count_partition(p, specs, sensitive) for p in partitions]
    plan = plan_from_counts(
        counts, specs, privacy_model=privacy_model, k=k, l=l, t=t, max_suppression=max_suppression, **options
    )
    data = pd.concat([apply_partition(plan, p) for p in partitions], ignore_index=True)
    return plan_result(plan, data, [str(c) for c in partitions[0].columns])


def plan_result(
    plan: PartitionPlan, data: pd.DataFrame, columns: Sequence[str] | None = None
) -> AnonymizationResult:
    """The plan and the concatenated output as an :class:`AnonymizationResult`;
    ``columns`` are the input's columns (default: the plan's attributes)."""
    names = list(columns) if columns is not None else [s.name for s in plan.specs]
    return AnonymizationResult(
        columns=treatments(plan.specs, plan.levels, plan.solution, names, plan.suppressed_count),
        data=data,
        solution=plan.solution,
        row_count=plan.row_count,
        suppressed_count=plan.suppressed_count,
        levels=dict(plan.levels),
        metrics=dict(plan.metrics),
        optimal=plan.optimal,
        statistics=dict(plan.statistics),
        search=dict(plan.search),
    )
