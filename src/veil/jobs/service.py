"""The durable job table: submit, claim, progress, finish, cancel, list, history, recovery.

Every state change and progress update appends a ``job_events`` row (the history the
SDK's ``get_job_history`` returns). Claiming a job is an atomic ``pending -> running``
update, so no job runs twice even if it is queued twice.
"""

from __future__ import annotations

import builtins
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from veil.errors import ConflictError, InvalidInputError, NotFoundError
from veil.store.db import Database
from veil.store.models import Job, JobEvent, new_id, utcnow

log = logging.getLogger("veil.jobs")

PENDING, RUNNING, COMPLETED, FAILED, CANCELLED = "pending", "running", "completed", "failed", "cancelled"
STATUSES = (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED)
TERMINAL = (COMPLETED, FAILED, CANCELLED)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def job_to_dict(job: Job) -> dict[str, Any]:
    """The public shape of a job (seed 001's JobStatusResponse fields plus kind and step)."""
    return {
        "job_id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": round(job.progress, 2),
        "step": job.step,
        "message": job.message,
        "created_at": _iso(job.created_at),
        "updated_at": _iso(job.updated_at),
        "started_at": _iso(job.started_at),
        "completed_at": _iso(job.completed_at),
        "result_path": job.result_path,
        "error": job.error,
        "context": {"result": job.result} if job.result is not None else {},
    }


def event_to_dict(event: JobEvent) -> dict[str, Any]:
    return {
        "job_id": event.job_id,
        "sequence": event.sequence,
        "status": event.status,
        "progress": round(event.progress, 2),
        "step": event.step,
        "message": event.message,
        "timestamp": _iso(event.created_at),
    }


class JobService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._executor: Any = None

    def attach_executor(self, executor: Any) -> None:
        self._executor = executor

    # --- history
    def _append_event(self, session: Session, job: Job) -> None:
        for _attempt in range(5):
            seq = session.execute(
                select(func.coalesce(func.max(JobEvent.sequence), 0)).where(JobEvent.job_id == job.id)
            ).scalar_one()
            try:
                with session.begin_nested():
                    session.add(
                        JobEvent(
                            job_id=job.id,
                            sequence=int(seq) + 1,
                            status=job.status,
                            progress=job.progress,
                            step=job.step,
                            message=job.message,
                            created_at=utcnow(),
                        )
                    )
                return
            except IntegrityError:
                continue

    # --- submit
    def create(
        self,
        kind: str,
        params: dict[str, Any],
        principal: str,
        *,
        queue: str | None = None,
        message: str = "queued",
        job_id: str | None = None,
    ) -> dict[str, Any]:
        from veil.jobs.registry import get_spec

        spec = get_spec(kind)
        now = utcnow()
        job = Job(
            id=job_id or new_id(),
            kind=kind,
            queue=queue or spec.queue,
            principal=principal,
            status=PENDING,
            progress=0.0,
            step="queued",
            message=message,
            parameters=params,
            created_at=now,
            updated_at=now,
        )
        with self.db.session() as s:
            s.add(job)
            s.flush()
            self._append_event(s, job)
            out = job_to_dict(job)
        return out

    def submit(self, kind: str, params: dict[str, Any], principal: str, **kw: Any) -> dict[str, Any]:
        """Create a pending job and hand it to the executor."""
        out = self.create(kind, params, principal, **kw)
        if self._executor is not None:
            self._executor.submit(out["job_id"], self._queue_of(out["job_id"]))
        return out

    def _queue_of(self, job_id: str) -> str:
        with self.db.session() as s:
            return str(s.execute(select(Job.queue).where(Job.id == job_id)).scalar_one())

    # --- reads
    def _load(self, s: Session, job_id: str, principal: str | None) -> Job:
        job = s.get(Job, job_id) if len(job_id) <= 64 else None
        if job is None or (principal is not None and job.principal != principal):
            raise NotFoundError(f"job '{job_id[:64]}' not found", field="job_id")
        return job

    def get(self, job_id: str, principal: str | None = None) -> dict[str, Any]:
        with self.db.session() as s:
            return job_to_dict(self._load(s, job_id, principal))

    def get_parameters(self, job_id: str) -> dict[str, Any]:
        with self.db.session() as s:
            return dict(self._load(s, job_id, None).parameters or {})

    def list(
        self,
        principal: str | None,
        *,
        status: str | None = None,
        kind: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> dict[str, Any]:
        if status is not None and status not in STATUSES:
            raise InvalidInputError(
                f"unknown status '{status}'; one of {', '.join(STATUSES)}", field="status"
            )
        query = select(Job)
        count = select(func.count()).select_from(Job)
        for cond in (
            Job.principal == principal if principal is not None else None,
            Job.status == status if status else None,
            Job.kind == kind if kind else None,
        ):
            if cond is not None:
                query = query.where(cond)
                count = count.where(cond)
        query = query.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit).offset(offset)
        with self.db.session() as s:
            jobs = [job_to_dict(j) for j in s.execute(query).scalars()]
            total = int(s.execute(count).scalar_one())
        return {"jobs": jobs, "total": total, "limit": limit, "offset": offset}

    def history(self, job_id: str, principal: str | None = None) -> builtins.list[dict[str, Any]]:
        with self.db.session() as s:
            self._load(s, job_id, principal)
            events = s.execute(
                select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.sequence)
            ).scalars()
            return [event_to_dict(e) for e in events]

    def cancel_requested(self, job_id: str) -> bool:
        with self.db.session() as s:
            row = s.execute(select(Job.cancel_requested, Job.status).where(Job.id == job_id)).one_or_none()
        return row is None or bool(row[0]) or row[1] == CANCELLED

    # --- transitions
    def claim(self, job_id: str) -> bool:
        """Atomically move pending -> running. False if the job is not pending any more."""
        now = utcnow()
        with self.db.session() as s:
            res = s.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == PENDING, Job.cancel_requested.is_(False))
                .values(
                    status=RUNNING,
                    started_at=now,
                    updated_at=now,
                    step="running",
                    message="running",
                    attempts=Job.attempts + 1,
                )
            )
            if res.rowcount != 1:  # type: ignore[attr-defined]
                return False
            self._append_event(s, self._load(s, job_id, None))
        return True

    def record_progress(self, job_id: str, pct: float, step: str | None, message: str | None) -> None:
        with self.db.session() as s:
            job = self._load(s, job_id, None)
            if job.status != RUNNING:
                return
            job.progress = pct
            if step is not None:
                job.step = step[:128]
            if message is not None:
                job.message = message
            job.updated_at = utcnow()
            self._append_event(s, job)

    def finish(
        self,
        job_id: str,
        status: str,
        *,
        result: dict[str, Any] | None = None,
        result_path: str | None = None,
        error: str | None = None,
        message: str | None = None,
    ) -> None:
        assert status in TERMINAL
        now = utcnow()
        with self.db.session() as s:
            job = self._load(s, job_id, None)
            if job.status in TERMINAL:
                return
            job.status = status
            job.updated_at = now
            job.completed_at = now
            job.step = status
            if status == COMPLETED:
                job.progress = 100.0
                job.result = result
                job.result_path = result_path
                job.message = message or "completed"
            elif status == FAILED:
                job.error = error or "failed"
                job.message = message or "failed"
            else:
                job.message = message or "cancelled"
            self._append_event(s, job)

    def cancel(self, job_id: str, principal: str | None = None) -> dict[str, Any]:
        """Cancel a pending job at once; ask a running one to stop; refuse finished ones (409)."""
        with self.db.session() as s:
            job = self._load(s, job_id, principal)
            if job.status in TERMINAL:
                raise ConflictError(f"job is already {job.status} and cannot be cancelled", field="job_id")
            now = utcnow()
            job.cancel_requested = True
            job.updated_at = now
            if job.status == PENDING:
                job.status = CANCELLED
                job.completed_at = now
                job.step = CANCELLED
                job.message = "cancelled before it started"
            else:
                job.message = "cancellation requested"
            self._append_event(s, job)
            out = job_to_dict(job)
        if self._executor is not None:
            self._executor.cancel(job_id)
        return out

    def cancel_where(self, kind: str, predicate: Any) -> int:
        """Cancel every unfinished job of ``kind`` whose parameters satisfy ``predicate``."""
        n = 0
        with self.db.session() as s:
            ids = [
                j.id
                for j in s.execute(
                    select(Job).where(Job.kind == kind, Job.status.in_((PENDING, RUNNING)))
                ).scalars()
                if predicate(j.parameters or {})
            ]
        for job_id in ids:
            try:
                self.cancel(job_id)
                n += 1
            except ConflictError:
                pass
        return n

    # --- start-up
    def recover(self, mode: str = "requeue") -> builtins.list[str]:
        """Jobs left ``running`` by a crash: re-queue them (or fail them). Returns pending job ids to run."""
        now = utcnow()
        with self.db.session() as s:
            stuck = list(s.execute(select(Job).where(Job.status == RUNNING)).scalars())
            for job in stuck:
                job.updated_at = now
                if job.cancel_requested:
                    job.status, job.completed_at, job.step = CANCELLED, now, CANCELLED
                    job.message = "cancelled (the server stopped while it was running)"
                elif mode == "requeue" and job.attempts < 3:
                    job.status, job.progress, job.step = PENDING, 0.0, "queued"
                    job.message = "re-queued after a server restart interrupted it"
                else:
                    job.status, job.completed_at, job.step = FAILED, now, FAILED
                    job.error = "interrupted by a server restart"
                    job.message = job.error
                self._append_event(s, job)
            pending = [
                j
                for j in s.execute(
                    select(Job.id).where(Job.status == PENDING).order_by(Job.created_at)
                ).scalars()
            ]
        if stuck:
            log.warning("recovered %d interrupted job(s)", len(stuck))
        return pending
