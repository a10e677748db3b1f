"""The audit log: list with filters (operation, status), paginated; one entry by id."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool

from veil.api.deps import ServicesDep, require
from veil.api.errors import ERROR_RESPONSES
from veil.api.params import MAX_INT, PathId
from veil.api.schemas import AuditEntryOut, AuditListOut
from veil.service.auth import Principal

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=ERROR_RESPONSES)
AuditPrincipal = Annotated[Principal, Depends(require("audit"))]


@router.get("", response_model=AuditListOut, summary="List audit entries, newest first")
async def audit_list(
    services: ServicesDep,
    principal: AuditPrincipal,
    operation: Annotated[str | None, Query(max_length=128)] = None,
    status: Annotated[Literal["success", "error"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> AuditListOut:
    out = await run_in_threadpool(
        lambda: services.audit.list(
            principal.id, operation=operation, status=status, limit=limit, offset=offset
        )
    )
    return AuditListOut.model_validate(out)


@router.get("/{entry_id}", response_model=AuditEntryOut, summary="One audit entry")
async def audit_get(entry_id: PathId, services: ServicesDep, principal: AuditPrincipal) -> AuditEntryOut:
    return AuditEntryOut.model_validate(await run_in_threadpool(services.audit.get, entry_id, principal.id))
