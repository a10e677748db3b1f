"""Big tables in and out of the service, for both SDK clients.

In: a local file or a DataFrame given as ``data`` to any SDK method becomes a
:class:`LocalTable`; when the request is sent it is either inlined as JSON records (small
tables, as before) or, above ``client.upload_threshold`` bytes (default
:data:`UPLOAD_THRESHOLD_BYTES`, 5 MB), streamed to ``POST /v1/uploads`` and replaced by the
``veil://uploads/<id>`` it returns. CSV, Parquet and JSON Lines files are sent as they are
(1 MiB chunks, never read whole); other files (JSON arrays, compressed files) and DataFrames
are sent as Parquet (JSON Lines when a column mixes types Parquet cannot hold). A call that
carries an upload gets at least :data:`LARGE_CALL_TIMEOUT` seconds.

Out: ``client.download_result(job_id, path=None, format=None)`` streams
``GET /v1/jobs/{id}/result`` to a file (returns its path) or into a DataFrame.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2 as httpx

from veil.client.core import UPLOAD_THRESHOLD_BYTES, parse, raise_for_response
from veil.client.exceptions import AnonymizationConnectionError, ValidationError

#: The least time a call that uploads or downloads a table may take (seconds).
LARGE_CALL_TIMEOUT = 3600.0
CHUNK = 1 << 20
_RAW_FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
CONTENT_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "jsonl": "application/x-ndjson"}
DATA_FIELDS = ("data", "original_data", "anonymized_data")
Progress = Callable[[int], Any]


@dataclass(frozen=True)
class UploadInfo:
    """What ``POST /v1/uploads`` answered: pass ``data`` wherever a method takes data."""

    id: str
    data: str
    format: str
    rows: int
    columns: int
    bytes: int
    created_at: str | None = None
    expires_at: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> UploadInfo:
        return cls(
            id=str(d.get("id")),
            data=str(d.get("data")),
            format=str(d.get("format")),
            rows=int(d.get("rows") or 0),
            columns=int(d.get("columns") or 0),
            bytes=int(d.get("bytes") or 0),
            created_at=d.get("created_at"),
            expires_at=d.get("expires_at"),
            raw=dict(d),
        )


# ------------------------------------------------------------------------------ local tables
class LocalTable:
    """A local file or DataFrame given as ``data``: uploaded or inlined when the call is sent."""

    def __init__(self, data: Any, field: str = "data") -> None:
        self.data = data
        self.field = field

    @property
    def is_frame(self) -> bool:
        return hasattr(self.data, "columns") and callable(getattr(self.data, "to_json", None))

    def path(self) -> Path:
        return Path(str(self.data).removeprefix("file://"))

    def size(self) -> int:
        """Bytes on disk, or the DataFrame's in-memory size (about its JSON size)."""
        if self.is_frame:
            return int(self.data.memory_usage(deep=True, index=False).sum())
        try:
            return self.path().stat().st_size
        except OSError:
            raise ValidationError(f"cannot read {self.path()}", field=self.field) from None

    def inline(self) -> Any:
        """The JSON body value, exactly as the SDK sends small tables."""
        from veil.client.dp import data_payload

        return data_payload(self.data, self.field, upload=False)

    def body(self) -> tuple[Iterator[bytes], str, int]:
        """(chunks, format, size) of what is uploaded."""
        if not self.is_frame:
            p = self.path()
            fmt = _RAW_FORMATS.get(p.suffix.lower())
            if fmt is not None:
                size = p.stat().st_size
                return _file_chunks(p), fmt, size
            from veil.io import load_table

            try:
                frame = load_table(str(p), field=self.field)
            except Exception as exc:
                raise ValidationError(str(exc), field=self.field) from None
            payload, fmt = frame_bytes(frame)
        else:
            payload, fmt = frame_bytes(self.data)
        return iter([payload[i : i + CHUNK] for i in range(0, len(payload), CHUNK)]), fmt, len(payload)


def is_remote_reference(data: Any) -> bool:
    """A URI the service resolves (``veil://uploads/``, ``s3://`` ...; anything but file://)."""
    return isinstance(data, str) and "://" in data and not data.startswith("file://")


def local_table(data: Any, field: str = "data") -> LocalTable | None:
    """A :class:`LocalTable` for a local path or a DataFrame; ``None`` for anything else."""
    if isinstance(data, Path) or (isinstance(data, str) and ("://" not in data or data.startswith("file://"))):
        return LocalTable(data, field)
    if hasattr(data, "columns") and callable(getattr(data, "to_json", None)):
        return LocalTable(data, field)
    return None


def frame_bytes(frame: Any) -> tuple[bytes, str]:
    """A DataFrame as Parquet (types kept), or JSON Lines when Parquet cannot hold a column."""
    buf = io.BytesIO()
    try:
        frame.to_parquet(buf, index=False)
        return buf.getvalue(), "parquet"
    except Exception:  # mixed-type object columns (pyarrow refuses them)
        text = frame.to_json(orient="records", lines=True, date_format="iso")
        return text.encode("utf-8"), "jsonl"


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _counted(chunks: Iterator[bytes], progress: Progress | None) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk
        if progress is not None:
            progress(len(chunk))


async def _acounted(chunks: Iterator[bytes], progress: Progress | None) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk
        if progress is not None:
            progress(len(chunk))


def _upload_source(data: Any, format: str | None) -> tuple[Iterator[bytes], str, int]:
    table = data if isinstance(data, LocalTable) else local_table(data)
    if table is None:
        raise ValidationError("upload takes a local file path or a DataFrame", field="data")
    chunks, fmt, size = table.body()
    if format is not None:
        f = format.lower()
        if f not in CONTENT_TYPES:
            raise ValidationError("format must be csv, parquet or jsonl", field="format")
        if f != fmt:
            raise ValidationError(f"the file holds {fmt}, not {f}", field="format")
    return chunks, fmt, size


def _upload_headers(client: Any, fmt: str, size: int) -> dict[str, str]:
    return {**client._headers, "Content-Type": CONTENT_TYPES[fmt], "Content-Length": str(size)}


def _timeout(client: Any) -> httpx.Timeout:
    return httpx.Timeout(client.timeout, read=max(float(client.timeout), LARGE_CALL_TIMEOUT),
                         write=max(float(client.timeout), LARGE_CALL_TIMEOUT))


def _threshold(client: Any) -> int:
    return int(getattr(client, "upload_threshold", None) or UPLOAD_THRESHOLD_BYTES)


def _has_local(body: Any) -> bool:
    return isinstance(body, dict) and any(isinstance(body.get(k), LocalTable) for k in DATA_FIELDS)


def upload_sync(client: Any, data: Any, *, format: str | None = None, progress: Progress | None = None) -> UploadInfo:
    chunks, fmt, size = _upload_source(data, format)
    try:
        response = client._http.request(
            "POST", "/v1/uploads", content=_counted(chunks, progress), headers=_upload_headers(client, fmt, size),
            timeout=_timeout(client),
        )
    except httpx.TransportError as exc:
        raise AnonymizationConnectionError.unreachable(client.base_url, exc) from exc
    return UploadInfo.from_dict(parse(response))


async def upload_async(
    client: Any, data: Any, *, format: str | None = None, progress: Progress | None = None
) -> UploadInfo:
    chunks, fmt, size = _upload_source(data, format)
    try:
        response = await client._http.request(
            "POST", "/v1/uploads", content=_acounted(chunks, progress), headers=_upload_headers(client, fmt, size),
            timeout=_timeout(client),
        )
    except httpx.TransportError as exc:
        raise AnonymizationConnectionError.unreachable(client.base_url, exc) from exc
    return UploadInfo.from_dict(parse(response))


def resolve_sync(client: Any, body: Any) -> tuple[Any, bool]:
    """``body`` with every LocalTable inlined or uploaded; True when something was uploaded."""
    if not _has_local(body):
        return body, False
    out, uploaded = dict(body), False
    for key in DATA_FIELDS:
        value = out.get(key)
        if isinstance(value, LocalTable):
            if value.size() > _threshold(client):
                out[key] = upload_sync(client, value).data
                uploaded = True
            else:
                out[key] = value.inline()
    return out, uploaded


async def resolve_async(client: Any, body: Any) -> tuple[Any, bool]:
    if not _has_local(body):
        return body, False
    out, uploaded = dict(body), False
    for key in DATA_FIELDS:
        value = out.get(key)
        if isinstance(value, LocalTable):
            if value.size() > _threshold(client):
                out[key] = (await upload_async(client, value)).data
                uploaded = True
            else:
                out[key] = value.inline()
    return out, uploaded


def large_timeout(client: Any, timeout: float | None) -> float:
    return max(float(timeout or client.timeout), LARGE_CALL_TIMEOUT)


# ------------------------------------------------------------------------------ downloads
_EXT_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "jsonl",
                ".ndjson": "jsonl"}


def _download_format(path: str | Path | None, format: str | None) -> str:
    if format is not None:
        f = format.lower()
        if f not in ("csv", "parquet", "json", "jsonl"):
            raise ValidationError("format must be csv, parquet, json or jsonl", field="format")
        return f
    if path is None:
        return "parquet"
    return _EXT_FORMATS.get(Path(path).suffix.lower(), "csv")


def _frame_from(payload: bytes, fmt: str) -> Any:
    import pandas as pd

    buf = io.BytesIO(payload)
    if fmt == "parquet":
        return pd.read_parquet(buf)
    if fmt == "csv":
        return pd.read_csv(buf, dtype=str, keep_default_na=False)
    return pd.read_json(buf, lines=fmt == "jsonl", dtype=False, orient="records")


def _result_path(job_id: str) -> str:
    return f"/v1/jobs/{quote(str(job_id), safe='')}/result"


def _raise_stream_error(response: Any) -> None:
    raise_for_response(response)


def download_sync(
    client: Any, job_id: str, path: str | Path | None = None, *, format: str | None = None,
    progress: Progress | None = None,
) -> Any:
    fmt = _download_format(path, format)
    target = Path(path) if path is not None else None
    sink: Any = io.BytesIO()
    tmp = None
    try:
        with client._http.stream("GET", _result_path(job_id), params={"format": fmt}, headers=client._headers,
                                 timeout=_timeout(client)) as response:
            if response.status_code >= 400:
                response.read()
                _raise_stream_error(response)
            if target is not None:
                tmp = target.with_name(target.name + ".part")
                sink = tmp.open("wb")
            for chunk in response.iter_bytes(CHUNK):
                sink.write(chunk)
                if progress is not None:
                    progress(len(chunk))
    except httpx.TransportError as exc:
        raise AnonymizationConnectionError.unreachable(client.base_url, exc) from exc
    finally:
        if tmp is not None:
            sink.close()
    return _finish(sink, tmp, target, fmt)


async def download_async(
    client: Any, job_id: str, path: str | Path | None = None, *, format: str | None = None,
    progress: Progress | None = None,
) -> Any:
    fmt = _download_format(path, format)
    target = Path(path) if path is not None else None
    sink: Any = io.BytesIO()
    tmp = None
    try:
        async with client._http.stream("GET", _result_path(job_id), params={"format": fmt},
                                       headers=client._headers, timeout=_timeout(client)) as response:
            if response.status_code >= 400:
                await response.aread()
                _raise_stream_error(response)
            if target is not None:
                tmp = target.with_name(target.name + ".part")
                sink = tmp.open("wb")
            async for chunk in response.aiter_bytes(CHUNK):
                sink.write(chunk)
                if progress is not None:
                    progress(len(chunk))
    except httpx.TransportError as exc:
        raise AnonymizationConnectionError.unreachable(client.base_url, exc) from exc
    finally:
        if tmp is not None:
            sink.close()
    return _finish(sink, tmp, target, fmt)


def _finish(sink: Any, tmp: Path | None, target: Path | None, fmt: str) -> Any:
    if target is not None and tmp is not None:
        os.replace(tmp, target)
        return target
    return _frame_from(sink.getvalue(), fmt)


# ------------------------------------------------------------------------------ client methods
class UploadsMixin:
    """``upload``, ``get_upload``, ``delete_upload``, ``download_result`` of the sync client."""

    _request: Any

    def upload(self, data: Any, *, format: str | None = None, progress: Progress | None = None) -> UploadInfo:
        """Upload a local CSV / Parquet / JSON Lines file (streamed) or a DataFrame; pass the
        returned ``.data`` (``veil://uploads/<id>``) as ``data`` to any method."""
        return upload_sync(self, data, format=format, progress=progress)

    def get_upload(self, upload_id: str) -> UploadInfo:
        """Metadata of one of your uploads (id or ``veil://uploads/<id>``)."""
        uid = str(upload_id).removeprefix("veil://uploads/")
        return UploadInfo.from_dict(self._request("GET", f"/v1/uploads/{quote(uid, safe='')}"))

    def delete_upload(self, upload_id: str) -> None:
        """Delete an upload now (otherwise it expires on the server's schedule)."""
        uid = str(upload_id).removeprefix("veil://uploads/")
        self._request("DELETE", f"/v1/uploads/{quote(uid, safe='')}")

    def download_result(
        self, job_id: str, path: str | Path | None = None, *, format: str | None = None,
        progress: Progress | None = None,
    ) -> Any:
        """Stream a completed job's result table: to ``path`` (returns the Path; format from
        the extension unless given) or, without a path, into a pandas DataFrame (sent as
        Parquet). CSV is read with every cell as text."""
        return download_sync(self, job_id, path, format=format, progress=progress)


class AsyncUploadsMixin:
    """The same methods for the async client."""

    _request: Any

    async def upload(
        self, data: Any, *, format: str | None = None, progress: Progress | None = None
    ) -> UploadInfo:
        """Upload a local file or a DataFrame (async version)."""
        return await upload_async(self, data, format=format, progress=progress)

    async def get_upload(self, upload_id: str) -> UploadInfo:
        """Metadata of one of your uploads (async version)."""
        uid = str(upload_id).removeprefix("veil://uploads/")
        return UploadInfo.from_dict(await self._request("GET", f"/v1/uploads/{quote(uid, safe='')}"))

    async def delete_upload(self, upload_id: str) -> None:
        """Delete an upload now (async version)."""
        uid = str(upload_id).removeprefix("veil://uploads/")
        await self._request("DELETE", f"/v1/uploads/{quote(uid, safe='')}")

    async def download_result(
        self, job_id: str, path: str | Path | None = None, *, format: str | None = None,
        progress: Progress | None = None,
    ) -> Any:
        """Stream a completed job's result table (async version)."""
        return await download_async(self, job_id, path, format=format, progress=progress)


__all__ = [
    "LARGE_CALL_TIMEOUT",
    "UPLOAD_THRESHOLD_BYTES",
    "AsyncUploadsMixin",
    "LocalTable",
    "UploadInfo",
    "UploadsMixin",
    "local_table",
]
