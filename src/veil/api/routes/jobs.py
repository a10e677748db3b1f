"""Jobs of every kind: list (newest first), status, history, cancel. A principal sees only its own."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from fastapi.responses import StreamingResponse

from veil.api.deps import ServicesDep, require, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.api.params import MAX_INT, PathId
from veil.api.schemas import JobHistoryOut, JobListOut, JobStatusOut
from veil.jobs import results
from veil.jobs.service import TERMINAL
from veil.service.auth import Principal

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=ERROR_RESPONSES)
JobsPrincipal = Annotated[Principal, Depends(require("jobs"))]
JobStatusParam = Literal["pending", "running", "completed", "failed", "cancelled"]


@router.get("", response_model=JobListOut, summary="List jobs, newest first")
async def list_jobs(
    services: ServicesDep,
    principal: JobsPrincipal,
    status: Annotated[JobStatusParam | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> JobListOut:
    out = await run_in_threadpool(
        lambda: services.jobs.list(principal.id, status=status, kind=kind, limit=limit, offset=offset)
    )
    return JobListOut.model_validate(out)


#: the longest a status request may be held (``?wait=``), and how often the job is re-read meanwhile
MAX_WAIT_SECONDS = 30.0
WAIT_RECHECK_SECONDS = 0.05


@router.get("/{job_id}", response_model=JobStatusOut, summary="Job status")
async def get_job_status(
    job_id: PathId,
    services: ServicesDep,
    principal: JobsPrincipal,
    request: Request,
    wait: Annotated[
        float,
        Query(ge=0, le=MAX_WAIT_SECONDS, description="Long poll: hold the answer up to this many seconds, "
              "until the job has ended (completed, failed or cancelled); 0 answers at once"),
    ] = 0.0,
) -> JobStatusOut:
    set_audit(request, job_id=job_id[:36])
    job = await run_in_threadpool(services.jobs.get, job_id, principal.id)
    deadline = time.monotonic() + wait
    while job["status"] not in TERMINAL and time.monotonic() < deadline:
        await asyncio.sleep(min(WAIT_RECHECK_SECONDS, max(0.0, deadline - time.monotonic())))
        job = await run_in_threadpool(services.jobs.get, job_id, principal.id)
    return JobStatusOut.model_validate(job)


@router.get("/{job_id}/history", response_model=JobHistoryOut, summary="Every transition of a job")
async def get_job_history(
    job_id: PathId, services: ServicesDep, principal: JobsPrincipal, request: Request
) -> JobHistoryOut:
    set_audit(request, job_id=job_id[:36])
    history = await run_in_threadpool(services.jobs.history, job_id, principal.id)
    return JobHistoryOut.model_validate({"job_id": job_id, "history": history})


@router.post("/{job_id}/cancel", response_model=JobStatusOut, summary="Cancel a pending or running job")
async def cancel_job(
    job_id: PathId, services: ServicesDep, principal: JobsPrincipal, request: Request
) -> JobStatusOut:
    set_audit(request, job_id=job_id[:36])
    return JobStatusOut.model_validate(await run_in_threadpool(services.jobs.cancel, job_id, principal.id))


@router.get(
    "/{job_id}/result",
    summary="Download the result table of a completed job (csv, parquet or json), streamed",
    responses={
        200: {
            "description": "The table, in the asked format",
            "content": {
                "text/csv": {"schema": {"type": "string", "format": "binary"}},
                "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def download_job_result(
    job_id: PathId,
    services: ServicesDep,
    principal: JobsPrincipal,
    request: Request,
    format: Annotated[str | None, Query(max_length=16, description="csv, parquet, json or jsonl")] = None,
) -> StreamingResponse:
    set_audit(request, job_id=job_id[:36])
    stored = await run_in_threadpool(results.locate_result, services, job_id, principal.id)
    fmt = results.download_format(format, stored)
    headers = {"Content-Disposition": f'attachment; filename="{job_id[:36]}.{fmt}"'}
    if fmt == stored.format:
        headers["Content-Length"] = str(stored.size)
    body = iterate_in_threadpool(results.stream_result(services.store, stored, fmt))
    return StreamingResponse(body, media_type=results.MEDIA_TYPES[fmt], headers=headers)
