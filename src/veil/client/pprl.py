"""SDK for the record-linkage hashing service (seed 000): ``PprlClient`` and ``AsyncPprlClient``.

Keys go in request headers by default (``keys_in="headers"``): query strings end up in proxy
logs. ``keys_in="query"`` reproduces the seed's requests exactly; ``"body"`` sends them in the
JSON body next to the schema.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any, Literal
from urllib.parse import quote

from veil.client.core import AsyncClient, SyncClient
from veil.client.exceptions import VeilClientError
from veil.client.jobs import AsyncJobsMixin, JobsMixin

KeysIn = Literal["headers", "query", "body"]
Upload = str | bytes | os.PathLike[str] | IO[bytes]
PAGE = 100_000
_FILE_BLOCK = 1 << 20


def _project(project_id: str) -> str:
    return "/projects/" + quote(project_id, safe="")


def _key_args(
    schema: dict[str, Any], keys: dict[str, str | None], keys_in: KeysIn
) -> dict[str, Any]:
    given = {k: v for k, v in keys.items() if v is not None}
    if keys_in == "query":
        return {"json": schema, "params": given}
    if keys_in == "headers":
        names = {"key1": "X-PPRL-Key1", "key2": "X-PPRL-Key2", "secret": "X-PPRL-Secret"}
        return {"json": schema, "headers": {names[k]: v for k, v in given.items()}}
    if keys_in == "body":
        return {"json": {"schema": schema, **given}}
    raise ValueError("keys_in must be 'headers', 'query' or 'body'")


def _file_blocks(path: str | os.PathLike[str]) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while block := fh.read(_FILE_BLOCK):
            yield block


def _body(data: Upload) -> Any:
    """Strings and bytes are sent as they are; paths and binary files are streamed."""
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, bytes):
        return data
    if isinstance(data, os.PathLike):
        return _file_blocks(data)
    return iter(lambda: data.read(_FILE_BLOCK), b"")


async def _async_blocks(data: os.PathLike[str] | IO[bytes]) -> AsyncIterator[bytes]:
    for block in _body(data):
        yield block


def _finished(status: list[dict[str, Any]]) -> bool:
    return all(r["status"] in ("done", "error") for r in status)


class PprlClient(JobsMixin, SyncClient):
    """Synchronous client of the hashing service."""

    def create_project(
        self,
        project_id: str,
        schema: dict[str, Any],
        *,
        key1: str | None = None,
        key2: str | None = None,
        secret: str | None = None,
        keys_in: KeysIn = "headers",
    ) -> dict[str, Any]:
        """Create a project (201). Give ``key1`` and ``key2`` (clkhash <= 0.14) or ``secret``."""
        args = _key_args(schema, {"key1": key1, "key2": key2, "secret": secret}, keys_in)
        result: dict[str, Any] = self._request("POST", _project(project_id), **args)
        return result

    def list_projects(self) -> list[str]:
        return list(self._request("GET", "/projects")["projects"])

    def delete_project(self, project_id: str) -> None:
        self._request("DELETE", _project(project_id))

    def upload_clks(self, project_id: str, data: Upload, *, header: bool = True) -> dict[str, int]:
        """Upload CSV records (text, bytes, a path or a binary file): ``{clk_number, clk_start_index}``."""
        result: dict[str, int] = self._request(
            "POST", _project(project_id) + "/clks/", params={"header": header}, content=_body(data),
            headers={"Content-Type": "text/csv"},
        )
        return result

    def clks_status(self, project_id: str) -> list[dict[str, Any]]:
        return list(self._request("GET", _project(project_id) + "/clks")["clks_status"])

    def get_clks(self, project_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
        """Entries ``{index, status, hash, errMsg}`` in ``[offset, offset + limit)``, paging as needed."""
        out: list[dict[str, Any]] = []
        for start in range(offset, offset + limit, PAGE) if limit else []:
            size = min(PAGE, offset + limit - start)
            out += self._request("GET", f"{_project(project_id)}/clks/{start}/{size}")["clks"]
        return out

    def delete_clks(self, project_id: str, offset: int, limit: int) -> None:
        self._request("DELETE", f"{_project(project_id)}/clks/{offset}/{limit}")

    def wait_for_clks(self, project_id: str, *, timeout: float = 600, poll: float = 0.5) -> list[dict[str, Any]]:
        """Poll the status until no range is queued or in progress; returns the final ranges."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.clks_status(project_id)
            if _finished(status):
                return status
            if time.monotonic() > deadline:
                raise VeilClientError(f"hashing of project '{project_id}' did not finish in {timeout} s")
            time.sleep(poll)

    def hash_csv(self, project_id: str, data: Upload, *, header: bool = True, timeout: float = 600) -> list[dict[str, Any]]:
        """Upload, wait, and return the entries of this upload (in record order)."""
        uploaded = self.upload_clks(project_id, data, header=header)
        self.wait_for_clks(project_id, timeout=timeout)
        return self.get_clks(project_id, uploaded["clk_start_index"], uploaded["clk_number"])

    # foundation endpoints
    def get_job(self, job_id: str) -> Any:
        return self._get_job(job_id)

    def health(self) -> Any:
        return self._health()


class AsyncPprlClient(AsyncJobsMixin, AsyncClient):
    """Asynchronous client of the hashing service (same methods, awaitable)."""

    async def create_project(
        self,
        project_id: str,
        schema: dict[str, Any],
        *,
        key1: str | None = None,
        key2: str | None = None,
        secret: str | None = None,
        keys_in: KeysIn = "headers",
    ) -> dict[str, Any]:
        args = _key_args(schema, {"key1": key1, "key2": key2, "secret": secret}, keys_in)
        result: dict[str, Any] = await self._request("POST", _project(project_id), **args)
        return result

    async def list_projects(self) -> list[str]:
        return list((await self._request("GET", "/projects"))["projects"])

    async def delete_project(self, project_id: str) -> None:
        await self._request("DELETE", _project(project_id))

    async def upload_clks(self, project_id: str, data: Upload, *, header: bool = True) -> dict[str, int]:
        content: Any = _body(data) if isinstance(data, str | bytes) else _async_blocks(data)
        result: dict[str, int] = await self._request(
            "POST", _project(project_id) + "/clks/", params={"header": header}, content=content,
            headers={"Content-Type": "text/csv"},
        )
        return result

    async def clks_status(self, project_id: str) -> list[dict[str, Any]]:
        return list((await self._request("GET", _project(project_id) + "/clks"))["clks_status"])

    async def get_clks(self, project_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for start in range(offset, offset + limit, PAGE) if limit else []:
            size = min(PAGE, offset + limit - start)
            out += (await self._request("GET", f"{_project(project_id)}/clks/{start}/{size}"))["clks"]
        return out

    async def delete_clks(self, project_id: str, offset: int, limit: int) -> None:
        await self._request("DELETE", f"{_project(project_id)}/clks/{offset}/{limit}")

    async def wait_for_clks(
        self, project_id: str, *, timeout: float = 600, poll: float = 0.5
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            status = await self.clks_status(project_id)
            if _finished(status):
                return status
            if time.monotonic() > deadline:
                raise VeilClientError(f"hashing of project '{project_id}' did not finish in {timeout} s")
            await asyncio.sleep(poll)

    async def hash_csv(
        self, project_id: str, data: Upload, *, header: bool = True, timeout: float = 600
    ) -> list[dict[str, Any]]:
        uploaded = await self.upload_clks(project_id, data, header=header)
        await self.wait_for_clks(project_id, timeout=timeout)
        return await self.get_clks(project_id, uploaded["clk_start_index"], uploaded["clk_number"])

    async def get_job(self, job_id: str) -> Any:
        return await self._get_job(job_id)

    async def health(self) -> Any:
        return await self._health()


__all__ = ["AsyncPprlClient", "PprlClient"]
