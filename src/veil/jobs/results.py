"""Result tables of finished jobs, streamed out of the object store in any of csv, parquet
or json (``GET /v1/jobs/{id}/result``).

A job that produces a table stores it as one object per job and names its key in its
result (``result_key``; older jobs only have ``result_path``, a URI under the store root).
Downloads never build the whole table in memory when the stored format is csv or parquet:
a stored object in the asked format is copied in 4 MiB chunks; otherwise it is read in
record batches (pyarrow) and each batch is converted and sent as it is read. CSV is read
with every column as text, so codes such as ``02138`` are never re-typed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from veil.errors import ConflictError, InvalidInputError, NotFoundError
from veil.jobs.streams import PrefixedReader

DOWNLOAD_FORMATS = ("csv", "parquet", "json", "jsonl")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}
_EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "jsonl"}
CHUNK = 1 << 20
#: pieces of a stored object sent as they are (fewer, larger writes to the socket)
COPY_CHUNK = 4 << 20
BATCH_ROWS = 65_536


@dataclass(frozen=True)
class StoredResult:
    key: str
    format: str
    size: int


def write_result_table(store: Any, key: str, frame: Any, fmt: str, *, coded: Any = None) -> int:
    """Store a job's result table under ``key`` (atomically), in pieces; returns its size.

    CSV comes from :mod:`veil.io.fastcsv` (the bytes of ``to_csv(index=False)``, several
    times faster and never the whole file in one buffer; ``coded`` is the anonymization's
    ``AnonymizationResult.coded``, its generalized columns as labels and codes); Parquet is
    written straight into the store; JSON is the records array of ``veil.io.table_to_bytes``.
    """
    if fmt == "csv":
        from veil.io.fastcsv import csv_pieces

        return int(store.put_stream(key, csv_pieces(frame, coded=coded)))
    if fmt == "parquet":
        with store.writer(key) as fh:
            frame.to_parquet(fh, index=False)
        return int(store.size(key))
    from veil.io import table_to_bytes

    store.put(key, table_to_bytes(frame, fmt))
    return int(store.size(key))


def _format_of(key: str) -> str:
    lower = key.lower()
    for ext, fmt in _EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    raise NotFoundError("the job's result is not a stored table", field="job_id")


def _key_from_path(store: Any, path: str) -> str | None:
    root = store.uri("x")[:-1]  # the URI prefix every key gets
    return path[len(root) :] if path.startswith(root) else None


def locate_result(services: Any, job_id: str, principal: str) -> StoredResult:
    """The stored result table of the caller's job: 404 for another principal's job or a job
    without a stored table, 409 while the job has not completed."""
    job = services.jobs.get(job_id, principal)
    if job["status"] != "completed":
        raise ConflictError(
            f"the job is {job['status']}; its result can be downloaded once it has completed",
            field="job_id",
        )
    result = (job.get("context") or {}).get("result") or {}
    key = result.get("result_key") if isinstance(result, dict) else None
    if not key and job.get("result_path"):
        key = _key_from_path(services.store, str(job["result_path"]))
    if not key:
        raise NotFoundError(
            "this job has no stored result table (it was written to output_uri or the job makes none)",
            field="job_id",
        )
    if not services.store.exists(key):
        raise NotFoundError("the result of this job is no longer stored", field="job_id")
    return StoredResult(str(key), _format_of(str(key)), services.store.size(key))


def download_format(fmt: str | None, stored: StoredResult) -> str:
    if fmt is None:
        return stored.format
    f = fmt.lower().strip()
    if f == "ndjson":
        f = "jsonl"
    if f not in DOWNLOAD_FORMATS:
        raise InvalidInputError("format must be csv, parquet or json", field="format")
    return f


def stream_result(store: Any, stored: StoredResult, fmt: str) -> Iterator[bytes]:
    """The stored table in ``fmt``, as a sequence of byte chunks."""
    fh = store.open(stored.key)
    try:
        if fmt == stored.format:
            while chunk := fh.read(COPY_CHUNK):
                yield chunk
            return
        batches = _batches(fh, stored.format)
        if fmt == "csv":
            yield from _csv_chunks(batches)
        elif fmt == "parquet":
            yield from _parquet_chunks(batches)
        else:
            yield from _json_chunks(batches, lines=fmt == "jsonl")
    finally:
        fh.close()


# ------------------------------------------------------------------------------ readers
def _batches(fh: IO[bytes], fmt: str) -> Iterator[Any]:
    import pyarrow as pa

    if fmt == "parquet":
        import pyarrow.parquet as pq

        yield from pq.ParquetFile(fh).iter_batches(batch_size=BATCH_ROWS)
        return
    if fmt == "csv":
        import pyarrow.csv as pacsv

        head = fh.read(CHUNK)
        first = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", errors="replace").lstrip("\ufeff")
        import csv

        names = next(csv.reader([first]), [])
        stream = io.BufferedReader(PrefixedReader(head, fh), buffer_size=CHUNK)
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
        yield from reader
        return
    # json / jsonl: the stored object is read whole (job results are stored as csv or parquet
    # unless the caller asked for json), then sent in batches
    import pandas as pd

    raw = fh.read()
    frame = pd.read_json(io.BytesIO(raw), lines=fmt == "jsonl", orient="records", dtype=False)
    table = pa.Table.from_pandas(frame.astype(object).where(frame.notna(), None), preserve_index=False)
    yield from table.to_batches(max_chunksize=BATCH_ROWS)


# ------------------------------------------------------------------------------ writers
class _Collector(io.RawIOBase):
    """A sink that keeps what is written until it is drained."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.parts.append(data)
        return len(data)

    def drain(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def _csv_chunks(batches: Iterator[Any]) -> Iterator[bytes]:
    import pyarrow.csv as pacsv

    return _writer_chunks(batches, pacsv.CSVWriter)


def _parquet_chunks(batches: Iterator[Any]) -> Iterator[bytes]:
    import pyarrow.parquet as pq

    return _writer_chunks(batches, pq.ParquetWriter)


def _writer_chunks(batches: Iterator[Any], open_writer: Callable[[Any, Any], Any]) -> Iterator[bytes]:
    """Write ``batches`` with ``open_writer(sink, schema)`` (a pyarrow table writer), yielding
    the bytes as they are written."""
    sink = _Collector()
    writer = None
    for batch in batches:
        if writer is None:
            writer = open_writer(sink, batch.schema)
        writer.write_batch(batch)
        if data := sink.drain():
            yield data
    if writer is not None:
        writer.close()
    if data := sink.drain():
        yield data


def _json_chunks(batches: Iterator[Any], *, lines: bool) -> Iterator[bytes]:
    first = True
    if not lines:
        yield b"["
    for batch in batches:
        rows = batch.to_pylist()
        if not rows:
            continue
        text = "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in rows) if lines else ",".join(
            json.dumps(r, ensure_ascii=False, default=str) for r in rows
        )
        if lines:
            yield (text + "\n").encode("utf-8")
        else:
            yield (("" if first else ",") + text).encode("utf-8")
        first = False
    if not lines:
        yield b"]"
