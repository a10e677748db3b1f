"""GET /health: version and the state of the database, object storage and job workers."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from veil import __version__
from veil.api.deps import ServicesDep
from veil.api.schemas import ComponentHealth, HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, summary="Service health")
async def health(services: ServicesDep, response: Response) -> HealthOut:
    db_ok = await run_in_threadpool(services.db.ping)
    store_ok = await run_in_threadpool(services.store.ping)
    jobs = services.executor.describe() if services.executor is not None else {"status": "stopped"}
    components = {
        "database": ComponentHealth(
            status="ok" if db_ok else "error",
            detail={"backend": "sqlite" if services.db.is_sqlite else "postgresql"},
        ),
        "storage": ComponentHealth(
            status="ok" if store_ok else "error",
            detail={"backend": "local" if services.store.is_local else "remote"},
        ),
        "jobs": ComponentHealth(status=str(jobs.get("status", "ok")), detail=jobs),
    }
    ok = all(c.status == "ok" for c in components.values())
    if not ok:
        response.status_code = 503
    auth_on = await run_in_threadpool(services.auth.enabled)
    return HealthOut(
        status="ok" if ok else "degraded", version=__version__, auth=auth_on, components=components
    )
