"""Loading and writing tables.

``load_table`` accepts:

* a ``pandas.DataFrame`` (returned as is),
* inline records: a list of dicts, or a dict of columns,
* a local path or ``file://`` URI, or a cloud URI (``s3://``, ``gs://``, ``az://``,
  ``abfs://``, ``memory://``) read through fsspec with the given storage options,
* raw bytes with an explicit format.

The format comes from ``fmt`` or the file extension (``.csv``, ``.tsv``, ``.parquet``,
``.pq``, ``.json``, ``.jsonl``/``.ndjson``). CSV delimiters are sniffed (``,``, ``;``,
tab, ``|``). Every failure is an :class:`~veil.errors.InvalidInputError` naming
``field`` (``data`` unless told otherwise) and never includes cell values; that includes
text UTF-8 cannot encode (a lone surrogate, JSON ``"\\ud800"``) in a name or a cell, named
down to the record and column (``data[3].zip``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeAlias

import fsspec
import pandas as pd

from veil.errors import InvalidInputError, NotFoundError

DataInput: TypeAlias = pd.DataFrame | Sequence[Mapping[str, Any]] | Mapping[str, Sequence[Any]] | str | Path
Format = Literal["csv", "parquet", "json", "jsonl"]

_CLOUD_SCHEMES = (
    "s3://",
    "s3a://",
    "gs://",
    "gcs://",
    "az://",
    "azure://",
    "abfs://",
    "abfss://",
    "memory://",
)
_EXT_FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def is_uri(value: str) -> bool:
    """True for ``file://`` and the cloud schemes fsspec reads."""
    return value.startswith("file://") or value.startswith(_CLOUD_SCHEMES)


def is_cloud_uri(value: str) -> bool:
    return value.startswith(_CLOUD_SCHEMES)


def _normalise_uri(value: str) -> str:
    if value.startswith("azure://"):
        return "az://" + value[len("azure://") :]
    return value


def detect_format(path: str, fmt: str | None = None, *, field: str = "data") -> Format:
    if fmt:
        f = fmt.lower().lstrip(".")
        if f in ("csv", "parquet", "json", "jsonl"):
            return f  # type: ignore[return-value]
        raise InvalidInputError(f"unsupported format '{fmt}'; use csv, parquet, json or jsonl", field=field)
    lower = path.lower()
    for suffix in (".gz", ".bz2", ".zst", ".xz"):
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
    ext = os.path.splitext(lower)[1]
    if ext in _EXT_FORMATS:
        return _EXT_FORMATS[ext]
    raise InvalidInputError(
        "cannot tell the format from the name; give a .csv, .parquet or .json file or a format",
        field=field,
    )


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _check_header(first_line: str, sep: str, *, field: str) -> None:
    """Duplicate CSV headers are refused (a reader would rename the second ``age`` to
    ``age.1``, which then escapes every column rule)."""
    try:
        names = next(csv.reader([first_line], delimiter=sep))
    except (csv.Error, StopIteration):
        return
    seen: set[str] = set()
    for name in names:
        key = name.strip()
        if key in seen:
            raise InvalidInputError(
                f"duplicate column name '{key[:100]}' in the CSV header", field=field,
                details={"duplicate_header": key[:100]},
            )
        seen.add(key)


_INT_TEXT = r"^-?(?:0|[1-9][0-9]{0,17})$"
_FLOAT_TEXT = r"^-?(?:0|[1-9][0-9]*)\.(?:[0-9]*[1-9]|0)$"
_TINY_TEXT = r"^-?0\.0000"  # below 1e-4 a float is written with an exponent (1e-05)


def _arrow_strings(col: pd.Series) -> Any:
    import pyarrow as pa

    try:
        return pa.array(col.array)
    except (TypeError, ValueError, pa.ArrowException):
        return pa.array(col.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def restore_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns whose every non-empty value is a number written canonically (``39``,
    ``-4``, ``0.25``; never ``02138``, ``+5``, ``1.50`` or ``1e3``) become numbers; every
    other column stays text. Writing such a number back gives the same text, so no value
    is re-typed: codes with leading zeros, ids and padded numbers keep their spelling.

    Floats qualify with at most 15 significant digits (they then print back as written)
    and no magnitude below 1e-4 (printed with an exponent). Vectorised with pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in frame.columns:
        col = frame[name]
        if col.dtype != object and not pd.api.types.is_string_dtype(col):
            continue
        try:
            arr = _arrow_strings(col)
        except (TypeError, ValueError, pa.ArrowException):
            continue
        if arr.null_count == len(arr):
            continue
        head = arr.slice(0, 1000)
        if not (
            pc.all(pc.match_substring_regex(head, _INT_TEXT)).as_py()
            or pc.all(pc.match_substring_regex(head, _FLOAT_TEXT)).as_py()
        ):
            continue  # text at a glance: no need to scan the whole column
        has_nulls = arr.null_count > 0
        if pc.all(pc.match_substring_regex(arr, _INT_TEXT)).as_py():
            values = pc.cast(arr, pa.float64() if has_nulls else pa.int64())
        elif (
            pc.all(pc.match_substring_regex(arr, _FLOAT_TEXT)).as_py()
            and pc.max(pc.utf8_length(arr)).as_py() <= 16
            and not pc.any(pc.match_substring_regex(arr, _TINY_TEXT)).as_py()
        ):
            values = pc.cast(arr, pa.float64())
        else:
            continue
        frame[name] = pd.Series(values.to_numpy(zero_copy_only=False), index=frame.index, name=name)
    return frame


class _NotArrowCSV(Exception):
    """The pyarrow parser does not read these bytes alone (see :func:`load_csv_arrow`)."""


def _read_csv(raw: bytes, sep: str, *, dtype_str: bool, arrow_only: bool = False) -> pd.DataFrame:
    """Every cell as text (only an empty cell is missing: "NA", "null" are values): the
    pyarrow parser when it can, pandas' C parser otherwise (its errors are the clearer)."""
    options: dict[str, Any] = {"sep": sep, "dtype": str, "keep_default_na": False,
                               "na_values": [] if dtype_str else [""]}
    if b'"' not in raw:  # quoting is where the two parsers differ (pyarrow accepts an open quote)
        try:
            return pd.read_csv(io.BytesIO(raw), engine="pyarrow", **options)
        except Exception:  # malformed input, an option pyarrow lacks: the C parser decides
            pass
    if arrow_only:
        raise _NotArrowCSV
    return pd.read_csv(io.BytesIO(raw), skipinitialspace=False, **options)


def _blank(raw: bytes) -> bool:
    """``not raw.strip()`` without copying the bytes."""
    return not raw or raw.isspace()


def _read_bytes(
    raw: bytes, fmt: Format, *, field: str, dtype_str: bool, arrow_only: bool = False
) -> pd.DataFrame:
    if _blank(raw):
        raise InvalidInputError("the table is empty", field=field)
    try:
        if fmt == "csv":
            sep = _csv_layout(raw, field=field)
            # every cell is read as text (only an empty cell is missing: "NA", "null" are
            # values); canonical numbers are restored afterwards unless dtype_str
            frame = _read_csv(raw, sep, dtype_str=dtype_str, arrow_only=arrow_only)
            return frame if dtype_str else restore_numbers(frame)
        if fmt == "parquet":
            return pd.read_parquet(io.BytesIO(raw))
        if fmt == "jsonl":
            # JSON declares its types: "02138" stays a string, 2138 is a number
            frame = pd.read_json(io.BytesIO(raw), lines=True, dtype=False, convert_dates=False)
            if dtype_str:
                frame = frame.astype(object).where(frame.notna(), "").astype(str)
            return frame
        return _records_json(raw, field=field)
    except (InvalidInputError, _NotArrowCSV):
        raise
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        kind = {"csv": "CSV", "parquet": "Parquet", "json": "JSON", "jsonl": "JSON lines"}[fmt]
        raise InvalidInputError(
            f"malformed {kind}: {type(exc).__name__}: {_safe(exc)}", field=field
        ) from None
    except Exception as exc:  # pyarrow raises its own exception types
        raise InvalidInputError(f"unreadable {fmt} data: {type(exc).__name__}", field=field) from None


def _safe(exc: Exception) -> str:
    """A short parser message with no cell content in it."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return text[:200]


def _records_json(raw: bytes, *, field: str) -> pd.DataFrame:
    import json

    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"malformed JSON at line {exc.lineno} column {exc.colno}", field=field
        ) from None
    if isinstance(obj, dict) and "data" in obj and isinstance(obj["data"], list):
        obj = obj["data"]
    return records_to_frame(obj, field=field)


_SCALARS = (str, int, float, bool, type(None))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" in JSON)
        return False
    return True


_NOT_UNICODE = "text that is not valid Unicode (an unpaired surrogate)"


def _unicode_field(obj: Any, field: str) -> InvalidInputError:
    """The error naming the first name or cell of ``obj`` (records or columns) that UTF-8
    cannot encode; the text itself is never shown."""
    items: Any = enumerate(obj) if isinstance(obj, list) else obj.items()
    for key, inner in items:
        if isinstance(obj, list):
            for name, value in inner.items():
                if not _encodable(str(name)):
                    return InvalidInputError(f"a column name holds {_NOT_UNICODE}", field=f"{field}[{key}]")
                if isinstance(value, str) and not _encodable(value):
                    return InvalidInputError(f"the cell holds {_NOT_UNICODE}", field=f"{field}[{key}].{name}")
        else:
            if not _encodable(str(key)):
                return InvalidInputError(f"a column name holds {_NOT_UNICODE}", field=field)
            for i, value in enumerate(inner):
                if isinstance(value, str) and not _encodable(value):
                    return InvalidInputError(f"the cell holds {_NOT_UNICODE}", field=f"{field}.{key}[{i}]")
    return InvalidInputError(f"the data holds {_NOT_UNICODE}", field=field)


def _check_unicode(frame: pd.DataFrame, field: str) -> None:
    """Refuse a DataFrame whose column names or text cells UTF-8 cannot encode (only object
    columns can hold such text: pyarrow-backed ``str`` refuses it when it is built)."""
    for i, name in enumerate(frame.columns):
        if not _encodable(str(name)):
            raise InvalidInputError(f"a column name holds {_NOT_UNICODE}", field=f"{field}.columns[{i}]")
    for name in frame.columns:
        col = frame[name]
        if col.dtype != object:
            continue
        values = col.tolist()
        if _encodable("".join([v for v in values if isinstance(v, str)])):  # one pass in C
            continue
        for row, value in enumerate(values):
            if isinstance(value, str) and not _encodable(value):
                raise InvalidInputError(f"the cell holds {_NOT_UNICODE}", field=f"{field}[{row}].{name}")


def may_hold_nul(raw: bytes) -> bool:
    """Whether a CSV / JSON (Lines) file's bytes can decode to a cell holding U+0000 (a raw
    NUL byte, or the JSON escape); one byte search each, so the common file costs nothing."""
    return b"\x00" in raw or b"\\u0000" in raw


def refuse_nul_cells(frame: pd.DataFrame, field: str = "data") -> None:
    """400 naming the first cell that holds U+0000. The libraries accept such text; the
    service refuses it, because the values of a table travel into solutions, hierarchies and
    job records, and PostgreSQL's text and JSONB cannot store U+0000."""
    for name in frame.columns:
        col = frame[name]
        if col.dtype == object:
            values = col.tolist()
            if "\x00" not in "".join([v for v in values if isinstance(v, str)]):
                continue
            hits = [isinstance(v, str) and "\x00" in v for v in values]
        elif pd.api.types.is_string_dtype(col.dtype):
            found = col.str.contains("\x00", regex=False, na=False)
            if not bool(found.any()):
                continue
            hits = found.tolist()
        else:
            continue
        row = hits.index(True)
        raise InvalidInputError("the cell holds a NUL character (U+0000), which is not accepted",
                                field=f"{field}[{row}].{name}")


def records_to_frame(obj: Any, *, field: str = "data") -> pd.DataFrame:
    """Inline records (list of dicts) or columns (dict of lists) to a DataFrame."""
    try:
        return _records_to_frame(obj, field=field)
    except UnicodeEncodeError:
        raise _unicode_field(obj, field) from None


def _records_to_frame(obj: Any, *, field: str) -> pd.DataFrame:
    if isinstance(obj, list):
        if not obj:
            raise InvalidInputError("the table is empty", field=field)
        for i, row in enumerate(obj):
            if not isinstance(row, Mapping):
                raise InvalidInputError(f"record {i} is not an object", field=f"{field}[{i}]")
            for name, value in row.items():
                if not isinstance(value, _SCALARS):
                    raise InvalidInputError(
                        "cells must be strings, numbers, booleans or null", field=f"{field}[{i}].{name}"
                    )
        return pd.DataFrame.from_records(list(obj))
    if isinstance(obj, Mapping):
        for name, column in obj.items():
            if not isinstance(column, list | tuple):
                raise InvalidInputError("each column must be a list of values", field=f"{field}.{name}")
            for i, value in enumerate(column):
                if not isinstance(value, _SCALARS):
                    raise InvalidInputError(
                        "cells must be strings, numbers, booleans or null", field=f"{field}.{name}[{i}]"
                    )
        try:
            return pd.DataFrame(dict(obj))
        except UnicodeEncodeError:
            raise
        except ValueError as exc:
            raise InvalidInputError(f"columns do not line up: {_safe(exc)}", field=field) from None
    raise InvalidInputError("expected a list of records or a dict of columns", field=field)


def load_table(
    data: DataInput | bytes,
    *,
    fmt: str | None = None,
    storage_options: Mapping[str, Any] | None = None,
    field: str = "data",
    dtype_str: bool = False,
    allow_local_paths: bool = True,
) -> pd.DataFrame:
    """Load a table from any supported input. See the module docstring.

    ``dtype_str`` keeps every CSV/JSONL cell as text (no type inference, empty cells stay "").
    ``allow_local_paths=False`` refuses plain paths and ``file://`` (the server uses it so that
    a remote caller cannot read the server's files).
    """
    if isinstance(data, pd.DataFrame):
        frame = data
        _check_unicode(frame, field)
    elif isinstance(data, bytes | bytearray):
        frame = _read_bytes(
            bytes(data), detect_format("", fmt or "csv", field=field), field=field, dtype_str=dtype_str
        )
    elif isinstance(data, str | Path):
        location = str(data)
        if not location:
            raise InvalidInputError("empty path", field=field)
        cloud = is_cloud_uri(location)
        if not cloud and not allow_local_paths:
            raise InvalidInputError(
                "local paths are not accepted here; send the records inline or use a cloud URI", field=field
            )
        location = _normalise_uri(location)
        f = detect_format(location, fmt, field=field)
        try:
            with fsspec.open(location, "rb", compression="infer", **dict(storage_options or {})) as fh:
                raw = fh.read()
        except FileNotFoundError:
            raise NotFoundError(f"no such file or object: {location}", field=field) from None
        except (PermissionError, IsADirectoryError) as exc:
            raise InvalidInputError(f"cannot read {location}: {type(exc).__name__}", field=field) from None
        except ImportError as exc:
            raise InvalidInputError(
                f"no filesystem support installed for this URI: {exc.name}", field=field
            ) from None
        except Exception as exc:
            raise InvalidInputError(
                f"cannot read {location}: {type(exc).__name__}: {_safe(exc)}", field=field
            ) from None
        frame = _read_bytes(raw, f, field=field, dtype_str=dtype_str)
    else:
        frame = records_to_frame(data, field=field)
    return _finish(frame, field=field)


def load_csv_arrow(raw: bytes, *, field: str = "data") -> pd.DataFrame | None:
    """``load_table(raw, fmt="csv")`` when pyarrow's parser reads these bytes by itself (no
    quote character, every row as wide as the header); ``None`` when pandas' parser would
    decide, or when ``load_table`` would refuse them. An upload reads its CSV this way once:
    the parser that counts its rows is then the one that reads it."""
    try:
        return _finish(_read_bytes(raw, "csv", field=field, dtype_str=False, arrow_only=True), field=field)
    except (InvalidInputError, _NotArrowCSV):
        return None


def _csv_layout(raw: bytes, *, field: str) -> str:
    """The delimiter ``load_table`` reads a CSV with (sniffed on its first line, from its
    first 64 KiB); a duplicate header is refused as ``load_table`` refuses it."""
    text_sample = raw[:65536].decode("utf-8", errors="replace")
    first_line = text_sample.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r") if text_sample else ""
    sep = _sniff_delimiter(text_sample.split("\n", 20)[0] if text_sample else "")
    _check_header(first_line, sep, field=field)
    return sep


def _finish(frame: pd.DataFrame, *, field: str) -> pd.DataFrame:
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise InvalidInputError("the table is empty", field=field)
    frame.columns = [str(c) for c in frame.columns]
    if len(set(frame.columns)) != len(frame.columns):
        raise InvalidInputError("duplicate column names", field=field)
    for i, name in enumerate(frame.columns):
        if "\x00" in name:  # names travel into results, solutions and job records (PostgreSQL refuses U+0000)
            raise InvalidInputError("a column name holds a NUL character (U+0000)", field=f"{field}.columns[{i}]")
    return frame


def table_to_bytes(frame: pd.DataFrame, fmt: str = "csv") -> bytes:
    f = detect_format("", fmt, field="output_format")
    if f == "csv":
        from veil.io.fastcsv import to_csv_bytes  # the bytes of to_csv(index=False), faster

        return to_csv_bytes(frame)
    if f == "parquet":
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return buf.getvalue()
    if f == "jsonl":
        return frame.to_json(orient="records", lines=True).encode("utf-8")
    return frame.to_json(orient="records").encode("utf-8")


def write_table(
    frame: pd.DataFrame,
    uri: str,
    fmt: str | None = None,
    *,
    storage_options: Mapping[str, Any] | None = None,
    field: str = "output_uri",
) -> str:
    """Write atomically where the filesystem allows: to ``uri + '.part'`` then move.

    A failure leaves nothing at ``uri``. Returns the URI written.
    """
    f = detect_format(uri, fmt, field=field) if fmt is None else detect_format("", fmt, field="output_format")
    payload = table_to_bytes(frame, f)
    target = _normalise_uri(uri)
    fs, path = fsspec.core.url_to_fs(target, **dict(storage_options or {}))
    tmp = path + ".part"
    try:
        parent = os.path.dirname(path)
        if (parent and fs.protocol in ("file", ("file", "local"))) or "file" in (fs.protocol or ()):
            fs.makedirs(parent, exist_ok=True)
        with fs.open(tmp, "wb") as fh:
            fh.write(payload)
        fs.mv(tmp, path)
    except Exception as exc:
        try:
            if fs.exists(tmp):
                fs.rm(tmp)
        except Exception:
            pass
        raise InvalidInputError(
            f"cannot write {uri}: {type(exc).__name__}: {_safe(exc)}", field=field
        ) from None
    return uri
