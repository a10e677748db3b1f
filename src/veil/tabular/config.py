"""Attribute specifications and privacy-model options, parsed and validated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.builders import auto_hierarchy, build_hierarchy
from veil.tabular.hierarchy import Hierarchy
from veil.tabular.metrics import AGGREGATES, METRIC_NAMES, MULTI_DIMENSIONAL, MetricName
from veil.tabular.privacy import Criterion, KAnonymity, LDiversity, TCloseness


def as_frame(data: Any, *, field: str = "data") -> pd.DataFrame:
    """Any supported input (DataFrame, records, path, URI) as a non-empty DataFrame with a
    0..n-1 index and string column names."""
    from veil.io import load_table

    frame = load_table(data, field=field)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise InvalidInputError("the table is empty", field=field)
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return _integral_floats_as_ints(frame)


def _integral_floats_as_ints(frame: pd.DataFrame) -> pd.DataFrame:
    """A whole-number column with missing cells is read as floats (``39`` -> ``39.0``); it
    is published as the integers it holds (nullable ``Int64``) so kept values round-trip."""
    out = frame
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_float_dtype(col) and col.isna().any():
            finite = col.dropna()
            if finite.size and bool(((finite % 1) == 0).all()) and bool((finite.abs() < 2**53).all()):
                if out is frame:
                    out = frame.copy()
                out[name] = col.astype("Int64")
    return out


class AttributeType(StrEnum):
    IDENTIFIER = "identifier"
    QUASI_IDENTIFIER = "quasi_identifier"
    SENSITIVE = "sensitive"
    INSENSITIVE = "insensitive"


_TYPE_ALIASES = {
    "identifier": AttributeType.IDENTIFIER,
    "direct_identifier": AttributeType.IDENTIFIER,
    "di": AttributeType.IDENTIFIER,
    "quasi_identifier": AttributeType.QUASI_IDENTIFIER,
    "quasi-identifier": AttributeType.QUASI_IDENTIFIER,
    "qi": AttributeType.QUASI_IDENTIFIER,
    "sensitive": AttributeType.SENSITIVE,
    "si": AttributeType.SENSITIVE,
    "insensitive": AttributeType.INSENSITIVE,
    "nsi": AttributeType.INSENSITIVE,
}

PRIVACY_MODELS = ("k-anonymity", "l-diversity", "t-closeness")
DIVERSITY_TYPES = ("distinct", "entropy", "recursive")
DISTANCE_METRICS = ("equal", "ordered", "hierarchical")


@dataclass
class AttributeSpec:
    name: str
    type: AttributeType
    hierarchy: Hierarchy | None = None
    hierarchy_spec: Any = None  # what the caller gave (rows, path, builder spec) or what auto chose
    order: list[str] | None = None  # value order for ordered-distance t-closeness
    l: float | None = None
    t: float | None = None
    c: float | None = None
    diversity_type: str | None = None
    distance_metric: str | None = None
    reason: str | None = None  # why the column has this type (set for detected columns)
    source: str = "caller"  # "caller" (listed in attributes) or "detection"
    classification: str | None = None  # DI / QI / SI / NSI (what detection said, or from the type)


def parse_attribute_type(value: Any, *, field: str) -> AttributeType:
    key = str(value).strip().lower() if value is not None else ""
    if key not in _TYPE_ALIASES:
        raise InvalidInputError(
            "type must be quasi_identifier, sensitive, identifier or insensitive", field=field
        )
    return _TYPE_ALIASES[key]


def resolve_hierarchy(raw: Any, column: pd.Series, *, field: str) -> Hierarchy:
    """Rows, a CSV path/URI (or CSV text), a builder spec, or a Hierarchy."""
    if isinstance(raw, Hierarchy):
        return raw
    if isinstance(raw, Mapping):
        if "rows" in raw and "type" not in raw:
            return Hierarchy.from_rows(raw["rows"], field=field)
        return build_hierarchy(raw, column, field=field)
    if isinstance(raw, str):
        return Hierarchy.from_csv(raw, field=field)
    if isinstance(raw, Sequence):
        return Hierarchy.from_rows(raw, field=field)
    raise InvalidInputError("a hierarchy is a list of rows, a CSV path/URI or a builder spec", field=field)


def parse_attributes(
    frame: pd.DataFrame,
    attributes: Sequence[Mapping[str, Any] | AttributeSpec] | None,
    *,
    field: str = "attributes",
    require_qi: bool = True,
) -> list[AttributeSpec]:
    """The caller's attributes (hierarchies resolved). ``require_qi=False`` lets detection
    complete them afterwards (see :mod:`veil.tabular.treatment`)."""
    if attributes is None:
        attributes = []
    if not isinstance(attributes, Sequence) or isinstance(attributes, str | bytes):
        raise InvalidInputError("attributes must be a list of objects", field=field)
    if require_qi and len(attributes) == 0:
        raise InvalidInputError("give at least one quasi-identifier in attributes", field=field)
    specs: list[AttributeSpec] = []
    seen: set[str] = set()
    columns = set(map(str, frame.columns))
    for i, raw in enumerate(attributes):
        f = f"{field}[{i}]"
        if isinstance(raw, AttributeSpec):
            spec = raw
        else:
            if not isinstance(raw, Mapping):
                raise InvalidInputError("an attribute is an object with name and type", field=f)
            name = raw.get("name")
            if not isinstance(name, str) or not name:
                raise InvalidInputError("an attribute needs a name", field=f"{f}.name")
            spec = AttributeSpec(
                name=name,
                type=parse_attribute_type(raw.get("type", "quasi_identifier"), field=f"{f}.type"),
                hierarchy_spec=raw.get("hierarchy"),
                order=[str(v) for v in raw["order"]] if raw.get("order") is not None else None,
                l=raw.get("l"),
                t=raw.get("t"),
                c=raw.get("c"),
                diversity_type=raw.get("diversity_type"),
                distance_metric=raw.get("distance_metric"),
                reason=str(raw["reason"]) if raw.get("reason") is not None else None,
                source=str(raw.get("source") or "caller"),
                classification=str(raw["class"]).upper() if raw.get("class") is not None else None,
            )
        if spec.name not in columns:
            raise InvalidInputError(f"unknown column '{spec.name}'", field=f"{f}.name")
        if spec.name in seen:
            raise InvalidInputError(f"column '{spec.name}' is listed twice", field=f"{f}.name")
        seen.add(spec.name)
        if spec.hierarchy is None and spec.hierarchy_spec is not None:
            spec.hierarchy = resolve_hierarchy(spec.hierarchy_spec, frame[spec.name], field=f"{f}.hierarchy")
        if spec.type == AttributeType.QUASI_IDENTIFIER and spec.hierarchy is None:
            spec.hierarchy, spec.hierarchy_spec = auto_hierarchy(frame[spec.name], field=f"{f}.hierarchy")
        specs.append(spec)
    if require_qi and not any(s.type == AttributeType.QUASI_IDENTIFIER for s in specs):
        raise InvalidInputError("give at least one quasi-identifier in attributes", field=field)
    return specs


def parse_models(privacy_model: str | Sequence[str]) -> list[str]:
    models = [privacy_model] if isinstance(privacy_model, str) else list(privacy_model)
    out: list[str] = []
    for m in models:
        key = str(m).strip().lower().replace("_", "-")
        aliases = {"k": "k-anonymity", "l": "l-diversity", "t": "t-closeness", "kanonymity": "k-anonymity"}
        key = aliases.get(key, key)
        if key not in PRIVACY_MODELS:
            raise InvalidInputError(
                "privacy_model must be k-anonymity, l-diversity or t-closeness", field="privacy_model"
            )
        out.append(key)
    return out


def build_criteria(
    specs: list[AttributeSpec],
    *,
    n_rows: int,
    privacy_model: str | Sequence[str] = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    c: float | None = None,
    diversity_type: str = "distinct",
    distance_metric: str = "equal",
) -> list[Criterion]:
    """The privacy criteria to enforce. k-anonymity with ``k`` is always part of it
    (``k=1`` turns it off); l-diversity and t-closeness apply to every sensitive attribute."""
    models = parse_models(privacy_model)
    criteria: list[Criterion] = []
    if k is None:
        # k = None never silently means "k = 1" under k-anonymity
        if "k-anonymity" in models:
            raise InvalidInputError("k is required with k-anonymity (a whole number >= 1)", field="k")
        k = 1
    if isinstance(k, bool) or not isinstance(k, int | float) or int(k) != k or k < 1:
        raise InvalidInputError("k must be a whole number >= 1", field="k")
    k = int(k)
    if k > n_rows:
        raise InvalidInputError(f"k = {k} is larger than the number of records ({n_rows})", field="k")
    if k > 1 or models == ["k-anonymity"]:
        criteria.append(KAnonymity(k))
    sensitive = [s for s in specs if s.type == AttributeType.SENSITIVE]
    if "l-diversity" in models or l is not None:
        if "l-diversity" not in models:
            models.append("l-diversity")
        if not sensitive:
            raise InvalidInputError("l-diversity needs at least one sensitive attribute", field="attributes")
        for s in sensitive:
            lv = s.l if s.l is not None else l
            if lv is None:
                raise InvalidInputError("l-diversity needs l", field="l")
            if isinstance(lv, bool) or not isinstance(lv, int | float) or lv < 1:
                raise InvalidInputError("l must be a number >= 1", field="l")
            variant = (s.diversity_type or diversity_type or "distinct").lower()
            if variant not in DIVERSITY_TYPES:
                raise InvalidInputError("diversity_type must be distinct, entropy or recursive", field="diversity_type")
            cv = s.c if s.c is not None else c
            if variant == "recursive":
                cv = 1.0 if cv is None else cv
                if not isinstance(cv, int | float) or cv <= 0:
                    raise InvalidInputError("c must be a positive number", field="c")
            criteria.append(LDiversity(s.name, float(lv), variant, None if cv is None else float(cv)))  # type: ignore[arg-type]
    if "t-closeness" in models or t is not None:
        if "t-closeness" not in models:
            models.append("t-closeness")
        if not sensitive:
            raise InvalidInputError("t-closeness needs at least one sensitive attribute", field="attributes")
        for s in sensitive:
            tv = s.t if s.t is not None else t
            if tv is None:
                raise InvalidInputError("t-closeness needs t", field="t")
            if isinstance(tv, bool) or not isinstance(tv, int | float) or not 0.0 <= float(tv) <= 1.0:
                raise InvalidInputError("t must be between 0 and 1", field="t")
            dist = (s.distance_metric or distance_metric or "equal").lower()
            dist = {"equal_distance": "equal", "ordered_distance": "ordered", "hierarchical_distance": "hierarchical"}.get(
                dist, dist
            )
            if dist not in DISTANCE_METRICS:
                raise InvalidInputError("distance_metric must be equal, ordered or hierarchical", field="distance_metric")
            if dist == "hierarchical" and s.hierarchy is None:
                raise InvalidInputError(
                    f"hierarchical distance needs a hierarchy for sensitive attribute '{s.name}'",
                    field="attributes",
                )
            criteria.append(TCloseness(s.name, float(tv), dist))  # type: ignore[arg-type]
    if not criteria:
        criteria.append(KAnonymity(1))
    return criteria


def check_metric(metric: str) -> MetricName:
    m = str(metric).strip().lower().replace("-", "_")
    m = {"discernability": "discernibility", "dm": "discernibility", "non_uniform_entropy": "entropy",
         "nue": "entropy", "lm": "loss", "nm_entropy": "entropy_nm", "non_monotonic_entropy": "entropy_nm",
         "entropy_non_monotonic": "entropy_nm"}.get(m, m)
    if m not in METRIC_NAMES:
        raise InvalidInputError(
            "metric must be loss, precision, discernibility, aecs, entropy, entropy_nm or height", field="metric"
        )
    return m  # type: ignore[return-value]


def check_aggregate(aggregate: str | None, metric: str) -> str | None:
    """ARX's aggregate functions, for the multi-dimensional metrics only (None = the default)."""
    if aggregate is None:
        return None
    a = str(aggregate).strip().lower().replace("-", "_")
    a = {"maximum": "max", "mean": "arithmetic_mean", "arithmetic": "arithmetic_mean",
         "geometric": "geometric_mean"}.get(a, a)
    if a not in AGGREGATES:
        raise InvalidInputError(
            "aggregate must be sum, max, arithmetic_mean, geometric_mean or rank", field="aggregate"
        )
    if metric not in MULTI_DIMENSIONAL:
        raise InvalidInputError(
            f"metric {metric} has one value for the whole table: no aggregate applies", field="aggregate"
        )
    return a


def check_fraction(value: Any, *, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise InvalidInputError(f"{field} must be between 0 and 1", field=field)
    return float(value)
