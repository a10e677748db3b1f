"""Record-linkage hashing endpoints with the exact paths and shapes of seed 000.

``/projects/{project_id}`` (create, delete), ``/projects`` (list), ``/projects/{id}/clks/``
(upload a CSV; status of every range), ``/projects/{id}/clks/{offset}/{limit}`` (fetch,
delete). Each route makes one call into :mod:`veil.service.pprl` in a worker thread. Keys
may come as query parameters (as in the seed), headers or the JSON body; they are never
echoed, logged or audited (the audit log stores the route template, not the query string).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from veil.api.deps import ServicesDep, require, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.api.params import MAX_INT, PathIndex
from veil.errors import InvalidInputError
from veil.service import pprl as pprl_service
from veil.service.auth import Principal
from veil.service.container import Services

router = APIRouter(tags=["pprl"], responses=ERROR_RESPONSES)
PprlPrincipal = Annotated[Principal, Depends(require("pprl"))]
ProjectPath = Annotated[str, Path(min_length=1, max_length=128, description="Project id")]
LimitPath = Annotated[int, Path(ge=0, le=MAX_INT, description="Number of records")]
KeyQuery = Annotated[str | None, Query(max_length=pprl_service.MAX_KEY_CHARS)]


class ProjectOut(BaseModel):
    project_id: str
    mode: str
    schema_version: int
    features: int
    created_at: str


class ProjectsOut(BaseModel):
    projects: list[str]


class UploadOut(BaseModel):
    clk_number: int
    clk_start_index: int


class RangeStatus(BaseModel):
    index: int
    count: int
    status: str


class StatusOut(BaseModel):
    clks_status: list[RangeStatus]


class ClkEntry(BaseModel):
    index: int
    status: str
    hash: str | None
    errMsg: str | None  # the seed's field name


class ClksOut(BaseModel):
    clks: list[ClkEntry]


def _pick(name: str, *candidates: Any) -> str | None:
    values = {v for v in candidates if v is not None}
    if len(values) > 1:
        raise InvalidInputError(f"'{name}' was given twice with different values", field=name)
    value = values.pop() if values else None
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"'{name}' must be a string", field=name)
    return value


@router.post(
    "/projects/{project_id}",
    status_code=201,
    summary="Create a project from a linkage schema and keys (key1/key2, or secret)",
)
async def create_pprl_project(
    project_id: ProjectPath,
    services: ServicesDep,
    principal: PprlPrincipal,
    body: Annotated[
        dict[str, Any],
        Body(description="The linkage schema (v1, v2 or v3), or {'schema': ..., 'key1'/'key2' or 'secret'}"),
    ],
    key1: KeyQuery = None,
    key2: KeyQuery = None,
    secret: KeyQuery = None,
    x_pprl_key1: Annotated[str | None, Header(alias="X-PPRL-Key1", max_length=4096)] = None,
    x_pprl_key2: Annotated[str | None, Header(alias="X-PPRL-Key2", max_length=4096)] = None,
    x_pprl_secret: Annotated[str | None, Header(alias="X-PPRL-Secret", max_length=4096)] = None,
) -> ProjectOut:
    schema: Any = body
    body_keys: dict[str, Any] = {}
    if "schema" in body and "features" not in body:
        extra = set(body) - {"schema", "key1", "key2", "secret"}
        if extra:
            raise InvalidInputError(f"unknown property '{sorted(extra)[0]}'", field=sorted(extra)[0])
        schema = body["schema"]
        body_keys = body
    out = await run_in_threadpool(
        pprl_service.create_project,
        services,
        principal.id,
        project_id,
        schema,
        key1=_pick("key1", key1, x_pprl_key1, body_keys.get("key1")),
        key2=_pick("key2", key2, x_pprl_key2, body_keys.get("key2")),
        secret=_pick("secret", secret, x_pprl_secret, body_keys.get("secret")),
    )
    return ProjectOut.model_validate(out)


@router.get("/projects", summary="List the caller's projects")
async def list_pprl_projects(services: ServicesDep, principal: PprlPrincipal) -> ProjectsOut:
    return ProjectsOut(projects=await run_in_threadpool(pprl_service.list_projects, services, principal.id))


@router.delete(
    "/projects/{project_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a project with all its CLKs and raw rows; abort its hashing jobs",
)
async def delete_pprl_project(project_id: ProjectPath, services: ServicesDep, principal: PprlPrincipal) -> Response:
    await run_in_threadpool(pprl_service.delete_project, services, principal.id, project_id)
    return Response(status_code=204)


async def _stream_upload(request: Request, services: Services, key: str) -> int:
    """Copy the request body into the object store as it arrives (never whole in memory)."""
    size = 0
    writer = services.store.writer(key)
    fh = await run_in_threadpool(writer.__enter__)
    try:
        async for block in request.stream():
            if block:
                await run_in_threadpool(fh.write, block)
                size += len(block)
    except BaseException as exc:
        await run_in_threadpool(writer.__exit__, type(exc), exc, exc.__traceback__)
        raise
    await run_in_threadpool(writer.__exit__, None, None, None)
    return size


@router.post(
    "/projects/{project_id}/clks/",
    summary="Upload CSV records (the raw body) to be hashed in the background",
    openapi_extra={"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def upload_pprl_clks(
    project_id: ProjectPath,
    services: ServicesDep,
    principal: PprlPrincipal,
    request: Request,
    header: Annotated[bool, Query(description="The first row names the features")] = True,
) -> UploadOut:
    await run_in_threadpool(pprl_service.require_project, services, principal.id, project_id)
    key = pprl_service.upload_key()
    await _stream_upload(request, services, key)
    out = await run_in_threadpool(
        pprl_service.ingest_upload, services, principal.id, project_id, key, header=header
    )
    set_audit(request, records=out["clk_number"])
    return UploadOut.model_validate(out)


router.add_api_route(
    "/projects/{project_id}/clks",
    upload_pprl_clks,
    methods=["POST"],
    include_in_schema=False,
    response_model=UploadOut,
)


@router.get("/projects/{project_id}/clks", summary="Status of every range of records")
async def get_pprl_clks_status(project_id: ProjectPath, services: ServicesDep, principal: PprlPrincipal) -> StatusOut:
    ranges = await run_in_threadpool(pprl_service.clks_status, services, principal.id, project_id)
    return StatusOut.model_validate({"clks_status": ranges})


@router.get("/projects/{project_id}/clks/{offset}/{limit}", summary="Fetch CLKs by index range")
async def get_pprl_clks(
    project_id: ProjectPath,
    offset: PathIndex,
    limit: LimitPath,
    services: ServicesDep,
    principal: PprlPrincipal,
    request: Request,
) -> ClksOut:
    clks = await run_in_threadpool(pprl_service.get_clks, services, principal.id, project_id, offset, limit)
    set_audit(request, records=len(clks))
    return ClksOut.model_validate({"clks": clks})


@router.delete(
    "/projects/{project_id}/clks/{offset}/{limit}",
    status_code=204,
    response_class=Response,
    summary="Delete CLKs by index range; cancel pending hashing and delete raw rows",
)
async def delete_pprl_clks(
    project_id: ProjectPath,
    offset: PathIndex,
    limit: LimitPath,
    services: ServicesDep,
    principal: PprlPrincipal,
    request: Request,
) -> Response:
    count = await run_in_threadpool(pprl_service.delete_clks, services, principal.id, project_id, offset, limit)
    set_audit(request, records=count)
    return Response(status_code=204)
