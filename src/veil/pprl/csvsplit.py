"""Split CSV text into chunks of whole records without parsing every field.

Worker processes (or background jobs) parse their own chunk, so the reading process only has
to find record boundaries. A line without a quote character that does not continue a quoted
field ends a record (the fast path); lines with quotes go through a small state machine that
mirrors the ``csv`` module's excel dialect, so the record counts equal ``csv.reader``'s.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from veil.errors import InvalidInputError

MAX_RECORD_CHARS = 1 << 22  # a record spanning more than 4 Mi characters is refused

_START, _FIELD, _QUOTED, _QUOTE_IN_QUOTED = range(4)


@dataclass(frozen=True)
class CsvChunk:
    """``rows`` complete records as CSV text, the first being record number ``first`` (0-based)."""

    text: str
    rows: int
    first: int


def _state_after(line: str, state: int) -> int:
    """Parser state after ``line`` (the excel dialect: ',' and '"' with doubled quotes)."""
    for ch in line:
        if state == _QUOTED:
            if ch == '"':
                state = _QUOTE_IN_QUOTED
        elif state == _FIELD:
            if ch == "," or ch == "\r" or ch == "\n":
                state = _START
        elif state == _START:
            if ch == '"':
                state = _QUOTED
            elif ch != "," and ch != "\r" and ch != "\n":
                state = _FIELD
        elif ch == '"':  # _QUOTE_IN_QUOTED: a doubled quote stays inside the field
            state = _QUOTED
        elif ch == "," or ch == "\r" or ch == "\n":
            state = _START
        else:  # text after a closing quote is kept in the field (non-strict dialect)
            state = _FIELD
    return state


def _records(lines: Iterator[str]) -> Iterator[str]:
    """Raw text of each record (with its line ending)."""
    pending: list[str] = []
    size = 0
    state = _START
    for line in lines:
        if not pending and '"' not in line:
            yield line
            continue
        pending.append(line)
        size += len(line)
        state = _state_after(line, state)
        if state != _QUOTED:
            yield "".join(pending)
            pending, size, state = [], 0, _START
        elif size > MAX_RECORD_CHARS:
            raise InvalidInputError(
                "malformed CSV: a quoted field does not end (or a record exceeds 4 Mi characters)", field="data"
            )
    if pending:
        yield "".join(pending)  # an unterminated quote at the end: csv.reader reads it as one record


def _lines(stream: IO[str]) -> Iterator[str]:
    try:
        yield from stream
    except UnicodeDecodeError:
        raise InvalidInputError("the CSV is not valid UTF-8", field="data") from None


def parse_record(text: str) -> list[str]:
    """Parse the text of one record."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV: {exc}", field="data") from None
    return rows[0] if rows else []


def split_csv(
    stream: IO[str], rows_per_chunk: int, *, header: bool = True
) -> tuple[list[str] | None, Iterator[CsvChunk]]:
    """``(header cells or None, chunks)``; ``stream`` must be a text stream opened with ``newline=""``."""
    if rows_per_chunk < 1:
        raise InvalidInputError("chunk size must be at least 1", field="chunk_size")
    records = _records(_lines(stream))
    header_cells: list[str] | None = None
    if header:
        first = next(records, None)
        if first is None:
            raise InvalidInputError("the CSV is empty: a header row is expected", field="header")
        header_cells = parse_record(first)

    def chunks() -> Iterator[CsvChunk]:
        buffer: list[str] = []
        index = 0
        for record in records:
            buffer.append(record)
            if len(buffer) >= rows_per_chunk:
                yield CsvChunk("".join(buffer), len(buffer), index)
                index += len(buffer)
                buffer = []
        if buffer:
            yield CsvChunk("".join(buffer), len(buffer), index)

    return header_cells, chunks()


def parse_chunk(text: str, *, strip_cells: bool = False) -> list[list[str]]:
    """The records of a chunk's text (what a worker does)."""
    csv.field_size_limit(MAX_RECORD_CHARS)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV: {exc}", field="data") from None
    if strip_cells:
        rows = [[cell.strip() for cell in row] for row in rows]
    return rows
