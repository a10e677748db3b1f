"""Anonymization SDK response models and enums (seed 001).

Enums (``StrEnum``) and result dataclasses with ``from_dict`` used by both
:class:`~veil.client.anonymization.AnonymizationClient` and its async twin. The DP ones
live in :mod:`veil.client.dp_models` and are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar

from veil.client.dp_models import (
    DPBudgetStatus,
    DPComputeResult,
    DPMechanismType,
    DPNoiseType,
    DPStreamMechanismType,
    DPStreamResult,
)

T = TypeVar("T")


def _known(cls: type[Any], data: dict[str, Any] | None) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in (data or {}).items() if k in names}


class PrivacyModel(StrEnum):
    """Supported privacy models."""

    K_ANONYMITY = "k-anonymity"
    L_DIVERSITY = "l-diversity"
    T_CLOSENESS = "t-closeness"


class DetectionMode(StrEnum):
    """QI detection algorithm modes (``ml``: the shipped column classifier; ``auto``: the model where it is confident)."""

    AUTO = "auto"
    ML = "ml"
    HEURISTIC = "heuristic"


class SamplingMethod(StrEnum):
    """Sampling methods for detection."""

    FAST = "fast"
    FULL = "full"
    ADAPTIVE = "adaptive"


class RiskLevel(StrEnum):
    """Risk level classifications (from the highest prosecutor risk)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class JobStatus(StrEnum):
    """Job execution status."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class AttributeClassification:
    """Classification result for a single attribute."""

    name: str
    classification: str
    confidence: float = 0.0
    reason: str = ""
    method: str = ""
    pattern: str | None = None
    uniqueness: float = 0.0
    cardinality: int = 0
    null_ratio: float = 0.0
    dtype: str = ""
    importance: float | None = None
    rank: int | None = None
    selected: bool | None = None
    """QIs: within the importance cutoff (every QI is generalized by auto-anonymization)"""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttributeClassification:
        return cls(**_known(cls, data))


@dataclass
class ModelMetrics:
    """ML model performance metrics (only present when a trained model was used)."""

    accuracy: float | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelMetrics:
        known = _known(cls, data)
        known.setdefault("details", {k: v for k, v in data.items() if k not in known})
        return cls(**known)


@dataclass
class DetectionResult:
    """Result of QI detection."""

    quasi_identifiers: list[str]
    direct_identifiers: list[str]
    sensitive_attributes: list[str]
    non_sensitive_attributes: list[str] = field(default_factory=list)
    attributes: list[AttributeClassification] = field(default_factory=list)
    model_metrics: ModelMetrics | None = None
    mode: str = "heuristic"
    sampling: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DetectionResult:
        """Create from API response dict."""
        known = _known(cls, data)
        known["attributes"] = [AttributeClassification.from_dict(a) for a in data.get("attributes", [])]
        mm = data.get("model_metrics")
        known["model_metrics"] = ModelMetrics.from_dict(mm) if mm else None
        return cls(**known)


@dataclass
class _BaseAttackerRisk:
    records_at_risk: float = 0.0
    highest_risk: float = 0.0
    average_risk: float = 0.0
    success_rate: float = 0.0

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        """Create from API response dict."""
        return cls(**_known(cls, data))


@dataclass
class ProsecutorRisk(_BaseAttackerRisk):
    """Prosecutor risk model result."""


@dataclass
class JournalistRisk(_BaseAttackerRisk):
    """Journalist risk model result (equals prosecutor without a population table)."""


@dataclass
class MarketerRisk:
    """Marketer risk model result: the expected fraction of records re-identified."""

    success_rate: float = 0.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MarketerRisk:
        """Create from API response dict."""
        return cls(**_known(cls, data))


@dataclass
class RiskResult:
    """Complete risk metrics result."""

    prosecutor: ProsecutorRisk | None
    journalist: JournalistRisk | None
    marketer: MarketerRisk | None
    k_anonymity: int
    highest_risk_level: RiskLevel
    equivalence_classes: dict[str, Any]
    sample_uniqueness: float = 0.0
    records: int = 0
    suppressed_records: int = 0
    threshold: float = 0.2
    effective_threshold: float = 0.2
    population: dict[str, Any] | None = None
    mlops: dict[str, Any] | None = None
    """MLflow tracking of the call: ``{status, run_id, error}`` (status logged, failed or off)"""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RiskResult:
        """Create from API response dict."""
        known = _known(cls, data)
        known["prosecutor"] = ProsecutorRisk.from_dict(data["prosecutor"]) if data.get("prosecutor") else None
        known["journalist"] = JournalistRisk.from_dict(data["journalist"]) if data.get("journalist") else None
        m = data.get("marketer")
        known["marketer"] = MarketerRisk(success_rate=float(m)) if isinstance(m, int | float) else (
            MarketerRisk.from_dict(m) if isinstance(m, dict) else None)
        known["highest_risk_level"] = RiskLevel(data.get("highest_risk_level", "low"))
        return cls(**known)

    def is_k_anonymous(self, k: int) -> bool:
        """Check if data satisfies k-anonymity."""
        return self.k_anonymity >= k


@dataclass
class MetricsResult:
    """Anonymization quality metrics."""

    information_loss: float
    metrics: dict[str, float] = field(default_factory=dict)
    per_attribute: dict[str, dict[str, float]] = field(default_factory=dict)
    statistics: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MetricsResult:
        """Create from API response dict."""
        return cls(**_known(cls, data))


@dataclass
class ColumnTreatment:
    """What happened to one input column of an anonymization."""

    name: str
    classification: str
    """DI, QI, SI or NSI (``class`` in the REST response)"""
    treatment: str
    """generalized, suppressed (every value replaced), removed or kept"""
    reason: str = ""
    source: str = "caller"
    """caller (listed in attributes), detection, or solution (apply of a stored solution)"""
    level: int | None = None
    height: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnTreatment:
        d = dict(data)
        d.setdefault("classification", d.pop("class", ""))
        return cls(**_known(cls, d))


def _columns(data: dict[str, Any]) -> list[ColumnTreatment]:
    return [ColumnTreatment.from_dict(c) for c in data.get("columns") or []]


@dataclass
class AnonymizeResult:
    """Result of anonymization operation."""

    row_count: int
    suppressed_count: int
    metrics: dict[str, float]
    job_id: str
    """Solution identifier for apply_anon()"""
    data: list[dict[str, Any]] | None = None
    result_path: str | None = None
    """Cloud storage URI if saved to cloud"""
    levels: dict[str, int] = field(default_factory=dict)
    information_loss: float = 0.0
    privacy_model: str = "k-anonymity"
    optimal: bool = True
    statistics: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    columns: list[ColumnTreatment] = field(default_factory=list)
    """Every input column's treatment"""
    mlops: dict[str, Any] | None = None
    """MLflow tracking: ``{status, run_id, error}`` plus the registered model version"""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnonymizeResult:
        """Create from API response dict."""
        return cls(**{**_known(cls, data), "columns": _columns(data)})

    def to_dataframe(self) -> Any:
        """The inline data as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.data or [])


@dataclass
class ApplyResult:
    """Result of applying a saved anonymization solution to new data."""

    row_count: int
    suppressed_count: int
    source_job_id: str
    privacy_model: str
    data: list[dict[str, Any]] | None = None
    result_path: str | None = None
    levels: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    within_suppression_limit: bool = True
    statistics: dict[str, Any] = field(default_factory=dict)
    columns: list[ColumnTreatment] = field(default_factory=list)
    """Every input column's treatment (columns the solution does not know are removed)"""
    mlops: dict[str, Any] | None = None
    """MLflow tracking of the call: ``{status, run_id, error}``"""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApplyResult:
        """Create from API response dict."""
        return cls(**{**_known(cls, data), "columns": _columns(data)})


@dataclass
class ValidationResult:
    """Result of privacy validation."""

    is_valid: bool
    model_type: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    statistics: dict[str, Any] = field(default_factory=dict)
    violation_count: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ValidationResult:
        """Create from API response dict."""
        return cls(**_known(cls, data))


@dataclass
class AutoConfigResult:
    """Result of auto-configuration generation."""

    detection: DetectionResult
    anonymize_request: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AutoConfigResult:
        """Create from API response dict."""
        return cls(DetectionResult.from_dict(data["detection"]), dict(data["anonymize_request"]))


@dataclass
class AutoAnonymizeResult:
    """Result of combined detection + anonymization."""

    detection: DetectionResult
    configuration: dict[str, Any]
    anonymization: AnonymizeResult

    @property
    def data(self) -> list[dict[str, Any]] | None:
        return self.anonymization.data

    @property
    def job_id(self) -> str:
        return self.anonymization.job_id

    @property
    def columns(self) -> list[ColumnTreatment]:
        """Every input column's treatment."""
        return self.anonymization.columns

    @property
    def mlops(self) -> dict[str, Any] | None:
        """MLflow tracking of the anonymization."""
        return self.anonymization.mlops

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AutoAnonymizeResult:
        """Create from API response dict."""
        return cls(
            DetectionResult.from_dict(data["detection"]),
            dict(data.get("configuration", {})),
            AnonymizeResult.from_dict(data["anonymization"]),
        )


@dataclass
class Pattern:
    """Detection pattern for automatic QI classification."""

    id: str
    name: str
    classification: str
    column_patterns: list[str]
    priority: int = 50
    value_patterns: list[str] = field(default_factory=list)
    min_match_ratio: float = 0.8
    description: str | None = None
    builtin: bool = False
    created_at: str | None = None
    updated_at: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pattern:
        """Create from API response dict."""
        return cls(**_known(cls, data))


@dataclass
class PatternListResult:
    """Result of pattern list operation."""

    patterns: list[Pattern]
    total: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PatternListResult:
        """Create from API response dict."""
        return cls([Pattern.from_dict(p) for p in data.get("patterns", [])], int(data.get("total", 0)))


@dataclass
class JobResponse:
    """Response for job submission."""

    job_id: str
    status: JobStatus
    message: str | None = None
    created_at: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobResponse:
        """Create from API response dict."""
        known = _known(cls, data)
        known["status"] = JobStatus(known["status"])
        return cls(**known)


@dataclass
class JobStatusResponse:
    """Response for job status query (``context["result"]`` holds a completed job's result)."""

    job_id: str
    status: JobStatus
    progress: float = 0.0
    message: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    completed_at: str | None = None
    result_path: str | None = None
    error: str | None = None
    step: str | None = None
    started_at: str | None = None
    kind: str | None = None
    context: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobStatusResponse:
        """Create from API response dict."""
        known = _known(cls, data)
        known["status"] = JobStatus(known["status"])
        known["context"] = dict(known.get("context") or {})
        return cls(**known)

    @property
    def is_terminal(self) -> bool:
        return self.status in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


@dataclass
class JobHistoryEntry:
    """A single point-in-time snapshot from the job audit trail."""

    job_id: str
    sequence: int
    status: JobStatus
    progress: float = 0.0
    step: str | None = None
    message: str | None = None
    timestamp: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobHistoryEntry:
        """Create from API response dict."""
        known = _known(cls, data)
        known["status"] = JobStatus(known["status"])
        return cls(**known)


@dataclass
class JobListResult:
    """Paginated list of jobs."""

    jobs: list[JobStatusResponse]
    total: int
    limit: int
    offset: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobListResult:
        """Create from API response dict."""
        return cls([JobStatusResponse.from_dict(j) for j in data.get("jobs", [])], int(data.get("total", 0)),
                   int(data.get("limit", 0)), int(data.get("offset", 0)))


@dataclass
class AuditEntry:
    """A single audit log entry (operation, outcome, duration and counts; never values)."""

    id: str
    timestamp: str
    operation: str
    status: str
    principal: str | None = None
    status_code: int | None = None
    method: str | None = None
    path: str | None = None
    duration_ms: float = 0.0
    record_count: int | None = None
    job_id: str | None = None
    error_message: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditEntry:
        """Create from API response dict."""
        return cls(**_known(cls, data))


__all__ = [
    "AnonymizeResult",
    "ApplyResult",
    "AttributeClassification",
    "AuditEntry",
    "AutoAnonymizeResult",
    "AutoConfigResult",
    "ColumnTreatment",
    "DPBudgetStatus",
    "DPComputeResult",
    "DPMechanismType",
    "DPNoiseType",
    "DPStreamMechanismType",
    "DPStreamResult",
    "DetectionMode",
    "DetectionResult",
    "JobHistoryEntry",
    "JobListResult",
    "JobResponse",
    "JobStatus",
    "JobStatusResponse",
    "JournalistRisk",
    "MarketerRisk",
    "MetricsResult",
    "ModelMetrics",
    "Pattern",
    "PatternListResult",
    "PrivacyModel",
    "ProsecutorRisk",
    "RiskLevel",
    "RiskResult",
    "SamplingMethod",
    "ValidationResult",
]
