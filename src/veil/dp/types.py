"""Enumerations and result types of :mod:`veil.dp`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class MechanismType(StrEnum):
    """Batch statistics."""

    MEAN = "mean"
    SUM = "sum"
    VARIANCE = "variance"
    COUNT = "count"
    HISTOGRAM = "histogram"
    EXPONENTIAL = "exponential"


class StreamMechanismType(StrEnum):
    """Streaming statistics (continual release)."""

    COUNT = "count"
    SUM = "sum"
    MEAN = "mean"
    SLIDING_WINDOW = "sliding_window"
    TUMBLING_WINDOW = "tumbling_window"


class NoiseType(StrEnum):
    LAPLACE = "laplace"
    GAUSSIAN = "gaussian"


class Composition(StrEnum):
    BASIC = "basic"
    RDP = "rdp"
    PLD = "pld"


@dataclass(frozen=True)
class PrivacyEvent:
    """One noisy release, as the accountants see it.

    ``kind`` is ``laplace`` (pure ``epsilon``), ``gaussian`` (``rho``-zCDP, calibrated to
    ``(epsilon, delta)``), ``exponential`` (pure ``epsilon``; also ``rho = epsilon**2 / 8``)
    or ``threshold`` (Laplace counts plus a ``delta`` from releasing data-dependent keys).
    The values are those OpenDP's privacy maps certify, so they already include the
    slack for floating-point rounding.
    """

    kind: str
    epsilon: float
    delta: float = 0.0
    rho: float | None = None
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrivacyEvent:
        return cls(
            kind=str(data["kind"]),
            epsilon=float(data["epsilon"]),
            delta=float(data.get("delta", 0.0)),
            rho=None if data.get("rho") is None else float(data["rho"]),
            label=str(data.get("label", "")),
        )


@dataclass
class DPComputeResult:
    """Result of :func:`veil.dp.compute`.

    ``private_value`` holds the release of a single-column, ungrouped query; otherwise
    ``results`` maps column -> value, group -> value, or column -> group -> value.
    ``epsilon_spent``/``delta_spent`` is the whole call under basic composition and
    ``events`` the itemised releases a budget accountant composes. ``guarantee`` states
    the call's ``(epsilon, delta)`` per ``privacy_unit`` with its contribution bounds.
    """

    mechanism: str
    noise_type: str
    epsilon_spent: float
    delta_spent: float
    private_value: Any = None
    results: dict[str, Any] | None = None
    column: str | None = None
    columns: list[str] | None = None
    group_by: str | None = None
    events: list[PrivacyEvent] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    privacy_unit: str = "row"
    guarantee: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mechanism": self.mechanism,
            "noise_type": self.noise_type,
            "epsilon_spent": self.epsilon_spent,
            "delta_spent": self.delta_spent,
            "private_value": self.private_value,
            "results": self.results,
            "column": self.column,
            "columns": self.columns,
            "group_by": self.group_by,
            "events": [e.to_dict() for e in self.events],
            "details": self.details,
            "privacy_unit": self.privacy_unit,
            "guarantee": self.guarantee,
        }
