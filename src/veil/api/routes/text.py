"""Text de-identification (seed 002): ``POST /deidentify_text``, ``POST /get_usage``,
``GET /healthz`` and ``GET /v1/entity_types``.

Every de-identification uses the caller's stored recognizers (``/v1/text/recognizers``).
Text that is not valid Unicode (a lone surrogate, JSON ``"\\ud800"``) is a 400 naming
``text`` (``text[i]`` in a list), never a 500.

The seed's clients send their key in the body (``key``); a key in the ``Authorization``
or ``X-API-Key`` header wins when both are present. A list of texts in gives a list out.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from veil.api.deps import ServicesDep, authenticate, presented_key, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.service import text as text_service
from veil.service import text_recognizers

router = APIRouter(tags=["text"], responses=ERROR_RESPONSES)

MAX_TEXTS = 10_000
MAX_LIST = 10_000


class DeidentifyTextRequest(BaseModel):
    """The seed's request body; strict types, so a wrong type is a 422 (never coerced)."""

    model_config = ConfigDict(extra="forbid")

    text: StrictStr | list[StrictStr] = Field(..., description="Message or list of messages (UTF-8).")
    key: StrictStr = Field(..., max_length=512, description="API key (the seed's licence key).")
    accuracy_mode: StrictStr = Field("high", max_length=64)
    link_batch: StrictBool = False
    enabled_classes: list[StrictStr] | None = Field(None, max_length=MAX_LIST)
    unique_pii_markers: StrictBool = True
    marker_format: StrictStr | None = Field(None, max_length=200)
    allow_list: list[StrictStr] | None = Field(None, max_length=MAX_LIST)
    block_list: dict[StrictStr, StrictStr] | None = None
    fake_entity_accuracy_mode: StrictStr | None = Field(None, max_length=64)
    preserve_relationships: StrictBool = True


class PiiOut(BaseModel):
    marker: str
    text: str
    best_label: str
    stt_idx: int
    end_idx: int
    labels: dict[str, float]
    fake_text: list[str] | None = Field(None, description="Only with fake_entity_accuracy_mode.")
    fake_stt_idx: int | None = None
    fake_end_idx: int | None = None


class DeidentifyTextOut(BaseModel):
    result: str
    result_fake: str | None
    pii: list[PiiOut]
    api_calls_used: int
    output_checks_passed: bool


class UsageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: StrictStr = Field(..., max_length=512)


class UsageOut(BaseModel):
    calls_made: int


class HealthzOut(BaseModel):
    success: bool
    last_auth_call_successful: bool


class EntityTypeOut(BaseModel):
    name: str
    description: str
    category: str
    parent: str | None
    reported_as_parent_by_default: bool


class EntityTypesOut(BaseModel):
    entity_types: list[EntityTypeOut]


def _authenticate(
    request: Request, body_key: str, authorization: str | None, x_api_key: str | None
) -> tuple[Any, str]:
    header_key = presented_key(authorization, x_api_key)
    principal = authenticate(request, header_key or body_key)
    principal.require("text")
    return principal, text_service.meter_id(principal.id, principal.authenticated, header_key or body_key)


@router.post(
    "/deidentify_text",
    summary="De-identify a text or a list of texts",
    response_model=None,
    responses={200: {"model": DeidentifyTextOut, "description": "One object, or a list for a list of texts."}},
)
async def deidentify_text(
    body: DeidentifyTextRequest,
    request: Request,
    services: ServicesDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(alias="X-API-Key", include_in_schema=False)] = None,
) -> JSONResponse:
    fields = body.model_dump(exclude={"text", "key"}, exclude_unset=True)
    text_service.reject_unencodable(body.text, "text")
    for name, value in fields.items():
        text_service.reject_unencodable(value, name)
    principal, meter = await run_in_threadpool(_authenticate, request, body.key, authorization, x_api_key)
    custom = await run_in_threadpool(text_recognizers.recognizers_for, services, principal.id)
    options = text_service.build_options(services, fields, custom)
    results = await run_in_threadpool(text_service.deidentify_text, services, meter, body.text, options)
    set_audit(request, records=len(results))
    payload = [r.to_dict() for r in results]
    return JSONResponse(payload if isinstance(body.text, list) else payload[0])


@router.post("/get_usage", summary="API credits used this month", response_model=UsageOut)
async def get_usage(
    body: UsageRequest,
    request: Request,
    services: ServicesDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(alias="X-API-Key", include_in_schema=False)] = None,
) -> UsageOut:
    _, meter = await run_in_threadpool(_authenticate, request, body.key, authorization, x_api_key)
    calls = await run_in_threadpool(text_service.get_usage, services, meter)
    return UsageOut(calls_made=calls)


@router.get("/healthz", summary="Health of the text service (seed 002)", response_model=HealthzOut)
async def healthz(services: ServicesDep) -> HealthzOut:
    return HealthzOut(**text_service.healthz(services))


@router.get("/v1/entity_types", summary="Supported entity types", response_model=EntityTypesOut)
async def entity_types() -> EntityTypesOut:
    return EntityTypesOut(entity_types=[EntityTypeOut(**t) for t in text_service.entity_types()])  # type: ignore[arg-type]
