"""Batch text de-identification jobs: submit (upload or cloud URI), download the result.

Job status, history and cancel are the generic ``/v1/jobs/{job_id}`` routes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from veil.api.deps import ServicesDep, require, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.api.params import PathId
from veil.api.schemas import JobStatusOut
from veil.errors import InvalidInputError
from veil.service import text_batch
from veil.service.auth import Principal
from veil.service.container import Services
from veil.service.text import reject_unencodable

router = APIRouter(prefix="/v1/text/batch", tags=["text batch"], responses=ERROR_RESPONSES)
TextPrincipal = Annotated[Principal, Depends(require("text"))]
BatchFormat = Literal["jsonl", "csv"]


class BatchOptions(BaseModel):
    """De-identification options applied to every text (the fields of ``/deidentify_text``)."""

    model_config = ConfigDict(extra="forbid")

    accuracy_mode: str | None = None
    enabled_classes: list[str] | None = None
    unique_pii_markers: bool | None = None
    marker_format: str | None = Field(None, max_length=200)
    allow_list: list[str] | None = None
    block_list: dict[str, str] | None = None
    fake_entity_accuracy_mode: str | None = None
    preserve_relationships: bool | None = None


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input_uri: str = Field(
        ..., min_length=5, max_length=2048, description="s3://, gs:// or az:// URI of the file."
    )
    format: BatchFormat | None = Field(None, description="jsonl or csv; default from the URI's extension.")
    text_field: str = Field("text", min_length=1, max_length=256)
    id_field: str | None = Field(None, min_length=1, max_length=256)
    include_pii: bool = True
    partition_size: int = Field(text_batch.DEFAULT_PARTITION_SIZE, ge=1, le=text_batch.MAX_PARTITION_SIZE)
    options: BatchOptions = Field(default_factory=BatchOptions)


def _options(options: BatchOptions) -> dict[str, Any]:
    return options.model_dump(exclude_none=True)


@router.post(
    "", response_model=JobStatusOut, status_code=202, summary="De-identify a file of texts at a cloud URI"
)
async def submit_text_batch(
    body: BatchRequest, services: ServicesDep, principal: TextPrincipal, request: Request
) -> JobStatusOut:
    reject_unencodable(_options(body.options), "options")
    recognizers = await run_in_threadpool(text_batch.batch_recognizers, services, principal.id)
    spec = text_batch.make_spec(
        fmt=text_batch.detect_batch_format(body.input_uri, body.format),
        text_field=body.text_field,
        id_field=body.id_field,
        options=_options(body.options),
        include_pii=body.include_pii,
        partition_size=body.partition_size,
        recognizers=recognizers,
    )
    job = await run_in_threadpool(
        text_batch.submit_batch, services, principal.id, spec, input_uri=body.input_uri, recognizers=recognizers
    )
    set_audit(request, job_id=job["job_id"])
    return JobStatusOut.model_validate(job)


@router.post(
    "/upload",
    response_model=JobStatusOut,
    status_code=202,
    summary="De-identify an uploaded JSONL or CSV file of texts (the raw request body)",
    description="Send the file as the request body. `text/csv` and `application/octet-stream` "
    "(with `format`) bodies may be up to VEIL_MAX_UPLOAD_BYTES; `application/x-ndjson` bodies are "
    "held to the JSON body limit VEIL_MAX_BODY_BYTES. The job's result is downloaded from "
    "`GET /v1/text/batch/{job_id}/result`.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string", "format": "binary"}},
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def upload_text_batch(
    services: ServicesDep,
    principal: TextPrincipal,
    request: Request,
    format: Annotated[
        BatchFormat | None, Query(description="jsonl or csv; default from Content-Type")
    ] = None,
    text_field: Annotated[str, Query(min_length=1, max_length=256)] = "text",
    id_field: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    include_pii: bool = True,
    partition_size: Annotated[
        int, Query(ge=1, le=text_batch.MAX_PARTITION_SIZE)
    ] = text_batch.DEFAULT_PARTITION_SIZE,
    options: Annotated[
        str | None, Query(max_length=65536, description="De-identification options as a JSON object")
    ] = None,
) -> JobStatusOut:
    fmt = format or _format_from_content_type(request.headers.get("content-type", ""))
    parsed: dict[str, Any] = {}
    if options:
        try:
            raw = json.loads(options)
        except json.JSONDecodeError:
            raise InvalidInputError("options must be a JSON object", field="options") from None
        if not isinstance(raw, dict):
            raise InvalidInputError("options must be a JSON object", field="options")
        reject_unencodable(raw, "options")
        parsed = raw
    recognizers = await run_in_threadpool(text_batch.batch_recognizers, services, principal.id)
    spec = text_batch.make_spec(
        fmt=fmt,
        text_field=text_field,
        id_field=id_field,
        options=parsed,
        include_pii=include_pii,
        partition_size=partition_size,
        recognizers=recognizers,
    )
    key = text_batch.upload_key()
    size = await _stream_to_store(request, services, key)
    if size == 0:
        await run_in_threadpool(services.store.delete, key)
        raise InvalidInputError("the uploaded file is empty", field="body")
    job = await run_in_threadpool(
        text_batch.submit_batch,
        services,
        principal.id,
        spec,
        input_key=key,
        delete_input=True,
        recognizers=recognizers,
    )
    set_audit(request, job_id=job["job_id"])
    return JobStatusOut.model_validate(job)


@router.get(
    "/{job_id}/result",
    summary="Download the JSONL result of a completed batch job",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/x-ndjson": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def download_text_batch_result(
    job_id: PathId, services: ServicesDep, principal: TextPrincipal, request: Request
) -> StreamingResponse:
    set_audit(request, job_id=job_id[:36])
    key = await run_in_threadpool(text_batch.result_key, services, job_id, principal.id)
    fh = await run_in_threadpool(services.store.open, key, "rb")

    def chunks() -> Iterator[bytes]:
        with fh:
            while block := fh.read(1 << 20):
                yield block

    return StreamingResponse(
        chunks(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{job_id[:36]}.jsonl"'},
    )


def _format_from_content_type(content_type: str) -> str:
    ct = content_type.split(";", 1)[0].strip().lower()
    if ct in ("text/csv", "application/csv"):
        return "csv"
    if ct in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/ndjson"):
        return "jsonl"
    raise InvalidInputError(
        "give format=jsonl or format=csv, or Content-Type application/x-ndjson or text/csv", field="format"
    )


_END = object()


async def _stream_to_store(request: Request, services: Services, key: str) -> int:
    """Copy the request body into the object store as it arrives (never all in memory).

    A writer thread drains a small bounded queue; a body that fails mid-way (too large,
    client gone) leaves nothing under ``key``.
    """
    chunks: queue.Queue[Any] = queue.Queue(maxsize=8)
    stopped = threading.Event()

    def produce() -> Iterator[bytes]:
        try:
            while True:
                item = chunks.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stopped.set()

    def put(item: Any) -> None:
        while not stopped.is_set() and not writer.done():
            try:
                chunks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    writer = asyncio.ensure_future(run_in_threadpool(services.store.put_stream, key, produce()))
    try:
        async for chunk in request.stream():
            if stopped.is_set() or writer.done():
                break  # the writer failed; awaiting it below raises its error
            if chunk:
                await run_in_threadpool(put, chunk)
    except BaseException:
        await run_in_threadpool(put, RuntimeError("upload interrupted"))
        with contextlib.suppress(Exception):
            await writer
        raise
    await run_in_threadpool(put, _END)
    return int(await writer)
