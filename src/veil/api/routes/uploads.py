"""Uploads: ``POST /v1/uploads`` streams a raw CSV, Parquet or JSON Lines body into the object
store and answers ``{"data": "veil://uploads/<id>", "rows": n, ...}``; that URI is accepted as
``data`` by every route, for the uploading principal only. See :mod:`veil.service.uploads`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from veil.api.deps import PrincipalDep, ServicesDep, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.api.params import MAX_INT, PathId
from veil.service import uploads as svc
from veil.store.models.uploads import Upload

router = APIRouter(prefix="/v1/uploads", tags=["uploads"], responses=ERROR_RESPONSES)

#: Chunks of the body are gathered to this size before each write to the object store.
WRITE_CHUNK = 4 * 1024 * 1024


class UploadOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    data: str = Field(description="The URI to send as `data`: veil://uploads/<id>.")
    format: str
    rows: int
    columns: int
    bytes: int
    created_at: str
    expires_at: str


class UploadListOut(BaseModel):
    uploads: list[UploadOut]
    total: int


class DeletedOut(BaseModel):
    deleted: str
    data: str


@router.post(
    "",
    response_model=UploadOut,
    status_code=201,
    summary="Upload a table (raw CSV, Parquet or JSON Lines body, streamed)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string", "format": "binary"}},
                "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
                "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def create_upload(
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    format: Annotated[str | None, Query(max_length=16, description="csv, parquet or jsonl")] = None,
) -> Any:
    fmt = svc.upload_format(request.headers.get("content-type"), format)
    sink = await run_in_threadpool(svc.UploadSink, services, principal.id, fmt)
    try:
        buffer = bytearray()
        async for chunk in request.stream():
            buffer += chunk
            if len(buffer) >= WRITE_CHUNK:
                data, buffer = bytes(buffer), bytearray()
                await run_in_threadpool(sink.write, data)
        if buffer:
            await run_in_threadpool(sink.write, bytes(buffer))
    except BaseException:
        await run_in_threadpool(sink.abort)
        raise
    out = await run_in_threadpool(sink.commit)
    set_audit(request, records=out["rows"])
    return out


@router.get("", response_model=UploadListOut, summary="The caller's uploads, newest first")
async def list_uploads(
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> Any:
    def run() -> dict[str, Any]:
        svc.sweep(services)
        with services.db.session() as s:
            q = select(Upload).where(Upload.principal == principal.id)
            total = s.execute(select(func.count()).select_from(q.subquery())).scalar_one()
            rows = s.execute(q.order_by(Upload.created_at.desc()).limit(limit).offset(offset)).scalars()
            return {"uploads": [svc.upload_dict(r) for r in rows], "total": int(total)}

    return await run_in_threadpool(run)


@router.get("/{upload_id}", response_model=UploadOut, summary="An upload's metadata")
async def get_upload(upload_id: PathId, services: ServicesDep, principal: PrincipalDep) -> Any:
    return await run_in_threadpool(svc.get_upload, services, principal.id, upload_id)


@router.delete("/{upload_id}", response_model=DeletedOut, summary="Delete an upload and its object")
async def delete_upload(upload_id: PathId, services: ServicesDep, principal: PrincipalDep) -> Any:
    return await run_in_threadpool(svc.delete_upload, services, principal.id, upload_id)
