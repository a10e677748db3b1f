"""DP enums and result dataclasses of the SDK (seed 001).

The enum values mirror :mod:`veil.dp.types` (a test keeps them equal); they are defined
here so the SDK does not import the DP engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class DPMechanismType(StrEnum):
    """Supported batch DP mechanisms."""

    MEAN = "mean"
    SUM = "sum"
    VARIANCE = "variance"
    COUNT = "count"
    HISTOGRAM = "histogram"
    EXPONENTIAL = "exponential"


class DPStreamMechanismType(StrEnum):
    """Supported streaming DP mechanisms."""

    COUNT = "count"
    SUM = "sum"
    MEAN = "mean"
    SLIDING_WINDOW = "sliding_window"
    TUMBLING_WINDOW = "tumbling_window"


class DPNoiseType(StrEnum):
    """Supported noise mechanisms."""

    LAPLACE = "laplace"
    GAUSSIAN = "gaussian"


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass
class DPComputeResult:
    """Result of a batch DP computation.

    ``private_value`` holds a single-column ungrouped release; otherwise ``results`` maps
    column -> value, group -> value or column -> group -> value. ``events`` itemises what
    was spent; ``guarantee`` states ``(epsilon, delta)`` per ``privacy_unit``; ``budget`` is
    the charge (its ``charge_id`` is in the budget's history) when a budget was charged.
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
    session_id: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    privacy_unit: str = "row"
    guarantee: dict[str, Any] = field(default_factory=dict)
    budget: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DPComputeResult:
        """Create from API response dict."""
        return cls(**_known(cls, data))


@dataclass
class DPStreamResult:
    """Result of a streaming DP update (``result`` is set when ``get_result`` was asked)."""

    session_id: str
    mechanism: str
    batches_processed: int
    total_count: int
    created: bool = False
    epsilon: float | None = None
    delta: float | None = None
    noise_type: str | None = None
    epsilon_spent: float = 0.0
    delta_spent: float = 0.0
    column: str | None = None
    columns: list[str] = field(default_factory=list)
    group_by: str | None = None
    window_size: int | None = None
    budget_session_id: str | None = None
    privacy_unit: str = "row"
    max_contributions: int = 1
    max_partitions: int = 1
    guarantee: dict[str, Any] = field(default_factory=dict)
    noise: dict[str, float] = field(default_factory=dict)
    result: Any = None
    budget: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DPStreamResult:
        """Create from API response dict."""
        return cls(**_known(cls, data))


@dataclass
class DPBudgetStatus:
    """Privacy budget status for a session."""

    session_id: str
    epsilon_budget: float
    delta_budget: float
    composition: str
    epsilon_spent: float = 0.0
    delta_spent: float = 0.0
    epsilon_remaining: float = 0.0
    delta_remaining: float = 0.0
    num_charges: int = 0
    privacy_unit: str | None = None
    guarantee: dict[str, Any] = field(default_factory=dict)
    charges: list[dict[str, Any]] = field(default_factory=list)
    created_at: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DPBudgetStatus:
        """Create from API response dict."""
        return cls(**_known(cls, data))


__all__ = [
    "DPBudgetStatus",
    "DPComputeResult",
    "DPMechanismType",
    "DPNoiseType",
    "DPStreamMechanismType",
    "DPStreamResult",
]
