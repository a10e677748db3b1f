"""Differential privacy endpoints: batch statistics, streams, budgets, composition advice.

Each route makes one call into :mod:`veil.service.dp` in a worker thread; no privacy
logic lives here. Route function names are the audit log's operation names.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from veil.api.deps import ServicesDep, require, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.service import dp as dp_service
from veil.service.auth import Principal

router = APIRouter(prefix="/v1/dp", tags=["dp"], responses=ERROR_RESPONSES)
DPPrincipal = Annotated[Principal, Depends(require("dp"))]
SessionPath = Annotated[str, Path(min_length=1, max_length=200)]
Data = list[dict[str, Any]] | dict[str, list[Any]] | str


class _Strict(BaseModel):
    """Unknown fields are refused and numbers are numbers (``true`` is not an epsilon of 1)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class DPComputeIn(_Strict):
    data: Data = Field(description="Inline records, a dict of columns, or a cloud URI (s3://, gs://, az://).")
    mechanism: str = "mean"
    column: str | None = None
    columns: list[str] | None = None
    group_by: str | None = None
    epsilon: float = 1.0
    delta: float = 0.0
    noise_type: str = "laplace"
    bounds: list[float] | None = None
    bins: int | None = None
    histogram_range: list[float] | None = None
    session_id: str | None = None
    predicate: str | None = Field(None, max_length=10_000)
    candidates: list[Any] | None = None
    utility_scores: list[float] | None = None
    sensitivity: float | None = None
    epsilon_map: dict[str, float] | None = None
    min_group_size: int | None = None
    group_keys: list[Any] | None = None
    categories: list[Any] | None = None
    privacy_unit: str | None = Field(None, min_length=1, max_length=200)
    max_contributions: int | None = None
    max_partitions: int | None = None


class PrivacyEventOut(BaseModel):
    kind: str
    epsilon: float
    delta: float = 0.0
    rho: float | None = None
    label: str = ""


class DPComputeOut(BaseModel):
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
    events: list[PrivacyEventOut] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    privacy_unit: str = "row"
    guarantee: dict[str, Any] = Field(default_factory=dict)
    budget: dict[str, Any] | None = None


class DPStreamIn(_Strict):
    session_id: str | None = None
    data: Data | None = None
    column: str | None = None
    columns: list[str] | None = None
    group_by: str | None = None
    group_keys: list[Any] | None = None
    mechanism: str | None = None
    epsilon: float | None = None
    delta: float | None = None
    noise_type: str | None = None
    bounds: list[float] | None = None
    get_result: bool = False
    window_size: int | None = None
    epsilon_map: dict[str, float] | None = None
    min_group_size: int | None = None
    horizon: int | None = None
    budget_session_id: str | None = None
    privacy_unit: str | None = Field(None, min_length=1, max_length=200)
    max_contributions: int | None = None
    max_partitions: int | None = None


class DPStreamOut(BaseModel):
    session_id: str
    mechanism: str
    column: str | None = None
    columns: list[str] = Field(default_factory=list)
    group_by: str | None = None
    epsilon: float
    delta: float
    noise_type: str
    window_size: int | None = None
    batches_processed: int
    total_count: int
    budget_session_id: str | None = None
    created: bool
    epsilon_spent: float
    delta_spent: float
    privacy_unit: str = "row"
    max_contributions: int = 1
    max_partitions: int = 1
    guarantee: dict[str, Any] = Field(default_factory=dict)
    noise: dict[str, float] = Field(default_factory=dict)
    result: Any = None
    budget: dict[str, Any] | None = None


class DPStreamSummaryOut(BaseModel):
    session_id: str
    mechanism: str
    column: str | None = None
    columns: list[str] = Field(default_factory=list)
    group_by: str | None = None
    epsilon: float
    delta: float
    noise_type: str
    window_size: int | None = None
    batches_processed: int
    total_count: int
    budget_session_id: str | None = None
    privacy_unit: str = "row"
    created_at: str | None = None
    updated_at: str | None = None


class DPBudgetIn(_Strict):
    session_id: str = Field(min_length=1, max_length=200)
    epsilon_budget: float
    delta_budget: float = 0.0
    composition: str = "basic"
    privacy_unit: str | None = Field(None, min_length=1, max_length=200)


class DPChargeOut(BaseModel):
    charge_id: str
    operation: str
    epsilon: float
    delta: float
    events: list[PrivacyEventOut] = Field(default_factory=list)
    created_at: str | None = None


class DPBudgetOut(BaseModel):
    session_id: str
    epsilon_budget: float
    delta_budget: float
    composition: str
    privacy_unit: str | None = None
    guarantee: dict[str, Any] = Field(default_factory=dict)
    epsilon_spent: float
    delta_spent: float
    epsilon_remaining: float
    delta_remaining: float
    num_charges: int
    charges: list[DPChargeOut] = Field(default_factory=list)
    created_at: str | None = None


class DPAdviseIn(_Strict):
    epsilon_budget: float
    num_queries: int
    delta_budget: float = 0.0
    delta_per_query: float = 0.0


@router.post("/compute", response_model=DPComputeOut, summary="Compute a differentially private statistic")
async def dp_compute(body: DPComputeIn, request: Request, services: ServicesDep, principal: DPPrincipal) -> Any:
    params = body.model_dump(exclude={"data", "session_id"})
    out = await run_in_threadpool(
        lambda: dp_service.compute(services, principal.id, body.data, session_id=body.session_id, **params)
    )
    set_audit(request, records=out.pop("record_count", None))
    return out


@router.post("/stream", response_model=DPStreamOut, summary="Feed a batch into a streaming DP session")
async def dp_stream_update(body: DPStreamIn, request: Request, services: ServicesDep, principal: DPPrincipal) -> Any:
    params = body.model_dump(exclude={"session_id", "data", "get_result", "budget_session_id"})
    out = await run_in_threadpool(
        lambda: dp_service.stream_update(
            services,
            principal.id,
            body.session_id,
            body.data,
            get_result=body.get_result,
            budget_session_id=body.budget_session_id,
            **params,
        )
    )
    set_audit(request, records=out.pop("batch_rows", None))
    return out


@router.get("/stream", response_model=list[DPStreamSummaryOut], summary="List streaming DP sessions")
async def dp_stream_list_sessions(services: ServicesDep, principal: DPPrincipal) -> Any:
    return await run_in_threadpool(dp_service.stream_list, services, principal.id)


@router.delete("/stream/{session_id}", status_code=204, summary="Delete a streaming DP session")
async def dp_stream_delete(session_id: SessionPath, services: ServicesDep, principal: DPPrincipal) -> Response:
    await run_in_threadpool(dp_service.stream_delete, services, principal.id, session_id)
    return Response(status_code=204)


@router.post("/budget", response_model=DPBudgetOut, status_code=201, summary="Create a privacy budget session")
async def dp_budget_create(body: DPBudgetIn, services: ServicesDep, principal: DPPrincipal) -> Any:
    return await run_in_threadpool(
        lambda: dp_service.budget_create(
            services, principal.id, body.session_id, body.epsilon_budget, body.delta_budget, body.composition,
            body.privacy_unit,
        )
    )


@router.get("/budget/{session_id}", response_model=DPBudgetOut, summary="Privacy budget status")
async def dp_budget_status(session_id: SessionPath, services: ServicesDep, principal: DPPrincipal) -> Any:
    return await run_in_threadpool(dp_service.budget_status, services, principal.id, session_id)


@router.get("/budget/{session_id}/charges", response_model=list[DPChargeOut],
            summary="Every charge of a privacy budget")
async def dp_budget_charges(session_id: SessionPath, services: ServicesDep, principal: DPPrincipal) -> Any:
    return await run_in_threadpool(dp_service.budget_charges, services, principal.id, session_id)


@router.get("/budget/{session_id}/charges/{charge_id}", response_model=DPChargeOut,
            summary="One charge of a privacy budget (the charge_id a query returned)")
async def dp_budget_charge(
    session_id: SessionPath, charge_id: Annotated[str, Path(min_length=1, max_length=64)],
    services: ServicesDep, principal: DPPrincipal,
) -> Any:
    return await run_in_threadpool(dp_service.budget_charge, services, principal.id, session_id, charge_id)


@router.delete("/budget/{session_id}", status_code=204, summary="Delete a privacy budget session")
async def dp_budget_delete(session_id: SessionPath, services: ServicesDep, principal: DPPrincipal) -> Response:
    await run_in_threadpool(dp_service.budget_delete, services, principal.id, session_id)
    return Response(status_code=204)


@router.post("/advise", summary="Per-query epsilon under basic, advanced, RDP and PLD composition")
async def dp_advise_composition(body: DPAdviseIn, principal: DPPrincipal) -> dict[str, Any]:
    return await run_in_threadpool(
        dp_service.advise, body.epsilon_budget, body.num_queries, body.delta_budget, body.delta_per_query
    )
