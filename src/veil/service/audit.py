"""The audit log: one entry per API operation. Never raw data, never secrets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from veil.errors import InvalidInputError, NotFoundError
from veil.store.db import Database
from veil.store.models import AuditEntry, new_id, utcnow

AUDIT_STATUSES = ("success", "error")


def entry_to_dict(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "timestamp": e.timestamp.isoformat(),
        "operation": e.operation,
        "principal": e.principal,
        "status": e.status,
        "status_code": e.status_code,
        "method": e.method,
        "path": e.path,
        "duration_ms": round(e.duration_ms, 3),
        "record_count": e.record_count,
        "job_id": e.job_id,
        "error_message": e.error_message,
        "details": e.details or {},
    }


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self,
        *,
        operation: str,
        principal: str,
        status: str,
        duration_ms: float,
        status_code: int | None = None,
        method: str | None = None,
        path: str | None = None,
        record_count: int | None = None,
        job_id: str | None = None,
        error_message: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> str:
        entry = AuditEntry(
            id=new_id(),
            timestamp=utcnow(),
            operation=operation[:128],
            principal=principal[:128],
            status=status,
            status_code=status_code,
            method=method,
            path=path,
            duration_ms=duration_ms,
            record_count=record_count,
            job_id=job_id,
            error_message=(error_message or None) and error_message[:1000],
            details=details or {},
        )
        with self.db.session() as s:
            s.add(entry)
        return entry.id

    def list(
        self,
        principal: str | None,
        *,
        operation: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        if status is not None and status not in AUDIT_STATUSES:
            raise InvalidInputError("status must be 'success' or 'error'", field="status")
        q = select(AuditEntry)
        c = select(func.count()).select_from(AuditEntry)
        for cond in (
            AuditEntry.principal == principal if principal is not None else None,
            AuditEntry.operation == operation if operation else None,
            AuditEntry.status == status if status else None,
        ):
            if cond is not None:
                q, c = q.where(cond), c.where(cond)
        q = q.order_by(AuditEntry.timestamp.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
        with self.db.session() as s:
            entries = [entry_to_dict(e) for e in s.execute(q).scalars()]
            total = int(s.execute(c).scalar_one())
        return {"entries": entries, "total": total, "limit": limit, "offset": offset}

    def get(self, entry_id: str, principal: str | None) -> dict[str, Any]:
        with self.db.session() as s:
            e = s.get(AuditEntry, entry_id) if len(entry_id) <= 64 else None
            if e is None or (principal is not None and e.principal != principal):
                raise NotFoundError(f"audit entry '{entry_id[:64]}' not found", field="entry_id")
            return entry_to_dict(e)
