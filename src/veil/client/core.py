"""The shared SDK core: builds requests, maps errors to exceptions, parses responses.

``SyncClient`` and ``AsyncClient`` are thin shells over httpx2 (the maintained fork of
httpx that Starlette's TestClient prefers; see docs/dependencies.md). Both accept an
injected ``http_client`` or ``transport``, so tests run them in-process against the app::

    client = AnonymizationClient(transport=httpx2.ASGITransport(app=app))   # async
    client = AnonymizationClient(http_client=TestClient(app))               # sync
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx2 as httpx

from veil import __version__
from veil.client.exceptions import (
    AnonymizationConnectionError,
    APIError,
    InvalidRequestError,
    TierRestrictionError,
)

DEFAULT_BASE_URL = "http://localhost:8000"
DEFAULT_TIMEOUT = 30.0
UPLOAD_THRESHOLD_BYTES = 5 * 1024 * 1024


def _base_url(base_url: str | None) -> str:
    return (base_url or os.environ.get("VEIL_URL") or DEFAULT_BASE_URL).rstrip("/")


def build_headers(headers: Mapping[str, str] | None, api_key: str | None) -> dict[str, str]:
    out = {"User-Agent": f"veil-sdk/{__version__}", "Accept": "application/json"}
    key = api_key or os.environ.get("VEIL_API_KEY")
    if key:
        out["X-API-Key"] = key
    out.update(headers or {})
    return out


def clean_params(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    out: dict[str, Any] = {}
    for k, v in params.items():
        if v is None:
            continue
        out[k] = str(v).lower() if isinstance(v, bool) else v
    return out


def raise_for_response(response: httpx.Response) -> None:
    """Map an error response to the SDK's exceptions."""
    if response.status_code < 400:
        return
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    err = body.get("error", {}) if isinstance(body, dict) else {}
    if not isinstance(err, dict):
        err = {"message": str(err)}
    message = (
        str(err.get("message") or body.get("detail") if isinstance(body, dict) else body)
        or response.reason_phrase
    )
    field = err.get("field")
    code = err.get("code")
    if response.status_code == 403 and code == "tier_restricted":
        details = err.get("details") or {}
        raise TierRestrictionError(
            message,
            tier=details.get("tier"),
            feature=details.get("feature"),
            required_tier=details.get("required_tier"),
            body=body,
        )
    if response.status_code == 422 or (response.status_code == 400 and field):
        # every refusal that names a field is the seed's ValidationError (and an APIError)
        raise InvalidRequestError(message, status_code=response.status_code, body=body, code=code, field=field)
    raise APIError(message, status_code=response.status_code, body=body, code=code, field=field)


def parse(response: httpx.Response) -> Any:
    raise_for_response(response)
    if response.status_code == 204 or not response.content:
        return None
    ctype = response.headers.get("content-type", "").lower()
    if "json" in ctype and not any(s in ctype for s in ("ndjson", "jsonl", "jsonlines", "json-seq")):
        return response.json()
    return response.content


class SyncClient:
    """Base of every synchronous client."""

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        headers: dict[str, str] | None = None,
        *,
        api_key: str | None = None,
        http_client: Any = None,
        transport: Any = None,
    ) -> None:
        self.base_url = _base_url(base_url)
        self.timeout = timeout
        self._owns_client = http_client is None
        self._http: Any = http_client or httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport
        )
        self._headers = build_headers(headers, api_key)
        #: Local tables (files, DataFrames) above this many bytes are uploaded, not inlined.
        self.upload_threshold = UPLOAD_THRESHOLD_BYTES

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        from veil.client.uploads import large_timeout, resolve_sync

        json, uploaded = resolve_sync(self, json)
        if uploaded:
            timeout = large_timeout(self, timeout)
        merged = {**self._headers, **(headers or {})}
        kwargs: dict[str, Any] = {"params": clean_params(params), "headers": merged}
        if json is not None:
            kwargs["json"] = json
        if content is not None:
            kwargs["content"] = content
        if timeout is not None or self._owns_client:
            kwargs["timeout"] = timeout or self.timeout
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise AnonymizationConnectionError.unreachable(self.base_url, exc) from exc
        return parse(response)

    def close(self) -> None:
        """Close the HTTP client."""
        if self._owns_client:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient:
    """Base of every asynchronous client."""

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        headers: dict[str, str] | None = None,
        *,
        api_key: str | None = None,
        http_client: Any = None,
        transport: Any = None,
    ) -> None:
        self.base_url = _base_url(base_url)
        self.timeout = timeout
        self._owns_client = http_client is None
        self._http: Any = http_client or httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, transport=transport
        )
        self._headers = build_headers(headers, api_key)
        #: Local tables (files, DataFrames) above this many bytes are uploaded, not inlined.
        self.upload_threshold = UPLOAD_THRESHOLD_BYTES

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        from veil.client.uploads import large_timeout, resolve_async

        json, uploaded = await resolve_async(self, json)
        if uploaded:
            timeout = large_timeout(self, timeout)
        merged = {**self._headers, **(headers or {})}
        kwargs: dict[str, Any] = {"params": clean_params(params), "headers": merged}
        if json is not None:
            kwargs["json"] = json
        if content is not None:
            kwargs["content"] = content
        if timeout is not None or self._owns_client:
            kwargs["timeout"] = timeout or self.timeout
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise AnonymizationConnectionError.unreachable(self.base_url, exc) from exc
        return parse(response)

    async def close(self) -> None:
        """Close the HTTP client."""
        if self._owns_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
