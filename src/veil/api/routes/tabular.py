"""Tabular anonymization endpoints (seed 001): detection, configuration, risk, anonymization
(sync and jobs), stored solutions, validation, measurement and detection patterns.

Each route makes one call into :mod:`veil.service.tabular` in a worker thread. Job status,
history, listing and cancellation are the foundation's ``/v1/jobs`` endpoints. Route
function names are the audit log's operation names.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from veil.api.deps import ServicesDep, require, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.api.params import MAX_INT
from veil.service import mlops
from veil.service import tabular as svc
from veil.service.auth import Principal

router = APIRouter(prefix="/v1/tabular", tags=["tabular"], responses=ERROR_RESPONSES)
Detect = Annotated[Principal, Depends(require("detect"))]
Risk = Annotated[Principal, Depends(require("risk"))]
Anon = Annotated[Principal, Depends(require("anonymize"))]
Validate = Annotated[Principal, Depends(require("validate"))]
Measure = Annotated[Principal, Depends(require("measure"))]
Patterns = Annotated[Principal, Depends(require("patterns"))]
IdPath = Annotated[str, Path(min_length=1, max_length=210)]

Data = list[dict[str, Any]] | dict[str, list[Any]] | str
DATA_DOC = "Inline records, a dict of columns, or a cloud URI (s3://, gs://, az://) the server reads."
Model = str | list[str]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class DetectIn(_In):
    data: Data = Field(description=DATA_DOC)
    mode: str = "auto"
    sampling_method: str = "fast"
    cumulative_importance_threshold: float = 0.8
    max_quasi_identifiers: int = Field(10, ge=0, le=10_000)
    uniqueness_threshold: float = 0.95
    known_identifiers: list[str] | None = None
    known_sensitive: list[str] | None = None
    ignore_columns: list[str] | None = None


class DetectOut(_Out):
    quasi_identifiers: list[str]
    direct_identifiers: list[str]
    sensitive_attributes: list[str]
    non_sensitive_attributes: list[str]
    attributes: list[dict[str, Any]]
    mode: str
    sampling: dict[str, Any]
    model_metrics: dict[str, Any] | None = None


class ConfigIn(_In):
    data: Data = Field(description=DATA_DOC)
    privacy_model: Model = "k-anonymity"
    k: int | None = Field(5, ge=1, le=MAX_INT)
    l: float | None = None
    t: float | None = None
    mode: str = "auto"
    max_suppression: float = 0.0
    diversity_type: str = "distinct"
    distance_metric: str = "equal"
    sampling_method: str = "fast"
    known_identifiers: list[str] | None = None
    known_sensitive: list[str] | None = None
    ignore_columns: list[str] | None = None


class ConfigOut(_Out):
    detection: DetectOut
    anonymize_request: dict[str, Any]


class RiskIn(_In):
    data: Data = Field(description=DATA_DOC)
    quasi_identifiers: list[str] | None = None
    risk_threshold: float = 0.2
    suppress_value: str = "*"
    include_prosecutor: bool = True
    include_journalist: bool = True
    include_marketer: bool = True
    population_size: float | None = Field(None, gt=0)
    sampling_fraction: float | None = None
    mlops_config: dict[str, Any] | None = None


class MlopsOut(_Out):
    status: str = Field(description="logged, failed (the call still succeeded; see error) or off")
    run_id: str | None = None
    error: str | None = None


MLOPS_DOC = "MLflow tracking of this call (docs/tabular.md, MLOps tracking and the model registry)"


class AttackerRiskOut(BaseModel):
    records_at_risk: float
    highest_risk: float
    average_risk: float
    success_rate: float


class RiskOut(_Out):
    records: int
    suppressed_records: int
    threshold: float
    effective_threshold: float
    prosecutor: AttackerRiskOut | None = None
    journalist: AttackerRiskOut | None = None
    marketer: float | None = None
    sample_uniqueness: float
    equivalence_classes: dict[str, Any]
    k_anonymity: int
    highest_risk_level: str
    population: dict[str, Any] | None = None
    mlops: MlopsOut | None = Field(None, description=MLOPS_DOC)


class AnonymizeIn(_In):
    data: Data = Field(description=DATA_DOC)
    privacy_model: Model = "k-anonymity"
    k: int | None = Field(
        None, ge=1, le=MAX_INT,
        description="Required with k-anonymity (missing or null is a 400); default 5 for l-diversity / t-closeness "
        "alone, where null means no k-anonymity.",
    )
    l: float | None = None
    t: float | None = None
    c: float | None = None
    attributes: list[dict[str, Any]] | None = Field(
        None, description="[{name, type: quasi_identifier|sensitive|identifier|insensitive, hierarchy}] where a "
        "hierarchy is rows [[value, level1, ..., '*']], a cloud URI of such a CSV, or a builder spec "
        "({type: intervals|masking|dates|ordering|categorical|flat, ...}). Columns not listed are typed by "
        "detection: identifiers removed, quasi-identifiers generalized, only confidently non-sensitive ones kept."
    )
    max_suppression: float = 0.0
    output_uri: str | None = Field(None, description="Cloud URI to write the result to instead of returning it.")
    output_format: str = "csv"
    mlops_config: dict[str, Any] | None = None
    diversity_type: str | None = None
    distance_metric: str | None = None
    metric: str | None = Field(
        None, description="loss (default), discernibility, precision, aecs, entropy (ARX's monotonic non-uniform "
        "entropy), entropy_nm (non-monotonic), height",
    )
    aggregate: str | None = Field(
        None, description="For loss, precision, entropy, entropy_nm, height: sum, max, arithmetic_mean, "
        "geometric_mean or rank (ARX's RANK: per-attribute values sorted descending, compared "
        "lexicographically). Default: the metric's ARX default.",
    )
    suppress_value: str | None = None
    gs_factor: float | None = None
    use_lattice_search: bool | None = None
    max_lattice_size: int | None = Field(None, ge=1, le=10_000_000)
    time_limit: float | None = Field(None, gt=0)

    def options(self) -> dict[str, Any]:
        keys = ("c", "diversity_type", "distance_metric", "metric", "suppress_value", "gs_factor",
                "use_lattice_search", "max_lattice_size", "time_limit", "aggregate")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}

    def k_value(self) -> int | None:
        return svc.request_k(self.privacy_model, self.k, "k" in self.model_fields_set)


class ColumnOut(_Out):
    """What happened to one input column."""

    name: str
    class_: str = Field(alias="class", description="DI, QI, SI or NSI")
    treatment: str = Field(description="generalized, suppressed, removed or kept")
    reason: str
    source: str = Field(description="caller (listed in attributes), detection, or solution")
    level: int | None = None
    height: int | None = None

    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True)


class AnonymizeOut(_Out):
    job_id: str
    columns: list[ColumnOut] = Field(description="Every input column's treatment")
    data: list[dict[str, Any]] | None = None
    result_path: str | None = None
    row_count: int
    suppressed_count: int
    levels: dict[str, int]
    metrics: dict[str, float]
    information_loss: float
    privacy_model: str
    optimal: bool
    statistics: dict[str, Any]
    search: dict[str, Any]
    mlops: MlopsOut | None = Field(None, description=MLOPS_DOC)


class JobOut(_Out):
    job_id: str
    status: str
    message: str | None = None
    created_at: str | None = None


class ApplyIn(_In):
    data: Data = Field(description=DATA_DOC)
    mlops_config: dict[str, Any] | None = None
    output_uri: str | None = None
    output_format: str = "csv"


class ApplyOut(_Out):
    source_job_id: str
    privacy_model: str
    columns: list[ColumnOut] = Field(description="Every input column's treatment")
    data: list[dict[str, Any]] | None = None
    result_path: str | None = None
    row_count: int
    suppressed_count: int
    levels: dict[str, int]
    metrics: dict[str, float]
    within_suppression_limit: bool
    mlops: MlopsOut | None = Field(None, description=MLOPS_DOC)


class ModelsOut(_Out):
    models: list[dict[str, Any]]
    count: int
    total: int


class AutoIn(_In):
    data: Data = Field(description=DATA_DOC)
    privacy_model: Model = "k-anonymity"
    k: int | None = Field(5, ge=1, le=MAX_INT)
    l: float | None = None
    t: float | None = None
    mode: str = "auto"
    mlops_config: dict[str, Any] | None = None
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="max_suppression, sampling_method, use_lattice_search, metric, output_uri, output_format, "
        "diversity_type, distance_metric, known_identifiers, known_sensitive, ignore_columns, ...",
    )


class AutoOut(_Out):
    detection: DetectOut
    configuration: dict[str, Any]
    anonymization: AnonymizeOut
    mlops: MlopsOut | None = Field(None, description=MLOPS_DOC)


class ValidateIn(_In):
    data: Data = Field(description=DATA_DOC)
    quasi_identifiers: list[str] | None = None
    privacy_model: Model = "k-anonymity"
    k: int | None = Field(5, ge=1, le=MAX_INT)
    l: float | None = None
    t: float | None = None
    c: float | None = None
    sensitive_attributes: list[str] | None = None
    diversity_type: str = "distinct"
    distance_metric: str = "equal"
    suppress_value: str = "*"


class ValidateOut(_Out):
    is_valid: bool
    model_type: str
    violations: list[dict[str, Any]]
    violation_count: int
    statistics: dict[str, Any]


class MeasureIn(_In):
    original_data: Data = Field(description=DATA_DOC)
    anonymized_data: Data = Field(description=DATA_DOC)
    quasi_identifiers: list[str] | None = None
    suppress_value: str = "*"


class MeasureOut(_Out):
    information_loss: float
    metrics: dict[str, float]
    per_attribute: dict[str, dict[str, float]]
    statistics: dict[str, Any]


#: A regular expression of a pattern (a constrained str: pydantic refuses a lone surrogate,
#: which would otherwise be stored and break every later read).
PatternRegex = Annotated[str, Field(min_length=1, max_length=10_000)]


class PatternIn(_In):
    name: str = Field(min_length=1, max_length=200)
    classification: str
    column_patterns: list[PatternRegex]
    priority: int = 50
    value_patterns: list[PatternRegex] | None = None
    min_match_ratio: float = 0.8
    description: str | None = Field(None, max_length=2000)


class PatternPatch(_In):
    name: str | None = Field(None, min_length=1, max_length=200)
    classification: str | None = None
    column_patterns: list[PatternRegex] | None = None
    priority: int | None = None
    value_patterns: list[PatternRegex] | None = None
    min_match_ratio: float | None = None
    description: str | None = Field(None, max_length=2000)


class PatternOut(_Out):
    id: str
    name: str
    classification: str
    column_patterns: list[str]
    value_patterns: list[str]
    priority: int
    min_match_ratio: float
    description: str | None = None
    builtin: bool = False
    created_at: str | None = None
    updated_at: str | None = None


class PatternListOut(_Out):
    patterns: list[PatternOut]
    total: int


class PatternsImportIn(_In):
    content: str = Field(max_length=4 * 1024 * 1024, description="YAML text of a patterns file (docs/tabular.md)")


def _audit(request: Request, out: dict[str, Any], job_id: str | None = None) -> dict[str, Any]:
    set_audit(request, records=out.pop("record_count", None), job_id=job_id)
    return out


@router.post("/detect", response_model=DetectOut, summary="Classify columns as DI / QI / SI / NSI")
async def detect_qi(body: DetectIn, request: Request, services: ServicesDep, principal: Detect) -> Any:
    opts = body.model_dump(exclude={"data"})
    out = await run_in_threadpool(lambda: svc.detect(services, principal.id, body.data, **opts))
    return _audit(request, out)


@router.post("/config", response_model=ConfigOut, summary="Generate a ready-to-use anonymization request")
async def generate_config(body: ConfigIn, request: Request, services: ServicesDep, principal: Detect) -> Any:
    opts = body.model_dump(exclude={"data"}, exclude_none=True)
    opts["k"] = body.k  # an explicit null k is refused with k-anonymity, never defaulted
    out = await run_in_threadpool(lambda: svc.generate_config(services, principal.id, body.data, **opts))
    return _audit(request, out)


@router.post("/risk", response_model=RiskOut, summary="Re-identification risk (prosecutor, journalist, marketer)")
async def calculate_risk(body: RiskIn, request: Request, services: ServicesDep, principal: Risk) -> Any:
    opts = body.model_dump(exclude={"data", "quasi_identifiers"})
    out = await run_in_threadpool(
        lambda: svc.risk(services, principal.id, body.data, body.quasi_identifiers, **opts)
    )
    return _audit(request, out)


@router.post("/anonymize", response_model=AnonymizeOut, summary="Anonymize now (optimal generalization)")
async def anonymize_sync(body: AnonymizeIn, request: Request, services: ServicesDep, principal: Anon) -> Any:
    out = await run_in_threadpool(
        lambda: svc.anonymize(
            services, principal.id, body.data, privacy_model=body.privacy_model, k=body.k_value(), l=body.l, t=body.t,
            attributes=body.attributes, max_suppression=body.max_suppression, output_uri=body.output_uri,
            output_format=body.output_format, mlops_config=body.mlops_config, **body.options(),
        )
    )
    set_audit(request, records=out["row_count"], job_id=out["job_id"])
    return out


@router.post("/jobs", response_model=JobOut, status_code=202, summary="Submit an anonymization job")
async def submit_job(body: AnonymizeIn, request: Request, services: ServicesDep, principal: Anon) -> Any:
    out = await run_in_threadpool(
        lambda: svc.submit(
            services, principal.id, body.data, privacy_model=body.privacy_model, k=body.k_value(), l=body.l, t=body.t,
            attributes=body.attributes, max_suppression=body.max_suppression, output_uri=body.output_uri,
            output_format=body.output_format, mlops_config=body.mlops_config, **body.options(),
        )
    )
    return _audit(request, out, job_id=out["job_id"])


@router.post("/models/{job_id}/apply", response_model=ApplyOut, summary="Apply a stored solution to new data")
async def apply_anon(job_id: IdPath, body: ApplyIn, request: Request, services: ServicesDep, principal: Anon) -> Any:
    out = await run_in_threadpool(
        lambda: svc.apply(services, principal.id, job_id, body.data, mlops_config=body.mlops_config,
                          output_uri=body.output_uri, output_format=body.output_format)
    )
    set_audit(request, records=out["row_count"], job_id=job_id[:36])
    return out


@router.get("/models", response_model=ModelsOut, summary="Anonymization models in production (MLflow registry)")
async def list_models(
    services: ServicesDep,
    principal: Anon,
    model_type: Annotated[str | None, Query(max_length=64)] = None,
    all_metrics: bool = False,
    tracking_uri: Annotated[str | None, Query(max_length=2000)] = None,
    promotion_metric: Annotated[str | None, Query(max_length=250)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> Any:
    return await run_in_threadpool(
        lambda: mlops.list_models(services.settings, principal.id, model_type=model_type, all_metrics=all_metrics,
                                  tracking_uri=tracking_uri, promotion_metric=promotion_metric,
                                  limit=limit, offset=offset)
    )


@router.post("/auto-anonymize", response_model=AutoOut, summary="Detect quasi-identifiers and anonymize")
async def auto_anonymize(body: AutoIn, request: Request, services: ServicesDep, principal: Anon) -> Any:
    out = await run_in_threadpool(
        lambda: svc.auto_anonymize(
            services, principal.id, body.data, privacy_model=body.privacy_model, k=body.k, l=body.l, t=body.t,
            mode=body.mode, mlops_config=body.mlops_config, **body.options,
        )
    )
    return _audit(request, out, job_id=out["anonymization"]["job_id"])


@router.post("/validate", response_model=ValidateOut, summary="Check k / l / t and list violating classes")
async def validate(body: ValidateIn, request: Request, services: ServicesDep, principal: Validate) -> Any:
    opts = body.model_dump(exclude={"data"})
    out = await run_in_threadpool(lambda: svc.validate(services, principal.id, body.data, **opts))
    return _audit(request, out)


@router.post("/measure", response_model=MeasureOut, summary="Quality of an anonymized table against its original")
async def measure(body: MeasureIn, request: Request, services: ServicesDep, principal: Measure) -> Any:
    out = await run_in_threadpool(
        lambda: svc.measure(services, principal.id, body.original_data, body.anonymized_data,
                            body.quasi_identifiers, suppress_value=body.suppress_value)
    )
    return _audit(request, out)


@router.post("/patterns", response_model=PatternOut, status_code=201, summary="Create a custom detection pattern")
async def create_pattern(body: PatternIn, services: ServicesDep, principal: Patterns) -> Any:
    return await run_in_threadpool(svc.create_pattern, services, principal.id, body.model_dump())


@router.get("/patterns", response_model=PatternListOut, summary="List custom (and optionally built-in) patterns")
async def list_patterns(
    services: ServicesDep,
    principal: Patterns,
    classification: Annotated[str | None, Query(max_length=8)] = None,
    include_builtin: bool = False,
) -> Any:
    return await run_in_threadpool(svc.list_patterns, services, principal.id, classification, include_builtin)


@router.post("/patterns/reload", summary="Re-read the built-in patterns and the caller's patterns file")
async def reload_patterns(services: ServicesDep, principal: Patterns) -> dict[str, Any]:
    return await run_in_threadpool(svc.reload_patterns, services, principal.id)


@router.post("/patterns/export", summary="Write the caller's custom patterns to their YAML patterns file")
async def export_patterns(services: ServicesDep, principal: Patterns) -> dict[str, Any]:
    return await run_in_threadpool(svc.export_patterns, services, principal.id)


@router.post("/patterns/import", summary="Replace the caller's custom patterns (and file) with a YAML file")
async def import_patterns(body: PatternsImportIn, services: ServicesDep, principal: Patterns) -> dict[str, Any]:
    return await run_in_threadpool(svc.import_patterns, services, principal.id, body.content)


@router.delete("/patterns", summary="Delete every custom pattern (built-in ones are unaffected)")
async def delete_all_patterns(services: ServicesDep, principal: Patterns) -> dict[str, Any]:
    return await run_in_threadpool(svc.delete_all_patterns, services, principal.id)


@router.get("/patterns/{pattern_id}", response_model=PatternOut, summary="Get a pattern")
async def get_pattern(pattern_id: IdPath, services: ServicesDep, principal: Patterns) -> Any:
    return await run_in_threadpool(svc.get_pattern, services, principal.id, pattern_id)


@router.patch("/patterns/{pattern_id}", response_model=PatternOut, summary="Update a custom pattern")
async def update_pattern(pattern_id: IdPath, body: PatternPatch, services: ServicesDep, principal: Patterns) -> Any:
    return await run_in_threadpool(
        svc.update_pattern, services, principal.id, pattern_id, body.model_dump(exclude_none=True)
    )


@router.delete("/patterns/{pattern_id}", summary="Delete a custom pattern")
async def delete_pattern(pattern_id: IdPath, services: ServicesDep, principal: Patterns) -> dict[str, Any]:
    return await run_in_threadpool(svc.delete_pattern, services, principal.id, pattern_id)
