"""Running one job: claim it, call its task, record the outcome. Used by every executor."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from veil.errors import JobCancelledError, VeilError
from veil.jobs.context import JobContext
from veil.jobs.registry import resolve
from veil.jobs.service import CANCELLED, COMPLETED, FAILED

log = logging.getLogger("veil.jobs")


def execute_job(job_id: str, services: Any) -> str:
    """Run ``job_id`` with ``services`` (a :class:`veil.service.container.Services`). Returns the final status."""
    jobs = services.jobs
    if not jobs.claim(job_id):
        return "skipped"
    params = jobs.get_parameters(job_id)
    kind = jobs.get(job_id)["kind"]
    ctx = JobContext(job_id, services, jobs)
    try:
        fn = resolve(kind)
        out = fn(ctx, params) or {}
        result_path = out.pop("result_path", None) if isinstance(out, dict) else None
        if ctx.cancelled:
            jobs.finish(job_id, CANCELLED)
            return CANCELLED
        jobs.finish(job_id, COMPLETED, result=out or None, result_path=result_path)
        return COMPLETED
    except JobCancelledError:
        jobs.finish(job_id, CANCELLED)
        return CANCELLED
    except VeilError as exc:
        jobs.finish(job_id, FAILED, error=str(exc))
        return FAILED
    except Exception as exc:  # a bug in a task must fail the job, not hang it
        log.exception("job %s (%s) crashed", job_id, kind)
        jobs.finish(job_id, FAILED, error=f"internal error: {type(exc).__name__}")
        return FAILED


# --- for executors in other processes (Dask workers): rebuild services from settings once
_REMOTE: dict[str, Any] = {}
_REMOTE_LOCK = threading.Lock()


def run_job_remote(job_id: str, settings_json: str) -> str:
    """Top-level, importable entry for out-of-process workers."""
    from veil.service.container import Services
    from veil.settings import Settings

    with _REMOTE_LOCK:
        services = _REMOTE.get(settings_json)
        if services is None:
            services = Services(Settings(**json.loads(settings_json)), start_executor=False)
            _REMOTE[settings_json] = services
    return execute_job(job_id, services)
