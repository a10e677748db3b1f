"""Job and audit methods shared by every client (mixins over ``SyncClient`` / ``AsyncClient``).

Return plain dicts; the anonymization client wraps them in the seed's dataclasses.
"""

from __future__ import annotations

from typing import Any


class JobsMixin:
    _request: Any

    def _list_jobs(
        self, status: str | None = None, limit: int = 100, offset: int = 0, kind: str | None = None
    ) -> Any:
        return self._request(
            "GET", "/v1/jobs", params={"status": status, "limit": limit, "offset": offset, "kind": kind}
        )

    def _get_job(self, job_id: str, wait: float | None = None) -> Any:
        return self._request("GET", f"/v1/jobs/{job_id}", params={"wait": wait} if wait else None)

    def _job_history(self, job_id: str) -> Any:
        return self._request("GET", f"/v1/jobs/{job_id}/history")

    def _cancel_job(self, job_id: str) -> Any:
        return self._request("POST", f"/v1/jobs/{job_id}/cancel")

    def _audit_list(
        self, operation: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> Any:
        return self._request(
            "GET",
            "/v1/audit",
            params={"operation": operation, "status": status, "limit": limit, "offset": offset},
        )

    def _audit_get(self, entry_id: str) -> Any:
        return self._request("GET", f"/v1/audit/{entry_id}")

    def _health(self) -> Any:
        return self._request("GET", "/health")


class AsyncJobsMixin:
    _request: Any

    async def _list_jobs(
        self, status: str | None = None, limit: int = 100, offset: int = 0, kind: str | None = None
    ) -> Any:
        return await self._request(
            "GET", "/v1/jobs", params={"status": status, "limit": limit, "offset": offset, "kind": kind}
        )

    async def _get_job(self, job_id: str, wait: float | None = None) -> Any:
        return await self._request("GET", f"/v1/jobs/{job_id}", params={"wait": wait} if wait else None)

    async def _job_history(self, job_id: str) -> Any:
        return await self._request("GET", f"/v1/jobs/{job_id}/history")

    async def _cancel_job(self, job_id: str) -> Any:
        return await self._request("POST", f"/v1/jobs/{job_id}/cancel")

    async def _audit_list(
        self, operation: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> Any:
        return await self._request(
            "GET",
            "/v1/audit",
            params={"operation": operation, "status": status, "limit": limit, "offset": offset},
        )

    async def _audit_get(self, entry_id: str) -> Any:
        return await self._request("GET", f"/v1/audit/{entry_id}")

    async def _health(self) -> Any:
        return await self._request("GET", "/health")


class VeilClient(JobsMixin):
    """Generic synchronous client for the foundation endpoints (health, jobs, audit); used by the CLI."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from veil.client.core import SyncClient

        self._core = SyncClient(*args, **kwargs)
        self._request = self._core._request

    def health(self) -> Any:
        return self._health()

    def list_jobs(
        self, status: str | None = None, limit: int = 100, offset: int = 0, kind: str | None = None
    ) -> Any:
        return self._list_jobs(status, limit, offset, kind)

    def get_job(self, job_id: str) -> Any:
        return self._get_job(job_id)

    def job_history(self, job_id: str) -> Any:
        return self._job_history(job_id)

    def cancel_job(self, job_id: str) -> Any:
        return self._cancel_job(job_id)

    def audit_list(
        self, operation: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> Any:
        return self._audit_list(operation, status, limit, offset)

    def close(self) -> None:
        self._core.close()
