"""User-defined text recognizers: ``POST/GET /v1/text/recognizers``, ``GET/DELETE /v1/text/recognizers/{id}``.

Stored per principal (the API key; ``local`` with auth off) and used by every
de-identification of that principal. Create and delete are audited like every API
operation (route name and path template only: never the patterns).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from veil.api.deps import ServicesDep, require, set_audit
from veil.api.errors import ERROR_RESPONSES
from veil.api.params import PathId
from veil.service import text as text_service
from veil.service import text_recognizers
from veil.service.auth import Principal

router = APIRouter(prefix="/v1/text/recognizers", tags=["text recognizers"], responses=ERROR_RESPONSES)
TextPrincipal = Annotated[Principal, Depends(require("text"))]


class PatternIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    regex: str = Field(..., min_length=1, max_length=2000, description="A regular expression (Python `regex` syntax).")
    score: float = Field(0.5, gt=0.0, le=1.0, description="Confidence of a match before context words.")


class RecognizerIn(BaseModel):
    """A recognizer definition; ``name`` is unique per key."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "name": "employee",
                "entity_type": "EMPLOYEE_ID",
                "patterns": [{"regex": r"EMP-\d{6}", "score": 0.9}],
                "context": ["employee"],
            }
        },
    )

    name: str = Field(..., min_length=1, max_length=64)
    entity_type: str = Field(..., min_length=2, max_length=64, description="Upper snake case, e.g. EMPLOYEE_ID.")
    patterns: list[PatternIn] = Field(..., min_length=1, max_length=text_recognizers.MAX_PATTERNS)
    context: list[str] = Field(default_factory=list, max_length=text_recognizers.MAX_CONTEXT_WORDS)
    languages: list[str] | None = Field(
        None, max_length=text_recognizers.MAX_LANGUAGES, description="ISO 639 codes; null: every language."
    )
    validator: str | None = Field(None, max_length=64, description="null or a checksum, e.g. 'luhn'.")
    min_score: float = Field(0.0, ge=0.0, le=1.0, description="Matches scoring below this (after context) are dropped.")


class PatternOut(BaseModel):
    regex: str
    score: float


class RecognizerOut(BaseModel):
    id: str
    name: str
    entity_type: str
    patterns: list[PatternOut]
    context: list[str]
    languages: list[str] | None
    validator: str | None
    min_score: float
    created_at: str


class RecognizerListOut(BaseModel):
    recognizers: list[RecognizerOut]


@router.post("", status_code=201, response_model=RecognizerOut, summary="Define a recognizer for this key")
async def create_text_recognizer(
    services: ServicesDep,
    principal: TextPrincipal,
    request: Request,
    body: Annotated[RecognizerIn, Body()],
) -> Any:
    raw = body.model_dump()
    for name, value in raw.items():
        text_service.reject_unencodable(value, name)
    created = await run_in_threadpool(text_recognizers.create, services, principal.id, raw)
    set_audit(request, records=1)
    return created


@router.get("", response_model=RecognizerListOut, summary="The recognizers of this key")
async def list_text_recognizers(services: ServicesDep, principal: TextPrincipal) -> Any:
    return {"recognizers": await run_in_threadpool(text_recognizers.list_all, services, principal.id)}


@router.get("/{recognizer_id}", response_model=RecognizerOut, summary="One recognizer (by id or name)")
async def get_text_recognizer(recognizer_id: PathId, services: ServicesDep, principal: TextPrincipal) -> Any:
    return await run_in_threadpool(text_recognizers.get, services, principal.id, recognizer_id)


@router.delete("/{recognizer_id}", response_model=RecognizerOut, summary="Delete a recognizer (by id or name)")
async def delete_text_recognizer(
    recognizer_id: PathId, services: ServicesDep, principal: TextPrincipal, request: Request
) -> Any:
    deleted = await run_in_threadpool(text_recognizers.remove, services, principal.id, recognizer_id)
    set_audit(request, records=1)
    return deleted
