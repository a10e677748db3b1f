"""SDK for text de-identification (seed 002): ``TextClient`` (sync) and ``AsyncTextClient``.

    from veil.client import TextClient
    with TextClient("http://localhost:8000", api_key="...") as tc:
        res = tc.deidentify("Hi John, my name is Grace.")
        res["result"]   # 'Hi [NAME_1], my name is [NAME_2].'

``deidentify`` returns the seed's response: one dict for a string, a list of dicts for a
list of strings.

User-defined recognizers are stored per key and used by every later de-identification::

    tc.create_recognizer("employee", "EMPLOYEE_ID", [(r"EMP-\\d{6}", 0.9)], context=["employee"])
    tc.deidentify("employee EMP-123456 left")["result"]   # 'employee [EMPLOYEE_ID_1] left'
    tc.list_recognizers(); tc.get_recognizer("employee"); tc.delete_recognizer("employee")

Files of texts (JSONL or CSV) go through batch jobs::

    job = tc.deidentify_batch("notes.jsonl")          # or bytes, or "s3://bucket/notes.csv"
    tc.wait_for_batch(job["job_id"])                  # polls GET /v1/jobs/{job_id}
    tc.download_batch_result(job["job_id"], "notes.deid.jsonl")

The key goes in the body's ``key`` field (the seed's contract) and, when the client has
one, in the ``X-API-Key`` header too.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2 as httpx

from veil.client.core import AsyncClient, SyncClient, raise_for_response
from veil.client.exceptions import AnonymizationConnectionError, APIError, ValidationError

_CLOUD_SCHEMES = ("s3://", "gs://", "gcs://", "az://", "abfs://", "abfss://")
_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
_DONE = ("completed", "failed", "cancelled")


def _batch_call(
    data: str | Path | bytes,
    *,
    format: str | None,
    text_field: str,
    id_field: str | None,
    include_pii: bool,
    partition_size: int | None,
    options: dict[str, Any],
) -> tuple[str, dict[str, Any]]:
    """Path and request arguments: a cloud URI goes to POST /v1/text/batch (the service reads
    it); a local file or bytes is uploaded to POST /v1/text/batch/upload."""
    opts = {k: v for k, v in options.items() if v is not None}
    if isinstance(data, str) and data.startswith(_CLOUD_SCHEMES):
        body: dict[str, Any] = {"input_uri": data, "text_field": text_field, "include_pii": include_pii}
        for name, value in (("format", format), ("id_field", id_field), ("partition_size", partition_size)):
            if value is not None:
                body[name] = value
        if opts:
            body["options"] = opts
        return "/v1/text/batch", {"json": body}
    if isinstance(data, bytes):
        content = data
    else:
        path = Path(data)
        if not path.is_file():
            raise ValidationError(f"no such file: {path.name}", field="data")
        content = path.read_bytes()
        format = format or _EXTENSIONS.get(path.suffix.lower())
    if format is None:
        raise ValidationError("give format='jsonl' or format='csv' (or a .jsonl/.csv file)", field="format")
    params: dict[str, Any] = {
        "format": format,
        "text_field": text_field,
        "id_field": id_field,
        "include_pii": str(include_pii).lower(),
        "partition_size": partition_size,
        "options": json.dumps(opts) if opts else None,
    }
    return "/v1/text/batch/upload", {
        "content": content,
        "params": params,
        "headers": {"Content-Type": "application/octet-stream"},
    }


def _finished(job: dict[str, Any], job_id: str) -> dict[str, Any] | None:
    if job.get("status") not in _DONE:
        return None
    if job["status"] != "completed":
        raise APIError(
            f"batch job {job_id} {job['status']}: {job.get('error') or job.get('message') or ''}".rstrip(": "),
            status_code=409,
            body=job,
        )
    return job


def _save(content: bytes, path: str | Path | None) -> bytes:
    if path is not None:
        Path(path).write_bytes(content)
    return content


def _body(
    text: str | Sequence[str],
    key: str | None,
    default_key: str | None,
    options: dict[str, Any],
) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text if isinstance(text, str) else list(text), "key": key or default_key or ""}
    body.update({k: v for k, v in options.items() if v is not None})
    return body


def _recognizer_body(
    name: str,
    entity_type: str,
    patterns: Sequence[Mapping[str, Any] | tuple[str, float] | str],
    context: Sequence[str] | None,
    languages: Sequence[str] | None,
    validator: str | None,
    min_score: float | None = None,
) -> dict[str, Any]:
    """The body of POST /v1/text/recognizers; a pattern is ``{"regex", "score"}``, a
    ``(regex, score)`` pair, or a bare regex (score 0.5)."""
    out: list[dict[str, Any]] = []
    for p in patterns:
        if isinstance(p, str):
            out.append({"regex": p, "score": 0.5})
        elif isinstance(p, tuple):
            out.append({"regex": p[0], "score": p[1]})
        else:
            out.append(dict(p))
    body: dict[str, Any] = {"name": name, "entity_type": entity_type, "patterns": out}
    body["context"] = list(context or [])
    if languages is not None:
        body["languages"] = list(languages)
    body["validator"] = validator
    if min_score is not None:
        body["min_score"] = min_score
    return body


def _recognizer_path(recognizer_id: str) -> str:
    if not recognizer_id:
        raise ValidationError("give a recognizer id or name", field="id")
    return f"/v1/text/recognizers/{quote(recognizer_id, safe='')}"


class TextClient(SyncClient):
    """Synchronous client of ``/deidentify_text``, ``/get_usage``, ``/healthz`` and ``/v1/entity_types``."""

    def _default_key(self) -> str | None:
        return self._headers.get("X-API-Key")

    def deidentify(
        self,
        text: str | Sequence[str],
        *,
        key: str | None = None,
        accuracy_mode: str | None = None,
        link_batch: bool | None = None,
        enabled_classes: Sequence[str] | None = None,
        unique_pii_markers: bool | None = None,
        marker_format: str | None = None,
        allow_list: Sequence[str] | None = None,
        block_list: dict[str, str] | None = None,
        fake_entity_accuracy_mode: str | None = None,
        preserve_relationships: bool | None = None,
        timeout: float | None = None,
    ) -> Any:
        """De-identify a text (-> dict) or a list of texts (-> list of dicts)."""
        options = {
            "accuracy_mode": accuracy_mode,
            "link_batch": link_batch,
            "enabled_classes": list(enabled_classes) if enabled_classes is not None else None,
            "unique_pii_markers": unique_pii_markers,
            "marker_format": marker_format,
            "allow_list": list(allow_list) if allow_list is not None else None,
            "block_list": block_list,
            "fake_entity_accuracy_mode": fake_entity_accuracy_mode,
            "preserve_relationships": preserve_relationships,
        }
        body = _body(text, key, self._default_key(), options)
        return self._request("POST", "/deidentify_text", json=body, timeout=timeout)

    def get_usage(self, key: str | None = None) -> int:
        """API credits used this month by the key."""
        out = self._request("POST", "/get_usage", json={"key": key or self._default_key() or ""})
        return int(out["calls_made"])

    def healthz(self) -> dict[str, bool]:
        result: dict[str, bool] = self._request("GET", "/healthz")
        return result

    def entity_types(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._request("GET", "/v1/entity_types")["entity_types"]
        return result

    # --- user-defined recognizers (stored per key, used by every de-identification of the key)
    def create_recognizer(
        self,
        name: str,
        entity_type: str,
        patterns: Sequence[Mapping[str, Any] | tuple[str, float] | str],
        *,
        context: Sequence[str] | None = None,
        languages: Sequence[str] | None = None,
        validator: str | None = None,
        min_score: float | None = None,
    ) -> dict[str, Any]:
        """Store a recognizer -> it with its ``id`` (an ``APIError`` with status 409 for a taken
        name). ``languages`` None: every language; ``validator``: e.g. ``"luhn"``, ``"iban"``."""
        body = _recognizer_body(name, entity_type, patterns, context, languages, validator, min_score)
        result: dict[str, Any] = self._request("POST", "/v1/text/recognizers", json=body)
        return result

    def list_recognizers(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._request("GET", "/v1/text/recognizers")["recognizers"]
        return result

    def get_recognizer(self, recognizer_id: str) -> dict[str, Any]:
        """One recognizer by id or name."""
        result: dict[str, Any] = self._request("GET", _recognizer_path(recognizer_id))
        return result

    def delete_recognizer(self, recognizer_id: str) -> dict[str, Any]:
        """Delete a recognizer by id or name -> the deleted recognizer."""
        result: dict[str, Any] = self._request("DELETE", _recognizer_path(recognizer_id))
        return result

    def deidentify_batch(
        self,
        data: str | Path | bytes,
        *,
        format: str | None = None,
        text_field: str = "text",
        id_field: str | None = None,
        include_pii: bool = True,
        partition_size: int | None = None,
        accuracy_mode: str | None = None,
        enabled_classes: Sequence[str] | None = None,
        unique_pii_markers: bool | None = None,
        marker_format: str | None = None,
        allow_list: Sequence[str] | None = None,
        block_list: dict[str, str] | None = None,
        fake_entity_accuracy_mode: str | None = None,
        preserve_relationships: bool | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Start a batch job over a JSONL/CSV file of texts -> the job (``job_id``, ``status``).

        ``data``: a local path or bytes (uploaded; the file is read into memory) or a cloud URI
        (``s3://``, ``gs://``, ``az://``) that the service reads. ``format`` defaults to the
        file's extension. The options are those of :meth:`deidentify`, applied to every text.
        """
        path, kwargs = _batch_call(
            data, format=format, text_field=text_field, id_field=id_field, include_pii=include_pii,
            partition_size=partition_size,
            options={
                "accuracy_mode": accuracy_mode,
                "enabled_classes": list(enabled_classes) if enabled_classes is not None else None,
                "unique_pii_markers": unique_pii_markers,
                "marker_format": marker_format,
                "allow_list": list(allow_list) if allow_list is not None else None,
                "block_list": block_list,
                "fake_entity_accuracy_mode": fake_entity_accuracy_mode,
                "preserve_relationships": preserve_relationships,
            },
        )
        result: dict[str, Any] = self._request("POST", path, timeout=timeout, **kwargs)
        return result

    def wait_for_batch(self, job_id: str, *, poll_interval: float = 1.0, timeout: float = 600.0) -> dict[str, Any]:
        """Poll ``GET /v1/jobs/{job_id}`` until the job ends -> the completed job.

        Raises APIError if it failed or was cancelled, TimeoutError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            done = _finished(self._request("GET", f"/v1/jobs/{job_id}"), job_id)
            if done is not None:
                return done
            if time.monotonic() >= deadline:
                raise TimeoutError(f"job {job_id} did not finish within {timeout} s")
            time.sleep(max(0.0, min(poll_interval, deadline - time.monotonic())))

    def download_batch_result(self, job_id: str, path: str | Path | None = None) -> bytes:
        """The JSONL result of a completed batch job (also written to ``path`` when given)."""
        kwargs: dict[str, Any] = {"headers": dict(self._headers)}
        if self._owns_client:
            kwargs["timeout"] = self.timeout
        try:
            response = self._http.request("GET", f"/v1/text/batch/{job_id}/result", **kwargs)
        except httpx.TransportError as exc:
            raise AnonymizationConnectionError.unreachable(self.base_url, exc) from exc
        raise_for_response(response)
        return _save(bytes(response.content), path)


class AsyncTextClient(AsyncClient):
    """Asynchronous twin of :class:`TextClient`."""

    def _default_key(self) -> str | None:
        return self._headers.get("X-API-Key")

    async def deidentify(
        self,
        text: str | Sequence[str],
        *,
        key: str | None = None,
        accuracy_mode: str | None = None,
        link_batch: bool | None = None,
        enabled_classes: Sequence[str] | None = None,
        unique_pii_markers: bool | None = None,
        marker_format: str | None = None,
        allow_list: Sequence[str] | None = None,
        block_list: dict[str, str] | None = None,
        fake_entity_accuracy_mode: str | None = None,
        preserve_relationships: bool | None = None,
        timeout: float | None = None,
    ) -> Any:
        """De-identify a text (-> dict) or a list of texts (-> list of dicts)."""
        options = {
            "accuracy_mode": accuracy_mode,
            "link_batch": link_batch,
            "enabled_classes": list(enabled_classes) if enabled_classes is not None else None,
            "unique_pii_markers": unique_pii_markers,
            "marker_format": marker_format,
            "allow_list": list(allow_list) if allow_list is not None else None,
            "block_list": block_list,
            "fake_entity_accuracy_mode": fake_entity_accuracy_mode,
            "preserve_relationships": preserve_relationships,
        }
        body = _body(text, key, self._default_key(), options)
        return await self._request("POST", "/deidentify_text", json=body, timeout=timeout)

    async def get_usage(self, key: str | None = None) -> int:
        out = await self._request("POST", "/get_usage", json={"key": key or self._default_key() or ""})
        return int(out["calls_made"])

    async def healthz(self) -> dict[str, bool]:
        result: dict[str, bool] = await self._request("GET", "/healthz")
        return result

    async def entity_types(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = (await self._request("GET", "/v1/entity_types"))["entity_types"]
        return result

    async def create_recognizer(
        self,
        name: str,
        entity_type: str,
        patterns: Sequence[Mapping[str, Any] | tuple[str, float] | str],
        *,
        context: Sequence[str] | None = None,
        languages: Sequence[str] | None = None,
        validator: str | None = None,
        min_score: float | None = None,
    ) -> dict[str, Any]:
        """Async version of :meth:`TextClient.create_recognizer`."""
        body = _recognizer_body(name, entity_type, patterns, context, languages, validator, min_score)
        result: dict[str, Any] = await self._request("POST", "/v1/text/recognizers", json=body)
        return result

    async def list_recognizers(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = (await self._request("GET", "/v1/text/recognizers"))["recognizers"]
        return result

    async def get_recognizer(self, recognizer_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("GET", _recognizer_path(recognizer_id))
        return result

    async def delete_recognizer(self, recognizer_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("DELETE", _recognizer_path(recognizer_id))
        return result

    async def deidentify_batch(
        self,
        data: str | Path | bytes,
        *,
        format: str | None = None,
        text_field: str = "text",
        id_field: str | None = None,
        include_pii: bool = True,
        partition_size: int | None = None,
        accuracy_mode: str | None = None,
        enabled_classes: Sequence[str] | None = None,
        unique_pii_markers: bool | None = None,
        marker_format: str | None = None,
        allow_list: Sequence[str] | None = None,
        block_list: dict[str, str] | None = None,
        fake_entity_accuracy_mode: str | None = None,
        preserve_relationships: bool | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Async version of :meth:`TextClient.deidentify_batch`."""
        path, kwargs = _batch_call(
            data, format=format, text_field=text_field, id_field=id_field, include_pii=include_pii,
            partition_size=partition_size,
            options={
                "accuracy_mode": accuracy_mode,
                "enabled_classes": list(enabled_classes) if enabled_classes is not None else None,
                "unique_pii_markers": unique_pii_markers,
                "marker_format": marker_format,
                "allow_list": list(allow_list) if allow_list is not None else None,
                "block_list": block_list,
                "fake_entity_accuracy_mode": fake_entity_accuracy_mode,
                "preserve_relationships": preserve_relationships,
            },
        )
        result: dict[str, Any] = await self._request("POST", path, timeout=timeout, **kwargs)
        return result

    async def wait_for_batch(
        self, job_id: str, *, poll_interval: float = 1.0, timeout: float = 600.0
    ) -> dict[str, Any]:
        """Async version of :meth:`TextClient.wait_for_batch`."""
        deadline = time.monotonic() + timeout
        while True:
            done = _finished(await self._request("GET", f"/v1/jobs/{job_id}"), job_id)
            if done is not None:
                return done
            if time.monotonic() >= deadline:
                raise TimeoutError(f"job {job_id} did not finish within {timeout} s")
            await asyncio.sleep(max(0.0, min(poll_interval, deadline - time.monotonic())))

    async def download_batch_result(self, job_id: str, path: str | Path | None = None) -> bytes:
        """Async version of :meth:`TextClient.download_batch_result`."""
        kwargs: dict[str, Any] = {"headers": dict(self._headers)}
        if self._owns_client:
            kwargs["timeout"] = self.timeout
        try:
            response = await self._http.request("GET", f"/v1/text/batch/{job_id}/result", **kwargs)
        except httpx.TransportError as exc:
            raise AnonymizationConnectionError.unreachable(self.base_url, exc) from exc
        raise_for_response(response)
        return _save(bytes(response.content), path)
