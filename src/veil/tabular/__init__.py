"""Tabular anonymization: globally optimal full-domain generalization (ARX-compatible),
privacy models (k-anonymity, l-diversity, t-closeness), hierarchies, risk, QI detection.

Plain library: depends on numpy, pandas, pyyaml, ``veil.errors`` and ``veil.io`` only.
See ``docs/tabular.md``.
"""

from veil.tabular.anonymize import (
    AnonymizationResult,
    ApplyResult,
    PreparedAnonymization,
    anonymize,
    apply_solution,
    check_anonymize,
    prepare_anonymize,
)
from veil.tabular.autoconfig import AutoConfig, generate_config
from veil.tabular.builders import (
    auto_hierarchy,
    build_hierarchy,
    categorical_hierarchy,
    date_hierarchy,
    interval_hierarchy,
    masking_hierarchy,
    ordering_hierarchy,
)
from veil.tabular.config import AttributeSpec, AttributeType
from veil.tabular.detection import (
    Detection,
    DetectionPattern,
    builtin_patterns,
    detect_qi,
    load_builtin_patterns,
    reload_builtin_patterns,
    validate_pattern,
)
from veil.tabular.hierarchy import Hierarchy
from veil.tabular.metrics import METRIC_NAMES
from veil.tabular.partitioned import (
    PartitionCounts,
    PartitionPlan,
    anonymize_partitions,
    apply_partition,
    count_partition,
    merge_counts,
    plan_from_counts,
    plan_result,
    resolve_attributes,
    sensitive_columns,
    supports_partitioning,
)
from veil.tabular.privacy import KAnonymity, LDiversity, TCloseness
from veil.tabular.quality import QualityReport, ValidationReport, measure, validate
from veil.tabular.risk import RiskReport, calculate_risk
from veil.tabular.solution import Solution
from veil.tabular.treatment import TREATMENTS, ColumnTreatment

apply = apply_solution

__all__ = [
    "METRIC_NAMES",
    "TREATMENTS",
    "AnonymizationResult",
    "ApplyResult",
    "AttributeSpec",
    "AttributeType",
    "AutoConfig",
    "ColumnTreatment",
    "Detection",
    "DetectionPattern",
    "Hierarchy",
    "KAnonymity",
    "LDiversity",
    "PartitionCounts",
    "PartitionPlan",
    "PreparedAnonymization",
    "QualityReport",
    "RiskReport",
    "Solution",
    "TCloseness",
    "ValidationReport",
    "anonymize",
    "anonymize_partitions",
    "apply",
    "apply_partition",
    "apply_solution",
    "auto_hierarchy",
    "build_hierarchy",
    "builtin_patterns",
    "calculate_risk",
    "categorical_hierarchy",
    "check_anonymize",
    "count_partition",
    "date_hierarchy",
    "detect_qi",
    "generate_config",
    "interval_hierarchy",
    "load_builtin_patterns",
    "masking_hierarchy",
    "measure",
    "merge_counts",
    "ordering_hierarchy",
    "plan_from_counts",
    "plan_result",
    "prepare_anonymize",
    "reload_builtin_patterns",
    "resolve_attributes",
    "sensitive_columns",
    "supports_partitioning",
    "validate",
    "validate_pattern",
]
