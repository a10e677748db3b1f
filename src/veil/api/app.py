"""``create_app(settings) -> FastAPI``: the one service for all three API families."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from veil import __version__
from veil.api.errors import install_error_handlers
from veil.api.middleware import AuditMiddleware, BodyLimitMiddleware, TextGuardMiddleware
from veil.api.routes import audit, dp, health, jobs, pprl, tabular, text, uploads
from veil.service.container import Services
from veil.settings import Settings


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """Build the app. Services (database migrations, storage, job workers) start here, eagerly."""
    settings = settings or Settings()
    services = services or Services(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(
        title="Veil",
        version=__version__,
        description="Self-hosted privacy engine: text de-identification, tabular anonymization, "
        "differential privacy and record-linkage hashing.",
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.settings = settings
    install_error_handlers(app)
    for module in (health, jobs, audit, pprl, text, tabular, dp, uploads):
        app.include_router(module.router)
    _include_optional_routers(app)
    app.add_middleware(AuditMiddleware, services=services)
    app.add_middleware(TextGuardMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    return app


#: Routers that join when their module exists: the web console (issue 10), batch text jobs (issue 9)
#: and user-defined text recognizers (issue 14).
OPTIONAL_ROUTERS = ("veil.api.routes.text_batch", "veil.api.routes.text_recognizers", "veil.api.routes.console")


def _include_optional_routers(app: FastAPI) -> None:
    import importlib.util

    for name in OPTIONAL_ROUTERS:
        if importlib.util.find_spec(name) is not None:
            app.include_router(importlib.import_module(name).router)
