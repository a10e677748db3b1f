"""A serialisable anonymization solution: attributes with their hierarchies, the chosen
level per quasi-identifier, the privacy model and the options; JSON round-trips."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from veil.errors import InvalidInputError
from veil.tabular.config import AttributeSpec, AttributeType
from veil.tabular.hierarchy import Hierarchy
from veil.tabular.privacy import Criterion, KAnonymity, LDiversity, TCloseness

SOLUTION_VERSION = 1


@dataclass
class Solution:
    attributes: list[dict[str, Any]]
    levels: dict[str, int]
    criteria: list[dict[str, Any]]
    max_suppression: float
    suppress_value: str
    metric: str
    gs_factor: float
    metrics: dict[str, float] = field(default_factory=dict)
    created_at: str = ""
    version: int = SOLUTION_VERSION
    aggregate: str | None = None  # the aggregate the metric was optimised with (None = its default)

    @property
    def privacy_model(self) -> str:
        kinds = {c["model"] for c in self.criteria}
        if "t-closeness" in kinds:
            return "t-closeness"
        if "l-diversity" in kinds:
            return "l-diversity"
        return "k-anonymity"

    @classmethod
    def create(
        cls,
        *,
        specs: list[AttributeSpec],
        criteria: list[Criterion],
        levels: dict[str, int],
        max_suppression: float,
        suppress_value: str,
        metric: str,
        gs_factor: float,
        metrics: dict[str, float],
    ) -> Solution:
        attrs: list[dict[str, Any]] = []
        for s in specs:
            entry: dict[str, Any] = {"name": s.name, "type": str(s.type)}
            if s.hierarchy is not None and (s.type == AttributeType.QUASI_IDENTIFIER or s.hierarchy_spec is not None):
                entry["hierarchy"] = s.hierarchy.to_rows()
            if s.order is not None:
                entry["order"] = list(s.order)
            if s.reason:
                entry["reason"] = s.reason
            entry["source"] = s.source
            if s.classification:
                entry["class"] = s.classification
            attrs.append(entry)
        return cls(
            attributes=attrs,
            levels={k: int(v) for k, v in levels.items()},
            criteria=[criterion_to_dict(c) for c in criteria],
            max_suppression=max_suppression,
            suppress_value=suppress_value,
            metric=metric,
            gs_factor=gs_factor,
            metrics={k: float(v) for k, v in metrics.items()},
            created_at=_dt.datetime.now(_dt.UTC).isoformat(),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Solution:
        try:
            return cls(
                attributes=[dict(a) for a in data["attributes"]],
                levels={str(k): int(v) for k, v in data["levels"].items()},
                criteria=[dict(c) for c in data["criteria"]],
                max_suppression=float(data.get("max_suppression", 0.0)),
                suppress_value=str(data.get("suppress_value", "*")),
                metric=str(data.get("metric", "loss")),
                gs_factor=float(data.get("gs_factor", 0.5)),
                metrics={str(k): float(v) for k, v in dict(data.get("metrics", {})).items()},
                created_at=str(data.get("created_at", "")),
                version=int(data.get("version", SOLUTION_VERSION)),
                aggregate=data.get("aggregate"),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InvalidInputError("not a valid anonymization solution", field="solution") from None

    def attribute_specs(self) -> list[AttributeSpec]:
        out = []
        for i, a in enumerate(self.attributes):
            h = a.get("hierarchy")
            out.append(
                AttributeSpec(
                    name=a["name"],
                    type=AttributeType(a["type"]),
                    hierarchy=Hierarchy.from_rows(h, field=f"solution.attributes[{i}].hierarchy") if h else None,
                    hierarchy_spec=h,
                    order=a.get("order"),
                    reason=a.get("reason"),
                    source=str(a.get("source", "caller")),
                    classification=a.get("class"),
                )
            )
        return out

    def criteria_objects(self) -> list[Criterion]:
        return [criterion_from_dict(c) for c in self.criteria]


def criterion_to_dict(c: Criterion) -> dict[str, Any]:
    if isinstance(c, KAnonymity):
        return {"model": "k-anonymity", "k": c.k}
    if isinstance(c, LDiversity):
        return {"model": "l-diversity", "attribute": c.attribute, "l": c.l, "variant": c.variant, "c": c.c}
    return {"model": "t-closeness", "attribute": c.attribute, "t": c.t, "distance": c.distance}


def criterion_from_dict(d: Mapping[str, Any]) -> Criterion:
    model = d.get("model")
    if model == "k-anonymity":
        return KAnonymity(int(d["k"]))
    if model == "l-diversity":
        return LDiversity(str(d["attribute"]), float(d["l"]), d.get("variant", "distinct"), d.get("c"))
    if model == "t-closeness":
        return TCloseness(str(d["attribute"]), float(d["t"]), d.get("distance", "equal"))
    raise InvalidInputError("unknown privacy model in solution", field="solution.criteria")
