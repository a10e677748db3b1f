"""Response models of the foundation endpoints (health, jobs, audit) for OpenAPI and validation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ComponentHealth(BaseModel):
    status: str
    detail: dict[str, Any] = Field(default_factory=dict)


class HealthOut(BaseModel):
    status: str = Field(description="ok when every component is ok, otherwise degraded")
    version: str
    auth: bool
    components: dict[str, ComponentHealth]


class JobStatusOut(BaseModel):
    job_id: str
    kind: str
    status: str
    progress: float
    step: str | None = None
    message: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    result_path: str | None = None
    error: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)


class JobListOut(BaseModel):
    jobs: list[JobStatusOut]
    total: int
    limit: int
    offset: int


class JobHistoryEntryOut(BaseModel):
    job_id: str
    sequence: int
    status: str
    progress: float
    step: str | None = None
    message: str | None = None
    timestamp: str | None = None


class JobHistoryOut(BaseModel):
    job_id: str
    history: list[JobHistoryEntryOut]


class AuditEntryOut(BaseModel):
    id: str
    timestamp: str
    operation: str
    principal: str
    status: str
    status_code: int | None = None
    method: str | None = None
    path: str | None = None
    duration_ms: float
    record_count: int | None = None
    job_id: str | None = None
    error_message: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class AuditListOut(BaseModel):
    entries: list[AuditEntryOut]
    total: int
    limit: int
    offset: int
