"""``generate_config``: detect the attribute types and build hierarchies, giving a
ready-to-use ``anonymize`` request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from veil.errors import InvalidInputError
from veil.tabular.builders import auto_hierarchy
from veil.tabular.config import AttributeType, as_frame, check_fraction, parse_models
from veil.tabular.detection import Detection, DetectionPattern, detect_qi
from veil.tabular.treatment import detected_type


@dataclass
class AutoConfig:
    detection: Detection
    anonymize_request: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"detection": self.detection.to_dict(), "anonymize_request": self.anonymize_request}


def generate_config(
    data: Any,
    *,
    privacy_model: str | Sequence[str] = "k-anonymity",
    k: int | None = 5,
    l: float | None = None,
    t: float | None = None,
    mode: str = "auto",
    max_suppression: float = 0.0,
    diversity_type: str = "distinct",
    distance_metric: str = "equal",
    sampling_method: str = "fast",
    custom_patterns: Sequence[DetectionPattern] | None = None,
    **detect_options: Any,
) -> AutoConfig:
    """Attributes typed from ``detect_qi`` with the rules of :mod:`veil.tabular.treatment`
    (every detected QI, whatever its importance rank, is generalized; a detected SI is
    generalized too unless l-diversity / t-closeness protects it); every QI gets a built
    hierarchy (as a builder spec that ``anonymize`` rebuilds on the data: intervals for
    numbers, dates, masking for fixed-length codes, else a flat ``value -> *``)."""
    frame = as_frame(data)
    models = parse_models(privacy_model)
    check_fraction(max_suppression, field="max_suppression")
    if k is None and "k-anonymity" in models:
        raise InvalidInputError("k is required with k-anonymity (a whole number >= 1)", field="k")
    if "l-diversity" in models and l is None:
        l = 2
    if "t-closeness" in models and t is None:
        t = 0.2
    det = detect_qi(frame, mode=mode, sampling_method=sampling_method, custom_patterns=custom_patterns, **detect_options)
    if ("l-diversity" in models or "t-closeness" in models) and not det.sensitive_attributes:
        raise InvalidInputError(
            "no sensitive attribute was detected; name one with known_sensitive", field="privacy_model"
        )
    info = {c.name: c for c in det.attributes}
    protect = "l-diversity" in models or "t-closeness" in models
    attributes: list[dict[str, Any]] = []
    for col in frame.columns:
        a = info.get(col)
        if a is None:
            continue
        kind, reason = detected_type(a.classification, a.confidence, a.reason, protect_sensitive=protect)
        entry: dict[str, Any] = {"name": col, "type": str(kind)}
        if kind == AttributeType.QUASI_IDENTIFIER:
            _, spec = auto_hierarchy(frame[col], field=f"attributes.{col}")
            entry["hierarchy"] = spec
        entry.update({"class": a.classification, "source": "detection", "reason": reason})
        attributes.append(entry)
    if not any(a["type"] == AttributeType.QUASI_IDENTIFIER for a in attributes):
        raise InvalidInputError("no quasi-identifier was detected", field="data")
    request: dict[str, Any] = {
        "privacy_model": models[0] if len(models) == 1 else models,
        "k": k,
        "attributes": attributes,
        "max_suppression": max_suppression,
    }
    if l is not None:
        request["l"] = l
        request["diversity_type"] = diversity_type
    if t is not None:
        request["t"] = t
        request["distance_metric"] = distance_metric
    return AutoConfig(det, request)
