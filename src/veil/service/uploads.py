"""Uploads: a raw CSV, Parquet or JSON Lines body streamed into the object store, then named
``veil://uploads/<id>`` in any request that takes ``data``.

The body is written chunk by chunk (never held whole in memory) under
``uploads/<principal digest>/<id>.<ext>``, then read once in a streaming pass that checks
it parses and counts its rows (a CSV that pyarrow's parser reads by itself, up to
``PARSE_AT_UPLOAD_BYTES``, is read into its table instead, kept for the request that uses
it); a file that does not parse is deleted and refused (400).
An upload belongs to the principal that sent it (another one gets 404) and is deleted,
with its object, once ``VEIL_UPLOAD_TTL_SECONDS`` have passed: by a sweep every
``VEIL_UPLOAD_SWEEP_SECONDS`` in each server process that serves uploads, and at once
when an expired one is named.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import logging
import threading
import time
import weakref
from datetime import UTC, datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import delete, select

from veil.errors import InvalidInputError, NotFoundError, PayloadTooLargeError
from veil.io import load_table
from veil.io.tables import load_csv_arrow, may_hold_nul, refuse_nul_cells
from veil.jobs.streams import PrefixedReader
from veil.store.models import new_id
from veil.store.models.uploads import Upload

if TYPE_CHECKING:
    from veil.service.container import Services

log = logging.getLogger("veil.service.uploads")

UPLOAD_PREFIX = "veil://uploads/"
FORMATS = ("csv", "parquet", "jsonl")
_EXT = {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl"}
_CONTENT_TYPES = {
    "text/csv": "csv",
    "application/csv": "csv",
    "text/tab-separated-values": "csv",
    "application/vnd.apache.parquet": "parquet",
    "application/x-parquet": "parquet",
    "application/parquet": "parquet",
    "application/x-ndjson": "jsonl",
    "application/ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl",
}
_FORMAT_ALIASES = {"csv": "csv", "parquet": "parquet", "pq": "parquet", "jsonl": "jsonl", "ndjson": "jsonl"}
MEDIA_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "jsonl": "application/x-ndjson"}


def upload_format(content_type: str | None, fmt: str | None) -> str:
    """The upload's format from ``?format=`` (first) or the Content-Type."""
    if fmt:
        f = _FORMAT_ALIASES.get(fmt.lower().strip())
        if f is None:
            raise InvalidInputError("format must be csv, parquet or jsonl", field="format")
        return f
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype in _CONTENT_TYPES:
        return _CONTENT_TYPES[ctype]
    raise InvalidInputError(
        "send Content-Type text/csv, application/vnd.apache.parquet or application/x-ndjson, "
        "or give ?format=csv|parquet|jsonl",
        field="format",
    )


def _owner_dir(principal: str) -> str:
    return hashlib.sha256(principal.encode("utf-8")).hexdigest()[:16]


def upload_id(ref: str, field: str = "data") -> str:
    """The id in ``veil://uploads/<id>`` (or a bare id)."""
    raw = ref[len(UPLOAD_PREFIX) :] if ref.startswith(UPLOAD_PREFIX) else ref
    raw = raw.strip().strip("/")
    if not raw or len(raw) > 64 or not all(c.isalnum() or c == "-" for c in raw):
        raise InvalidInputError("not an upload reference; expected veil://uploads/<id>", field=field)
    return raw


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def upload_dict(row: Upload) -> dict[str, Any]:
    return {
        "id": row.id,
        "data": f"{UPLOAD_PREFIX}{row.id}",
        "format": row.format,
        "rows": int(row.row_count),
        "columns": int(row.column_count),
        "bytes": int(row.size_bytes),
        "created_at": _iso(row.created_at),
        "expires_at": _iso(row.expires_at),
    }


# ------------------------------------------------------------------------------- writing
class UploadSink:
    """One upload being written: ``write`` chunks, then ``commit`` (or ``abort``)."""

    def __init__(self, services: Services, principal: str, fmt: str, limit: int | None = None) -> None:
        self.services = services
        self.principal = principal
        self.fmt = fmt
        self.limit = int(limit if limit is not None else services.settings.max_upload_bytes)
        self.id = new_id()
        self.key = f"uploads/{_owner_dir(principal)}/{self.id}.{_EXT[fmt]}"
        self.size = 0
        self._stack = contextlib.ExitStack()
        self._fh: IO[bytes] = self._stack.enter_context(services.store.writer(self.key))
        ensure_sweeper(services)

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise PayloadTooLargeError(
                f"the upload exceeds the limit of {self.limit} bytes (VEIL_MAX_UPLOAD_BYTES)", field="body"
            )
        self._fh.write(chunk)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._stack.__exit__(RuntimeError, RuntimeError("upload aborted"), None)

    def commit(self) -> dict[str, Any]:
        self._stack.close()  # moves the object into place
        try:
            if self.size == 0:
                raise InvalidInputError("the upload is empty", field="body")
            frame = parse_csv_once(self.services, self.key, self.size) if self.fmt == "csv" else None
            if frame is not None:
                rows, columns = int(frame.shape[0]), int(frame.shape[1])
            else:
                rows, columns = inspect_object(self.services, self.key, self.fmt)
            if rows == 0:
                raise InvalidInputError("the table has a header but no rows", field="body")
        except BaseException:
            self.services.store.delete(self.key)
            raise
        now = datetime.now(UTC)
        row = Upload(
            id=self.id,
            principal=self.principal,
            format=self.fmt,
            object_key=self.key,
            size_bytes=self.size,
            row_count=rows,
            column_count=columns,
            created_at=now,
            expires_at=now + timedelta(seconds=self.services.settings.upload_ttl_seconds),
        )
        try:
            with self.services.db.session() as s:
                s.add(row)
        except BaseException:
            self.services.store.delete(self.key)
            raise
        if frame is not None:
            _RECENT.put(self.services, self.id, frame)  # the request that uses it reads no file
        return upload_dict(row)


def create_upload(services: Services, principal: str, fmt: str, chunks: Any) -> dict[str, Any]:
    """Write an iterable of byte chunks as one upload (the synchronous form of ``UploadSink``)."""
    sink = UploadSink(services, principal, fmt)
    try:
        for chunk in chunks:
            sink.write(chunk)
    except BaseException:
        sink.abort()
        raise
    return sink.commit()


# ------------------------------------------------------------------------------- checking
def _sniff(sample: bytes) -> str:
    text = sample.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


#: CSV uploads up to this size are read into a table once, at upload (see parse_csv_once)
PARSE_AT_UPLOAD_BYTES = 256 << 20


def parse_csv_once(services: Services, key: str, size: int) -> pd.DataFrame | None:
    """The table a CSV upload will be read as (``load_table`` of its bytes), read at upload
    when pyarrow's parser reads it by itself: that parser's row count is the one
    :func:`inspect_object` gives, and the first request that names the upload (typically a
    job's checks, then the job) finds it parsed. ``None`` (and the streaming inspection
    decides) above ``PARSE_AT_UPLOAD_BYTES``, for quoted or irregular files, and for headers
    the inspection refuses."""
    if size > PARSE_AT_UPLOAD_BYTES:
        return None
    raw = services.store.get(key)
    if not _header_matches(raw[:65536], None):
        return None
    frame = load_csv_arrow(raw, field="data")
    if frame is not None and may_hold_nul(raw):
        return None  # read (and refused) when a request names the upload
    return frame if frame is None or _header_matches(raw[:65536], frame) else None


def _header_matches(head: bytes, frame: pd.DataFrame | None) -> bool:
    """The header row (in ``head``, the file's first bytes) names some column and, given a
    table, as many as it has: the streaming inspection's count then agrees with it."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=_sniff(head)), [])
    if not header or all(not h.strip() for h in header):
        return False
    return frame is None or frame.shape[1] == len(header)


def inspect_object(services: Services, key: str, fmt: str) -> tuple[int, int]:
    """(rows, columns) of a stored table, read in a streaming pass; 400 if it does not parse."""
    kind = {"csv": "CSV", "parquet": "Parquet", "jsonl": "JSON Lines"}[fmt]
    try:
        with services.store.open(key) as fh:
            if fmt == "parquet":
                import pyarrow.parquet as pq

                meta = pq.ParquetFile(fh).metadata
                return int(meta.num_rows), int(meta.num_columns)
            if fmt == "jsonl":
                return _jsonl_shape(fh)
            return _csv_shape(fh)
    except InvalidInputError:
        raise
    except Exception as exc:  # pyarrow and parser errors; their text may quote cells: not shown
        raise InvalidInputError(f"malformed {kind}: {type(exc).__name__}", field="body") from None


def _csv_shape(fh: IO[bytes]) -> tuple[int, int]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    head = fh.read(65536)
    sep = _sniff(head)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=sep), [])
    if not header or all(not h.strip() for h in header):
        raise InvalidInputError("the CSV has no header row", field="body")
    names = [f"c{i}" for i in range(len(header))]
    rest = io.BufferedReader(PrefixedReader(head, fh), buffer_size=1 << 20)
    reader = pacsv.open_csv(
        rest,
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=8 << 20),
        parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}),
    )
    rows = sum(batch.num_rows for batch in reader)
    return rows, len(header)


def _jsonl_shape(fh: IO[bytes]) -> tuple[int, int]:
    rows = 0
    columns: set[str] = set()
    decoder = codecs.getincrementaldecoder("utf-8")()
    for number, line in enumerate(fh, start=1):
        stripped = decoder.decode(line).strip()
        if not stripped:
            continue
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            raise InvalidInputError(f"malformed JSON Lines at line {number}", field="body") from None
        if not isinstance(obj, dict):
            raise InvalidInputError(f"line {number} is not a JSON object", field="body")
        if len(columns) < 10_000:
            columns.update(obj)
        rows += 1
    return rows, len(columns)


# ------------------------------------------------------------------------------- reading
def _expired(row: Upload) -> bool:
    return row.expires_at <= datetime.now(UTC)


def _load_row(services: Services, principal: str | None, ref: str, field: str) -> Upload:
    uid = upload_id(ref, field)
    with services.db.session() as s:
        row = s.get(Upload, uid)
        if row is not None and principal is not None and row.principal == principal and not _expired(row):
            s.expunge(row)
            return row
    if row is not None and _expired(row):
        _remove(services, uid)
    raise NotFoundError(f"no upload {UPLOAD_PREFIX}{uid} (it may have expired)", field=field)


def get_upload(services: Services, principal: str | None, ref: str, field: str = "upload_id") -> dict[str, Any]:
    """The metadata of the caller's upload (404 for anyone else's and for expired ones)."""
    return upload_dict(_load_row(services, principal, ref, field))


def delete_upload(services: Services, principal: str | None, ref: str) -> dict[str, Any]:
    row = _load_row(services, principal, ref, "upload_id")
    _remove(services, row.id)
    return {"deleted": row.id, "data": f"{UPLOAD_PREFIX}{row.id}"}


def read_upload(services: Services, principal: str | None, ref: str, field: str = "data") -> pd.DataFrame:
    """The caller's upload as a DataFrame, read exactly as ``veil.io.load_table`` reads the same
    file sent inline (values keep their spelling: ``02138`` stays ``02138``); Parquet keeps
    its column types."""
    row = _load_row(services, principal, ref, field)  # ownership and expiry: checked every time
    cached = _RECENT.get(services, row.id)
    if cached is not None:
        return cached
    raw = services.store.get(row.object_key)
    frame = load_table(raw, fmt=row.format, field=field)
    if row.format == "parquet" or may_hold_nul(raw):
        refuse_nul_cells(frame, field)
    del raw
    _RECENT.put(services, row.id, frame)
    return frame.copy(deep=False)


class _RecentFrame:
    """The last upload read, kept ``RECENT_SECONDS``: a job submitted on an upload reads it
    twice (the checks before queuing, then the job), and a caller often runs detect / risk /
    anonymize on one upload in a row. One frame per ``Services``; callers get shallow copies
    (pandas copy-on-write: their changes never reach the cached frame)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: weakref.WeakKeyDictionary[Any, tuple[str, float, pd.DataFrame]] = weakref.WeakKeyDictionary()

    def get(self, services: Any, uid: str) -> pd.DataFrame | None:
        with self._lock:
            item = self._items.get(services)
            if item is None:
                return None
            if item[0] != uid or time.monotonic() - item[1] > RECENT_SECONDS:
                if time.monotonic() - item[1] > RECENT_SECONDS:
                    del self._items[services]
                return None
            return item[2].copy(deep=False)

    def put(self, services: Any, uid: str, frame: pd.DataFrame) -> None:
        with self._lock:
            self._items[services] = (uid, time.monotonic(), frame)

    def prune(self, services: Any) -> None:
        with self._lock:
            item = self._items.get(services)
            if item is not None and time.monotonic() - item[1] > RECENT_SECONDS:
                del self._items[services]

    def drop(self, services: Any, uid: str) -> None:
        with self._lock:
            item = self._items.get(services)
            if item is not None and item[0] == uid:
                del self._items[services]


RECENT_SECONDS = 60.0
_RECENT = _RecentFrame()


def open_upload(services: Services, principal: str | None, ref: str, field: str = "data") -> tuple[IO[bytes], str]:
    """A binary stream of the caller's upload and its format (for streaming readers)."""
    row = _load_row(services, principal, ref, field)
    return services.store.open(row.object_key), row.format


# ------------------------------------------------------------------------------- expiry
def _remove(services: Services, uid: str) -> None:
    _RECENT.drop(services, uid)
    with services.db.session() as s:
        row = s.get(Upload, uid)
        if row is None:
            return
        key = row.object_key
        s.delete(row)
    services.store.delete(key)


def sweep(services: Services, now: datetime | None = None, limit: int = 1000) -> int:
    """Delete expired uploads and their objects; returns how many were deleted."""
    moment = now or datetime.now(UTC)
    with services.db.session() as s:
        rows = s.execute(
            select(Upload.id, Upload.object_key).where(Upload.expires_at <= moment).limit(limit)
        ).all()
    for uid, key in rows:
        services.store.delete(key)
        with services.db.session() as s:
            s.execute(delete(Upload).where(Upload.id == uid))
    return len(rows)


_SWEEPERS: weakref.WeakKeyDictionary[Any, threading.Thread] = weakref.WeakKeyDictionary()
_SWEEPERS_LOCK = threading.Lock()


def ensure_sweeper(services: Services) -> None:
    """Start (once per ``Services``) the daemon thread that sweeps expired uploads.

    The thread holds only a weak reference, so it ends with the services it sweeps.
    """
    with _SWEEPERS_LOCK:
        if services in _SWEEPERS:
            return
        ref = weakref.ref(services)
        interval = float(services.settings.upload_sweep_seconds)
        thread = threading.Thread(target=_sweep_loop, args=(ref, interval), name="veil-upload-sweep", daemon=True)
        _SWEEPERS[services] = thread
        thread.start()


def _sweep_loop(ref: weakref.ReferenceType[Any], interval: float) -> None:
    while True:
        services = ref()
        if services is None:
            return
        try:
            _RECENT.prune(services)
            n = sweep(services)
            if n:
                log.info("deleted %d expired uploads", n)
        except Exception as exc:  # a closed database at shutdown, a store outage: try again later
            log.debug("upload sweep failed: %s", type(exc).__name__)
        del services
        time.sleep(interval)
