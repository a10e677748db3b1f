"""FastAPI dependencies: the services container, the caller (principal) and feature checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from veil.service.auth import Principal
from veil.service.container import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return None


def authenticate(request: Request, key: str | None) -> Principal:
    """Authenticate ``key`` (or the request's headers) and remember the principal for the audit log."""
    services = get_services(request)
    principal = services.auth.authenticate(key)
    request.state.principal = principal
    return principal


def get_principal(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(alias="X-API-Key", include_in_schema=False)] = None,
) -> Principal:
    return authenticate(request, presented_key(authorization, x_api_key))


def require(feature: str) -> Callable[..., Principal]:
    """Dependency: the authenticated principal, after checking ``feature`` is in its tier (403 otherwise)."""

    def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        principal.require(feature)
        return principal

    dependency.__name__ = f"require_{feature}"
    return dependency


def set_audit(request: Request, *, records: int | None = None, job_id: str | None = None, **_: Any) -> None:
    """Attach counts to this request's audit entry."""
    if records is not None:
        request.state.audit_records = int(records)
    if job_id is not None:
        request.state.audit_job_id = job_id


ServicesDep = Annotated[Services, Depends(get_services)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
