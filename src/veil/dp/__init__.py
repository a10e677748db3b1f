"""Differential privacy on OpenDP: batch statistics, privacy budgets, continual-release
streams and composition advice. A plain library (no web, database or job imports)."""

from veil.dp.compute import compute
from veil.dp.types import (
    Composition,
    DPComputeResult,
    MechanismType,
    NoiseType,
    PrivacyEvent,
    StreamMechanismType,
)

__all__ = [
    "Composition",
    "DPComputeResult",
    "MechanismType",
    "NoiseType",
    "PrivacyEvent",
    "StreamMechanismType",
    "compute",
]
