"""Every column gets a treatment: the columns the caller did not list are typed by
detection, and each result says what happened to each column and why.

Rules for a column the caller did not list (the caller's own types always win):

* direct identifier (DI) -> ``removed``;
* quasi-identifier (QI) -> generalized with an automatic hierarchy (``auto_hierarchy``);
* sensitive (SI) -> kept as is and protected when l-diversity or t-closeness is asked for
  (they apply to every sensitive attribute, detected ones included); with k-anonymity
  alone nothing would protect it, so it joins the quasi-identifiers and is generalized
  (k-anonymity then covers it: nobody is singled out by it);
* non-sensitive (NSI) -> ``kept`` only when detection is confident (a constant column, or
  a pattern classifying it NSI); free text (which may name people) is ``removed``.

Treatments reported: ``generalized`` (a QI below the top of its hierarchy), ``suppressed``
(a QI generalized to the top level, i.e. every value replaced), ``removed``, ``kept``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.builders import auto_hierarchy
from veil.tabular.config import AttributeSpec, AttributeType, parse_attributes, parse_models

TREATMENTS = ("generalized", "suppressed", "removed", "kept")
CONFIDENT_NSI = 0.9  # detection confidence from which an unlisted NSI column is kept raw

_TYPE_CLASS = {
    AttributeType.IDENTIFIER: "DI",
    AttributeType.QUASI_IDENTIFIER: "QI",
    AttributeType.SENSITIVE: "SI",
    AttributeType.INSENSITIVE: "NSI",
}

ValueDetector = Callable[[list[str]], "tuple[str, float] | None"]


@dataclass
class ColumnTreatment:
    name: str
    classification: str  # DI, QI, SI or NSI
    treatment: str  # generalized, suppressed, removed or kept
    reason: str
    source: str  # "caller" (listed in attributes), "detection" or "solution"
    level: int | None = None
    height: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "class": self.classification,
            "treatment": self.treatment,
            "reason": self.reason,
            "source": self.source,
            "level": self.level,
            "height": self.height,
        }


def protects_sensitive(privacy_model: str | Sequence[str], l: float | None, t: float | None) -> bool:
    """True when l-diversity or t-closeness will be enforced on the sensitive attributes."""
    models = parse_models(privacy_model)
    return l is not None or t is not None or "l-diversity" in models or "t-closeness" in models


def complete_specs(
    frame: pd.DataFrame,
    specs: list[AttributeSpec],
    *,
    protect_sensitive: bool,
    custom_patterns: Sequence[Any] | None = None,
    value_detector: ValueDetector | None = None,
) -> list[AttributeSpec]:
    """``specs`` plus one spec per column the caller did not list, typed by detection."""
    from veil.tabular.detection import detect_qi

    listed = {s.name for s in specs}
    for s in specs:
        if s.classification is None:
            s.classification = _TYPE_CLASS[s.type]
    unlisted = [c for c in frame.columns if c not in listed]
    if not unlisted:
        return specs
    det = detect_qi(
        frame[unlisted],
        max_quasi_identifiers=len(unlisted),
        cumulative_importance_threshold=1.0,
        custom_patterns=custom_patterns,
        value_detector=value_detector,
    )
    info = {a.name: a for a in det.attributes}
    out = list(specs)
    for col in unlisted:
        a = info[col]
        kind, reason = detected_type(a.classification, a.confidence, a.reason, protect_sensitive=protect_sensitive)
        spec = AttributeSpec(name=col, type=kind, reason=reason, source="detection", classification=a.classification)
        if spec.type == AttributeType.QUASI_IDENTIFIER:
            spec.hierarchy, spec.hierarchy_spec = auto_hierarchy(frame[col], field=f"data.{col}")
        out.append(spec)
    return out


def detected_type(
    classification: str, confidence: float, why: str, *, protect_sensitive: bool
) -> tuple[AttributeType, str]:
    """The attribute type a detected column gets, and the reason (see the module doc)."""
    why = why.split("; ")[0]
    if classification == "DI":
        return AttributeType.IDENTIFIER, f"detected direct identifier ({why}); list it with another type to keep it"
    if classification == "QI":
        return AttributeType.QUASI_IDENTIFIER, f"detected quasi-identifier ({why})"
    if classification == "SI" and protect_sensitive:
        return AttributeType.SENSITIVE, f"detected sensitive attribute ({why})"
    if classification == "SI":
        return AttributeType.QUASI_IDENTIFIER, (
            f"detected sensitive attribute ({why}); without l-diversity or t-closeness nothing would "
            "protect it, so it is generalized with the quasi-identifiers (list it as sensitive to keep it)"
        )
    if confidence >= CONFIDENT_NSI:
        return AttributeType.INSENSITIVE, f"detected non-sensitive ({why})"
    return AttributeType.IDENTIFIER, (
        f"not confidently non-sensitive ({why}: it may hold identifying text); list it as insensitive to keep it"
    )


def resolve_specs(
    frame: pd.DataFrame,
    attributes: Sequence[Mapping[str, Any] | AttributeSpec] | None,
    *,
    privacy_model: str | Sequence[str] = "k-anonymity",
    l: float | None = None,
    t: float | None = None,
    custom_patterns: Sequence[Any] | None = None,
    value_detector: ValueDetector | None = None,
) -> list[AttributeSpec]:
    """The caller's attributes, completed by detection for every other column; at least
    one quasi-identifier must result."""
    specs = parse_attributes(frame, attributes or [], require_qi=False)
    specs = complete_specs(
        frame,
        specs,
        protect_sensitive=protects_sensitive(privacy_model, l, t),
        custom_patterns=custom_patterns,
        value_detector=value_detector,
    )
    if not any(s.type == AttributeType.QUASI_IDENTIFIER for s in specs):
        raise InvalidInputError(
            "no quasi-identifier: none is listed in attributes and detection found none", field="attributes"
        )
    return specs


def _criteria_text(criteria: Sequence[Mapping[str, Any]], name: str) -> str:
    parts = []
    for c in criteria:
        if c.get("attribute") != name:
            continue
        if c.get("model") == "l-diversity":
            parts.append(f"{c.get('variant', 'distinct')} l-diversity (l={c.get('l')})")
        elif c.get("model") == "t-closeness":
            parts.append(f"t-closeness (t={c.get('t')}, {c.get('distance', 'equal')} distance)")
    return " and ".join(parts)


def column_treatments(
    specs: Sequence[AttributeSpec],
    levels: Mapping[str, int],
    heights: Mapping[str, int],
    criteria: Sequence[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    suppressed_count: int = 0,
    source: str | None = None,
) -> list[ColumnTreatment]:
    """One entry per column of the input (``columns``, in their order; default the specs)."""
    by_name = {s.name: s for s in specs}
    names = list(columns) if columns is not None else [s.name for s in specs]
    out: list[ColumnTreatment] = []
    k = next((int(c["k"]) for c in criteria if c.get("model") == "k-anonymity"), 1)
    for name in names:
        s = by_name.get(name)
        if s is None:
            out.append(ColumnTreatment(name, "DI", "removed", "not in the stored solution; removed", "solution"))
            continue
        cls = s.classification or _TYPE_CLASS[s.type]
        src = source or s.source
        if s.type == AttributeType.IDENTIFIER:
            reason = s.reason or "listed as identifier"
            out.append(ColumnTreatment(name, cls, "removed", reason, src))
        elif s.type == AttributeType.QUASI_IDENTIFIER:
            lv, h = int(levels.get(name, 0)), int(heights.get(name, 0))
            top = h > 0 and lv >= h
            base = s.reason or "listed as quasi-identifier"
            what = (
                "every value generalized to the top of its hierarchy"
                if top
                else f"generalized to level {lv} of {h}" + (" (original values)" if lv == 0 else "")
            )
            what += f" in classes of at least {k} records" if k > 1 else ""
            if suppressed_count:
                what += f"; {suppressed_count} records suppressed"
            out.append(
                ColumnTreatment(name, cls, "suppressed" if top else "generalized", f"{base}: {what}", src, lv, h)
            )
        elif s.type == AttributeType.SENSITIVE:
            protection = _criteria_text(criteria, name)
            base = s.reason or "listed as sensitive"
            reason = f"{base}: published as is, protected by {protection}" if protection else (
                f"{base}: published as is; no l-diversity or t-closeness was asked for"
            )
            out.append(ColumnTreatment(name, cls, "kept", reason, src))
        else:
            out.append(ColumnTreatment(name, cls, "kept", s.reason or "listed as insensitive", src))
    return out
