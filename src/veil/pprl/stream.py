"""Streaming CSV hashing: constant memory, ordered results, optional worker processes.

The CSV is read chunk by chunk (``chunk_size`` rows); with ``workers > 1`` chunks go to a
process pool with a bounded number in flight, and results come back in input order. A job
system can instead take the chunks from :func:`iter_row_chunks` and hash each one on its own
with :func:`veil.pprl.encoder.hash_chunk`.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import IO, Any, Literal

from veil.errors import InvalidInputError
from veil.pprl.csvsplit import parse_chunk, split_csv
from veil.pprl.encoder import ClkEncoder, ClkResult, make_results

HeaderMode = bool | Literal["ignore"]
DEFAULT_CHUNK_SIZE = 10_000
MAX_CELL_CHARS = 1 << 20

_worker_encoder: ClkEncoder | None = None


def text_stream(stream: IO[str] | IO[bytes]) -> IO[str]:
    """Text view of a stream; bytes are decoded as UTF-8 (a leading BOM is dropped)."""
    if isinstance(stream, io.TextIOBase):
        return stream  # type: ignore[return-value]
    probe = getattr(stream, "mode", "")
    if isinstance(probe, str) and probe and "b" not in probe:
        return stream  # type: ignore[return-value]
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # type: ignore[type-var,arg-type]


def default_strip(encoder: ClkEncoder) -> bool:
    """clkhash 0.14's CSV reader strips every cell; 0.18.3's does not."""
    return encoder.mode == "two-key"


def _reader(stream: IO[str] | IO[bytes]) -> Iterator[list[str]]:
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(text_stream(stream))
    try:
        yield from reader
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV near line {reader.line_num}: {exc}", field="data") from None
    except UnicodeDecodeError:
        raise InvalidInputError(
            f"the CSV is not valid UTF-8 (near line {reader.line_num + 1})", field="data"
        ) from None


def iter_row_chunks(
    stream: IO[str] | IO[bytes],
    encoder: ClkEncoder,
    *,
    header: HeaderMode = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    strip_cells: bool | None = None,
) -> Iterator[list[list[str]]]:
    """Lists of at most ``chunk_size`` rows; the header (if any) is checked first.

    A wrong header raises :class:`InvalidInputError` with ``field="header"`` before any chunk.
    """
    if chunk_size < 1:
        raise InvalidInputError("chunk_size must be at least 1", field="chunk_size")
    if header not in (True, False, "ignore"):
        raise InvalidInputError("header must be true, false or 'ignore'", field="header")
    strip = default_strip(encoder) if strip_cells is None else strip_cells
    rows = _reader(stream)
    if header:
        first = next(rows, None)
        if first is None:
            raise InvalidInputError("the CSV is empty: a header row is expected", field="header")
        if header != "ignore":
            encoder.check_header(first)
    while True:
        chunk = list(islice(rows, chunk_size))
        if not chunk:
            return
        if strip:
            chunk = [[cell.strip() for cell in row] for row in chunk]
        yield chunk


def _init_worker(encoder: ClkEncoder) -> None:
    global _worker_encoder
    _worker_encoder = encoder


def _hash_in_worker(rows: list[list[str]], start: int) -> tuple[int, list[str | None], dict[int, str]]:
    """Plain lists and dicts cross the process boundary: they pickle much faster than objects."""
    assert _worker_encoder is not None
    clks, errors = _worker_encoder.encode_chunk(rows, start)
    return start, clks, errors


def _results(start: int, clks: list[str | None], errors: dict[int, str]) -> list[ClkResult]:
    return make_results(start, clks, errors)


def _pool(encoder: ClkEncoder, workers: int, mp_context: str | None) -> ProcessPoolExecutor:
    if mp_context is None:
        mp_context = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(mp_context),
        initializer=_init_worker,
        initargs=(encoder,),
    )


def hash_chunks(
    chunks: Iterable[list[list[str]]],
    encoder: ClkEncoder,
    *,
    start_index: int = 0,
    workers: int = 1,
    mp_context: str | None = None,
) -> Iterator[ClkResult]:
    """Hash chunks in order, in this process (``workers=1``) or in a pool of ``workers``."""
    workers = resolve_workers(workers)
    index = start_index
    if workers == 1:
        for chunk in chunks:
            yield from encoder.hash_rows(chunk, index)
            index += len(chunk)
        return
    with _pool(encoder, workers, mp_context) as pool:
        pending: deque[Future[tuple[int, list[str | None], dict[int, str]]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_hash_in_worker, chunk, index))
            index += len(chunk)
            if len(pending) >= 2 * workers:
                yield from _results(*pending.popleft().result())
        while pending:
            yield from _results(*pending.popleft().result())


def resolve_workers(workers: int | None) -> int:
    """``None`` or ``0`` means one per CPU."""
    if workers is None or workers == 0:
        return max(1, os.cpu_count() or 1)
    if workers < 0:
        raise InvalidInputError("workers must be positive", field="workers")
    return workers


def _hash_text_in_worker(
    text: str, start: int, strip: bool
) -> tuple[int, list[str | None], dict[int, str]]:
    assert _worker_encoder is not None
    clks, errors = _worker_encoder.encode_chunk(parse_chunk(text, strip_cells=strip), start)
    return start, clks, errors


def iter_csv_clks(
    stream: IO[str] | IO[bytes],
    encoder: ClkEncoder,
    *,
    header: HeaderMode = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int = 1,
    strip_cells: bool | None = None,
    start_index: int = 0,
    mp_context: str | None = None,
) -> Iterator[ClkResult]:
    """Stream a CSV and yield one :class:`ClkResult` per data row, in order.

    With ``workers > 1`` this process only finds record boundaries (:mod:`veil.pprl.csvsplit`);
    the workers parse and hash whole chunks of CSV text.
    """
    workers = resolve_workers(workers)
    if workers == 1:
        chunks = iter_row_chunks(stream, encoder, header=header, chunk_size=chunk_size, strip_cells=strip_cells)
        yield from hash_chunks(chunks, encoder, start_index=start_index)
        return
    if header not in (True, False, "ignore"):
        raise InvalidInputError("header must be true, false or 'ignore'", field="header")
    strip = default_strip(encoder) if strip_cells is None else strip_cells
    header_cells, text_chunks = split_csv(text_stream(stream), chunk_size, header=bool(header))
    if header is True:
        assert header_cells is not None
        encoder.check_header(header_cells)
    with _pool(encoder, workers, mp_context) as pool:
        pending: deque[Future[tuple[int, list[str | None], dict[int, str]]]] = deque()
        for chunk in text_chunks:
            pending.append(pool.submit(_hash_text_in_worker, chunk.text, start_index + chunk.first, strip))
            if len(pending) >= 2 * workers:
                yield from _results(*pending.popleft().result())
        while pending:
            yield from _results(*pending.popleft().result())


def hash_records(
    rows: Iterable[Sequence[str]],
    encoder: ClkEncoder,
    *,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    start_index: int = 0,
) -> list[ClkResult]:
    """Hash in-memory records (no stripping, no header) and return every result."""

    def chunks() -> Iterator[list[list[str]]]:
        if isinstance(rows, list):
            for i in range(0, len(rows), chunk_size):
                yield rows[i:i + chunk_size]  # type: ignore[misc]
            return
        it = iter(rows)
        while chunk := [list(r) for r in islice(it, chunk_size)]:
            yield chunk

    workers = resolve_workers(workers)
    if workers > 1 and isinstance(rows, list) and "fork" in multiprocessing.get_all_start_methods():
        return _hash_shared(rows, encoder, workers, chunk_size, start_index)
    return list(hash_chunks(chunks(), encoder, start_index=start_index, workers=workers))


_shared_rows: list[Sequence[str]] | None = None


def _hash_shared_range(lo: int, hi: int, start: int) -> tuple[int, list[str | None], dict[int, str]]:
    assert _worker_encoder is not None and _shared_rows is not None
    clks, errors = _worker_encoder.encode_chunk(_shared_rows[lo:hi], start)
    return start, clks, errors


def _hash_shared(
    rows: list[Sequence[str]], encoder: ClkEncoder, workers: int, chunk_size: int, start_index: int
) -> list[ClkResult]:
    """Forked workers inherit ``rows``: only index ranges and results cross process boundaries."""
    global _shared_rows
    _shared_rows = rows
    try:
        with _pool(encoder, workers, "fork") as pool:
            futures = [
                pool.submit(_hash_shared_range, lo, min(lo + chunk_size, len(rows)), start_index + lo)
                for lo in range(0, len(rows), chunk_size)
            ]
            out: list[ClkResult] = []
            for future in futures:
                out += _results(*future.result())
            return out
    finally:
        _shared_rows = None


def hash_csv(
    source: str | os.PathLike[str] | IO[str] | IO[bytes],
    encoder: ClkEncoder,
    **options: Any,
) -> list[ClkResult]:
    """Convenience: every result of :func:`iter_csv_clks` for a path or an open stream."""
    if isinstance(source, str | os.PathLike):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            return list(iter_csv_clks(fh, encoder, **options))
    return list(iter_csv_clks(source, encoder, **options))

