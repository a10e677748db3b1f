"""``validate`` (does a table satisfy k / l / t, and which classes violate it) and
``measure`` (quality of an anonymized table against its original)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.config import DISTANCE_METRICS, DIVERSITY_TYPES, as_frame, parse_models
from veil.tabular.encoding import combine_codes, encode_sensitive
from veil.tabular.hierarchy import Hierarchy, column_text
from veil.tabular.metrics import geometric_mean_aggregate, normalise_loss, rank_vector
from veil.tabular.privacy import (
    LDiversity,
    TCloseness,
    TClosenessChecker,
    check_l_diversity,
    pair_counts,
)

MAX_VIOLATIONS = 100


@dataclass
class ValidationReport:
    is_valid: bool
    model_type: str
    violations: list[dict[str, Any]]
    violation_count: int
    statistics: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _classes(frame: pd.DataFrame, qis: Sequence[str], suppress_value: str) -> tuple[np.ndarray, int, np.ndarray]:
    """Class id per kept record, class count, and the kept-record mask (suppressed rows out)."""
    cols, cards = [], []
    suppressed = np.ones(frame.shape[0], dtype=bool)
    for q in qis:
        text = column_text(frame[q])
        suppressed &= text == suppress_value
        codes, uniq = pd.factorize(text, sort=False)
        cols.append(codes.astype(np.int64))
        cards.append(len(uniq))
    keep = ~suppressed
    key, _ = combine_codes([c[keep] for c in cols], cards)
    inv, uniq = pd.factorize(key, sort=False)
    return inv.astype(np.int64), len(uniq), keep


def validate(
    data: Any,
    quasi_identifiers: Sequence[str] | None = None,
    *,
    privacy_model: str | Sequence[str] = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    c: float | None = None,
    sensitive_attributes: Sequence[str] | None = None,
    diversity_type: str = "distinct",
    distance_metric: str = "equal",
    suppress_value: str = "*",
    hierarchies: dict[str, Hierarchy] | None = None,
) -> ValidationReport:
    frame = as_frame(data)
    sens = list(sensitive_attributes or [])
    qis = list(quasi_identifiers) if quasi_identifiers is not None else [col for col in frame.columns if col not in sens]
    for fname, lst in (("quasi_identifiers", qis), ("sensitive_attributes", sens)):
        for i, col in enumerate(lst):
            if col not in frame.columns:
                raise InvalidInputError(f"unknown column '{col}'", field=f"{fname}[{i}]")
    models = parse_models(privacy_model)
    if l is not None and "l-diversity" not in models:
        models.append("l-diversity")
    if t is not None and "t-closeness" not in models:
        models.append("t-closeness")
    if k is None and "k-anonymity" in models:
        raise InvalidInputError("k is required with k-anonymity (a whole number >= 1)", field="k")
    k_req = 1 if k is None else k
    if isinstance(k_req, bool) or not isinstance(k_req, int) or k_req < 1:
        raise InvalidInputError("k must be a whole number >= 1", field="k")
    criteria: list[LDiversity | TCloseness] = []
    if "l-diversity" in models:
        if not sens:
            raise InvalidInputError("l-diversity needs sensitive_attributes", field="sensitive_attributes")
        if l is None or isinstance(l, bool) or l < 1:
            raise InvalidInputError("l must be a number >= 1", field="l")
        if diversity_type not in DIVERSITY_TYPES:
            raise InvalidInputError("diversity_type must be distinct, entropy or recursive", field="diversity_type")
        criteria += [LDiversity(s, float(l), diversity_type, c if c is not None else (1.0 if diversity_type == "recursive" else None))  # type: ignore[arg-type]
                     for s in sens]
    if "t-closeness" in models:
        if not sens:
            raise InvalidInputError("t-closeness needs sensitive_attributes", field="sensitive_attributes")
        if t is None or isinstance(t, bool) or not 0.0 <= float(t) <= 1.0:
            raise InvalidInputError("t must be between 0 and 1", field="t")
        if distance_metric not in DISTANCE_METRICS:
            raise InvalidInputError("distance_metric must be equal, ordered or hierarchical", field="distance_metric")
        criteria += [TCloseness(s, float(t), distance_metric) for s in sens]  # type: ignore[arg-type]
    inv, n_classes, keep = _classes(frame, qis, suppress_value)
    kept = frame[keep].reset_index(drop=True)
    weight = np.ones(inv.shape[0])
    sizes = np.bincount(inv, minlength=n_classes).astype(np.float64)
    fail_reason: dict[int, dict[str, Any]] = {}
    for cz in np.flatnonzero(sizes < k_req):
        fail_reason.setdefault(int(cz), {})["k"] = int(sizes[cz])
    for crit in criteria:
        enc = encode_sensitive(
            crit.attribute, kept[crit.attribute],
            hierarchy=(hierarchies or {}).get(crit.attribute) if isinstance(crit, TCloseness) else None,
            field="sensitive_attributes",
        )
        # t-closeness compares with the distribution of the whole table
        pairs = pair_counts(inv, n_classes, enc.codes, enc.size, weight)
        if isinstance(crit, LDiversity):
            ok = check_l_diversity(crit, pairs, sizes, n_classes)
            distinct = np.bincount(pairs.cls, minlength=n_classes)
            for cz in np.flatnonzero(~ok):
                fail_reason.setdefault(int(cz), {})[f"l:{crit.attribute}"] = int(distinct[cz])
        else:
            if crit.distance == "hierarchical" and enc.hierarchy_gen is None:
                raise InvalidInputError("hierarchical distance needs a hierarchy", field="distance_metric")
            full = encode_sensitive(crit.attribute, frame[crit.attribute], field="sensitive_attributes")
            checker = TClosenessChecker(crit, enc)
            q = np.bincount(full.codes, minlength=full.size).astype(float)
            # align the global distribution with the kept records' codes
            pos = {v: i for i, v in enumerate(full.labels)}
            checker.q = np.array([q[pos[v]] for v in enc.labels]) / q.sum()
            dist = checker.distances(pairs, sizes, n_classes)
            for cz in np.flatnonzero(dist > crit.t + 1e-12):
                fail_reason.setdefault(int(cz), {})[f"t:{crit.attribute}"] = round(float(dist[cz]), 6)
    first_row = np.full(n_classes, -1, dtype=np.int64)
    first_row[inv[::-1]] = np.arange(inv.shape[0])[::-1]
    violations: list[dict[str, Any]] = []
    for ci in sorted(fail_reason)[:MAX_VIOLATIONS]:
        row = kept.iloc[int(first_row[ci])]
        violations.append({
            "class": {q: (None if pd.isna(row[q]) else str(row[q])) for q in qis},
            "size": int(sizes[ci]),
            "failed": fail_reason[ci],
        })
    model_type = "+".join(models)
    stats = {
        "records": int(frame.shape[0]),
        "suppressed_records": int((~keep).sum()),
        "equivalence_classes": int(n_classes),
        "min_class_size": int(sizes.min()) if sizes.size else 0,
        "violating_classes": len(fail_reason),
        "violating_records": int(sum(sizes[ci] for ci in fail_reason)),
        "k_achieved": int(sizes.min()) if sizes.size else 0,
    }
    return ValidationReport(not fail_reason, model_type, violations, len(fail_reason), stats)


@dataclass
class QualityReport:
    information_loss: float
    metrics: dict[str, float]
    per_attribute: dict[str, dict[str, float]]
    statistics: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def measure(
    original_data: Any,
    anonymized_data: Any,
    quasi_identifiers: Sequence[str] | None = None,
    *,
    suppress_value: str = "*",
) -> QualityReport:
    """Quality of ``anonymized`` against ``original`` (same records, same order).

    Without hierarchies, each generalized value is taken to cover the original values
    that were mapped to it in these tables; ``loss`` is then ARX's Loss with the domain
    of distinct original values (see docs/tabular.md), ``entropy`` the non-uniform
    entropy, ``discernibility`` / ``aecs`` use the anonymized classes, ``precision`` the
    fraction of changed quasi-identifier cells.
    """
    original = as_frame(original_data, field="original_data")
    anonymized = as_frame(anonymized_data, field="anonymized_data")
    if original.shape[0] != anonymized.shape[0]:
        raise InvalidInputError(
            "the anonymized table must have the same records, in the same order, as the original",
            field="anonymized_data",
        )
    original = original.reset_index(drop=True)
    anonymized = anonymized.reset_index(drop=True)
    if not set(original.columns) & set(anonymized.columns):
        raise InvalidInputError(
            "the anonymized table has no column in common with the original", field="anonymized_data"
        )
    qis = list(quasi_identifiers) if quasi_identifiers is not None else [
        col for col in anonymized.columns
        if col in original.columns and column_text(original[col]).tolist() != column_text(anonymized[col]).tolist()
    ]
    for i, q in enumerate(qis):
        if q not in original.columns:
            raise InvalidInputError(f"unknown column '{q}'", field=f"quasi_identifiers[{i}]")
        if q not in anonymized.columns:
            raise InvalidInputError(f"column '{q}' is missing from the anonymized table", field=f"quasi_identifiers[{i}]")
    n = float(original.shape[0])
    suppressed = np.ones(original.shape[0], dtype=bool) if qis else np.zeros(original.shape[0], dtype=bool)
    for q in qis:
        suppressed &= column_text(anonymized[q]) == suppress_value
    n_suppressed = float(suppressed.sum())
    per: dict[str, dict[str, float]] = {}
    raw_loss = []
    domains = []
    entropy_total = 0.0
    entropy_nm_total = 0.0
    changed_total = 0.0
    for q in qis:
        o = column_text(original[q])
        a = column_text(anonymized[q])
        oc, ou = pd.factorize(o, sort=False)
        ac, au = pd.factorize(a, sort=False)
        d = len(ou)
        pairs = np.unique(ac.astype(np.int64) * max(d, 1) + oc)
        covered = np.bincount(pairs // max(d, 1), minlength=len(au)).astype(float)
        is_sup = np.asarray(au == suppress_value)
        covered[is_sup] = d
        share = covered[ac] / d
        raw = float(share.sum())
        f_orig = np.bincount(oc, minlength=d).astype(float)
        # f(gen): the original records whose value the generalized value covers (as ARX counts
        # them in the input), not the published records that still carry it
        f_gen = np.bincount(pairs // max(d, 1), weights=f_orig[pairs % max(d, 1)], minlength=len(au))
        gen_count = np.where(is_sup[ac], n, f_gen[ac])
        ent = float(np.sum(np.log2(gen_count / f_orig[oc])))
        # ARX's non-monotonic variant adds what suppression hides: the entropy of the suppressed
        # records' values among themselves (their pre-suppression generalization is not in the
        # published table, so their original values stand in for it)
        ent_nm = ent
        if n_suppressed:
            c = np.bincount(oc[suppressed], minlength=d).astype(float)
            c = c[c > 0]
            ent_nm += float((c * np.log2(n_suppressed / c)).sum())
        changed = float(np.mean(o != a))
        raw_loss.append(raw)
        domains.append(d)
        entropy_total += ent
        entropy_nm_total += ent_nm
        changed_total += changed
        per[q] = {"loss": float(normalise_loss(np.array([raw]), n, np.array([float(d)]), 1.0)[0]),
                  "entropy": ent, "entropy_nm": ent_nm, "changed_cells": changed}
    loss = geometric_mean_aggregate(normalise_loss(np.array(raw_loss), n, np.array(domains, dtype=float), 1.0)) if qis else 0.0
    inv, n_classes, keep = _classes(anonymized, qis, suppress_value)
    sizes = np.bincount(inv, minlength=n_classes).astype(float)
    n_sup = float((~keep).sum())
    metrics = {
        "loss": loss,
        "precision": changed_total / len(qis) if qis else 0.0,
        "discernibility": float((sizes**2).sum() + n_sup**2),
        "aecs": n / (n_classes + (1 if n_sup > 0 else 0)) if n_classes or n_sup else 0.0,
        "entropy": entropy_total,
        "entropy_nm": entropy_nm_total,
    }
    if qis:
        losses = np.array([per[q]["loss"] for q in qis])
        metrics["loss_max"] = float(losses.max())
        # ARX's RANK aggregate of the per-attribute loss (descending), as the scalar keys
        # loss_rank_0, loss_rank_1, ... (the worst attribute first)
        for i, v in enumerate(rank_vector(losses)):
            metrics[f"loss_rank_{i}"] = v
    stats = {
        "records": int(n),
        "suppressed_records": int(n_sup),
        "equivalence_classes": int(n_classes),
        "min_class_size": int(sizes.min()) if sizes.size else 0,
        "max_class_size": int(sizes.max()) if sizes.size else 0,
        "avg_class_size": float(sizes.mean()) if sizes.size else 0.0,
        "quasi_identifiers": qis,
    }
    return QualityReport(information_loss=loss, metrics=metrics, per_attribute=per, statistics=stats)
