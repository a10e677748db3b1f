"""CSV bytes of a DataFrame, identical to ``frame.to_csv(index=False)``, built with pyarrow.

pandas writes a million-row table of text in about 5 s on this machine, row by row in
Python's csv module; the same bytes come out of a few vectorised pyarrow kernels in a
fraction of that. The rules reproduced are those of pandas (``QUOTE_MINIMAL``, ``"`` doubled,
``\\n`` line ends): a cell is quoted when it holds ``,``, ``"`` or ``\\n``; missing cells are
empty; text, whole-number and boolean columns are formatted here, and every other column
(floats, dates, mixed objects) is formatted by pandas itself, one column at a time, so the
output never differs from ``to_csv`` (tests/uploads/test_fastcsv.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

ROWS_PER_PIECE = 262_144
#: a column given as its labels and one index into them per row
Coded = tuple[Sequence[str], np.ndarray]


def _quote_all(arr: Any) -> Any:
    """Every value of a large_string array as pandas writes it (nulls empty)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    big = pa.large_string()
    empty = pa.scalar("", big)
    needs = pc.match_substring_regex(arr, '[,"\n]')
    if not pc.any(needs).as_py():  # the usual case: nothing to quote
        return pc.fill_null(arr, empty)
    quote = pa.scalar('"', big)
    escaped = pc.binary_join_element_wise(quote, pc.replace_substring(arr, '"', '""'), quote, empty)
    return pc.fill_null(pc.if_else(needs, escaped, arr), empty)


#: a column with at most one distinct value per this many cells is quoted on its distinct values
DICTIONARY_RATIO = 4
DICTIONARY_MIN_ROWS = 1024


@dataclass(frozen=True)
class _Column:
    """The cells of one column as written (quoted, nulls empty): either ``cells``, one per
    row, or ``values`` (the distinct cells) and ``codes`` (one index into them per row)."""

    cells: Any = None
    values: Any = None
    codes: np.ndarray | None = None

    def materialize(self) -> Any:
        import pyarrow as pa

        if self.cells is not None:
            return self.cells
        assert self.values is not None and self.codes is not None
        return self.values.take(pa.array(self.codes))


def _column_of(arr: Any, *, quote: bool) -> _Column:
    """A text array (the cells before quoting when ``quote``) as a :class:`_Column`; columns
    of few distinct values (generalized quasi-identifiers, codes) are quoted once per
    distinct value and kept as codes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    big = pa.large_string()
    arr = pc.cast(arr, big)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    finish = _quote_all if quote else (lambda a: pc.fill_null(a, pa.scalar("", big)))
    if len(arr) >= DICTIONARY_MIN_ROWS:
        enc = pc.dictionary_encode(arr)
        if len(enc.dictionary) * DICTIONARY_RATIO <= len(arr):
            values = finish(enc.dictionary)
            indices = enc.indices
            if indices.null_count:  # missing cells: one more value, written empty
                indices = pc.fill_null(indices, len(values))
                values = pa.concat_arrays([values, pa.array([""], type=big)])
            return _Column(values=values, codes=indices.to_numpy(zero_copy_only=False))
    return _Column(cells=finish(arr))


def _pandas_cells(series: pd.Series) -> _Column:
    """The cells of one column exactly as pandas writes them (already quoted)."""
    import pyarrow as pa

    text = series.to_frame(name="_").to_csv(index=False, header=False, lineterminator="\n")
    if not text:
        return _Column(cells=pa.array([""] * len(series), type=pa.large_string()))
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))  # pandas' own formatting, unquoted, then quoted again
    return _column_of(pa.array([r[0] if r else "" for r in rows], type=pa.large_string()), quote=True)


def _cells(series: pd.Series) -> _Column:
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = series.dtype
    big = pa.large_string()
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return _column_of(pa.array(series, from_pandas=True), quote=True)
    if pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return _column_of(pc.cast(pa.array(series, from_pandas=True), big), quote=False)
    if pd.api.types.is_bool_dtype(dtype) and not series.isna().any():
        return _column_of(pa.array(["True" if v else "False" for v in series.tolist()], type=big), quote=False)
    if pd.api.types.is_object_dtype(dtype):
        try:  # text in an object column (generalized values): converted in C, or refused
            return _column_of(pa.array(series.to_numpy(), type=big, from_pandas=True), quote=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    return _pandas_cells(series)


def _first_positions(codes: np.ndarray) -> np.ndarray:
    """Where each code first occurs, for codes numbered in order of first appearance
    (``pandas.factorize``): exactly where the running maximum grows."""
    top = np.maximum.accumulate(codes)
    grows = np.empty(len(codes), dtype=bool)
    grows[0] = True
    np.greater(top[1:], top[:-1], out=grows[1:])
    return np.flatnonzero(grows)


def _joined(run: list[_Column]) -> _Column | None:
    """Consecutive coded columns as one: the distinct rows of the run, written once each
    (``,`` between cells), and one code per row; ``None`` when the run has too many distinct
    rows for that to pay."""
    import pyarrow as pa
    import pyarrow.compute as pc

    assert run[0].codes is not None
    n = len(run[0].codes)
    key = run[0].codes.astype(np.int64)
    span = len(run[0].values)  # the key is below this (an exact Python int)
    for col in run[1:]:
        assert col.codes is not None
        if span * len(col.values) >= 1 << 62:  # keep the combined key inside int64
            key, uniques = pd.factorize(key)
            key, span = key.astype(np.int64, copy=False), len(uniques)
        np.multiply(key, len(col.values), out=key)
        np.add(key, col.codes, out=key)
        span *= len(col.values)
    codes, uniques = pd.factorize(key)
    if len(uniques) * DICTIONARY_RATIO > n:
        return None
    first = _first_positions(codes)
    parts = [col.values.take(pa.array(np.asarray(col.codes)[first])) for col in run]
    values = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, pa.scalar(",", pa.large_string()))
    return _Column(values=values, codes=codes)


def _merge_runs(columns: list[_Column]) -> list[_Column]:
    """Runs of consecutive coded columns joined (see :func:`_joined`), in column order."""
    out: list[_Column] = []
    run: list[_Column] = []

    def flush() -> None:
        if len(run) > 1 and (joined := _joined(run)) is not None:
            out.append(joined)
        else:
            out.extend(run)
        run.clear()

    for col in columns:
        if col.codes is not None:
            run.append(col)
        else:
            flush()
            out.append(col)
    flush()
    return out


def _header(frame: pd.DataFrame) -> bytes:
    return frame.iloc[:0].to_csv(index=False, lineterminator="\n").encode("utf-8")


#: pieces built at the same time (pyarrow's kernels release the GIL); bounds the memory too
WORKERS = 2


def _coded_column(labels: Sequence[str], codes: np.ndarray) -> _Column:
    import pyarrow as pa

    values = _quote_all(pa.array([str(v) for v in labels], type=pa.large_string()))
    return _Column(values=values, codes=np.asarray(codes))


def _piece(part: pd.DataFrame, coded: Mapping[str, Coded] | None = None, start: int = 0) -> bytes:
    """The CSV lines of ``part``. Coded columns next to each other are joined on their distinct
    rows (a generalized table has a few thousand among a million), so most of the text is
    built once per distinct row and gathered back by one ``take``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    big = pa.large_string()
    known = coded or {}
    stop = start + part.shape[0]
    columns = _merge_runs([
        _coded_column(known[name][0], known[name][1][start:stop]) if name in known else _cells(part[name])
        for name in part.columns
    ])
    last = columns[-1]  # the line end rides on the last column's cells (or distinct values)
    if last.cells is not None:
        columns[-1] = _Column(cells=pc.binary_join_element_wise(last.cells, pa.scalar("\n", big), pa.scalar("", big)))
    else:
        values = pc.binary_join_element_wise(last.values, pa.scalar("\n", big), pa.scalar("", big))
        columns[-1] = _Column(values=values, codes=last.codes)
    if len(columns) == 1:
        return _buffer_bytes(columns[0].materialize())
    cells = [c.materialize() for c in columns]
    return _buffer_bytes(pc.binary_join_element_wise(*cells, pa.scalar(",", big)))


def csv_pieces(
    frame: pd.DataFrame, rows_per_piece: int = ROWS_PER_PIECE, *, coded: Mapping[str, Coded] | None = None
) -> Iterator[bytes]:
    """``frame.to_csv(index=False).encode()`` as a sequence of byte pieces (header first).

    Pieces of ``rows_per_piece`` rows are built by ``WORKERS`` threads, at most that many
    ahead of the consumer, and yielded in order. ``coded`` maps text columns of ``frame`` to
    ``(labels, codes)`` with ``frame[name] == labels[codes]`` row for row (what
    ``veil.tabular`` publishes as ``AnonymizationResult.coded``): those columns are written
    from their codes, without reading or encoding their text."""
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    if frame.shape[1] < 2 or frame.shape[0] == 0:  # pandas' special cases of one-column rows
        yield frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
        return
    known = {name: pair for name, pair in (coded or {}).items() if name in frame.columns}
    for name, (_, codes) in known.items():
        if len(codes) != frame.shape[0]:
            raise ValueError(f"coded column {name!r} does not have one code per row")
    yield _header(frame)
    starts = range(0, frame.shape[0], rows_per_piece)
    if len(starts) == 1:
        yield _piece(frame, known)
        return
    pending: deque[Future[bytes]] = deque()
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="fastcsv") as pool:
        try:
            for start in starts:
                pending.append(pool.submit(_piece, frame.iloc[start : start + rows_per_piece], known, start))
                if len(pending) >= WORKERS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for fut in pending:  # the consumer stopped early: drop what is not started
                fut.cancel()


def _buffer_bytes(lines: Any) -> bytes:
    """The concatenation of a large_string array's values, straight from its data buffer."""
    import numpy as np

    lines = lines.combine_chunks() if hasattr(lines, "combine_chunks") else lines
    _, offsets_buf, data_buf = lines.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64, count=len(lines) + 1, offset=lines.offset * 8)
    start, end = int(offsets[0]), int(offsets[-1])
    return data_buf.slice(start, end - start).to_pybytes() if data_buf is not None else b""


def to_csv_bytes(frame: pd.DataFrame, *, coded: Mapping[str, Coded] | None = None) -> bytes:
    return b"".join(csv_pieces(frame, coded=coded))
