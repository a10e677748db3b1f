"""Hierarchy builders: numeric intervals, masking, dates, ordered grouping, categorical trees.

Each builder returns a :class:`~veil.tabular.hierarchy.Hierarchy` over the given values
(the distinct values of a column), with ``*`` as the last level. ``build_hierarchy``
turns a JSON-able spec (``{"type": "intervals", "width": 10}``...) into a hierarchy and
``auto_hierarchy`` picks a sensible builder for a column.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.hierarchy import MISSING_TOKEN, Hierarchy, cell_text, column_text

TOP = "*"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _numeric(values: Iterable[str], field: str) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    bad: list[str] = []
    for v in values:
        if v == MISSING_TOKEN:
            continue
        try:
            out.append((v, float(v)))
        except ValueError:
            bad.append(v)
    if bad:
        raise InvalidInputError(
            f"an interval hierarchy needs numbers; {len(bad)} value(s) are not numeric", field=field
        )
    return out


def interval_hierarchy(
    values: Iterable[Any],
    *,
    width: float | None = None,
    fanout: int = 2,
    widths: Sequence[float] | None = None,
    start: float | None = None,
    field: str = "hierarchy",
) -> Hierarchy:
    """Intervals ``[a, b[``: the first level has ``width`` (or ``widths[0]``), each next level
    merges ``fanout`` intervals (or uses the next of ``widths``), until one interval covers
    every value; the top level is ``*``. Missing values map to ``*`` on every level."""
    texts = sorted({cell_text(v) for v in values})
    nums = _numeric(texts, field)
    if not nums:
        raise InvalidInputError("no numeric values to build intervals from", field=field)
    lo = min(x for _, x in nums)
    hi = max(x for _, x in nums)
    if widths:
        ws = [float(w) for w in widths]
    else:
        w0 = float(width) if width else _nice_width((hi - lo) / 8 if hi > lo else 1.0)
        if fanout < 2:
            raise InvalidInputError("fanout must be at least 2", field=field)
        ws = [w0]
        while math.floor(lo / ws[-1]) != math.floor(hi / ws[-1]) and len(ws) < 32:
            ws.append(ws[-1] * fanout)
    if any(w <= 0 for w in ws):
        raise InvalidInputError("interval widths must be positive", field=field)
    base = float(start) if start is not None else None
    rows: list[list[str]] = []
    for text, x in nums:
        row = [text]
        for w in ws:
            origin = base if base is not None else 0.0
            a = origin + math.floor((x - origin) / w) * w
            row.append(f"[{_fmt(a)}, {_fmt(a + w)}[")
        row.append(TOP)
        rows.append(row)
    # drop levels that no longer split anything (several equal to the top)
    rows = _drop_redundant(rows)
    if MISSING_TOKEN in texts:
        rows.append([MISSING_TOKEN] + [TOP] * (len(rows[0]) - 1))
    return Hierarchy.from_rows(rows, field=field)


def _nice_width(raw: float) -> float:
    if raw <= 0:
        return 1.0
    exp = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * 10**exp >= raw:
            return float(m * 10**exp)
    return float(10 ** (exp + 1))


def _drop_redundant(rows: list[list[str]]) -> list[list[str]]:
    """Remove inner levels that are a single value for every row (they add nothing)."""
    if not rows:
        return rows
    width = len(rows[0])
    keep = [0]
    for lvl in range(1, width - 1):
        if len({r[lvl] for r in rows}) > 1:
            keep.append(lvl)
    keep.append(width - 1)
    return [[r[i] for i in keep] for r in rows]


def masking_hierarchy(
    values: Iterable[Any], *, char: str = "*", from_right: bool = True, field: str = "hierarchy"
) -> Hierarchy:
    """``12345 -> 1234* -> 123** -> ... -> *****`` then ``*``; shorter values are padded
    with the mask character first so that every level has the same number of steps."""
    texts = sorted({cell_text(v) for v in values})
    if not texts:
        raise InvalidInputError("no values to build a masking hierarchy from", field=field)
    longest = max(len(t) for t in texts)
    rows: list[list[str]] = []
    for t in texts:
        row = [t]
        for i in range(1, longest + 1):
            if from_right:
                keep = max(len(t) - i, 0)
                row.append(t[:keep] + char * (len(t) - keep) if t else char)
            else:
                cut = min(i, len(t))
                row.append(char * cut + t[cut:] if t else char)
        row.append(TOP)
        rows.append(row)
    return Hierarchy.from_rows(rows, field=field)


_DATE_LEVELS = ("month", "year", "decade")


def date_hierarchy(
    values: Iterable[Any],
    *,
    levels: Sequence[str] = _DATE_LEVELS,
    date_format: str | None = None,
    field: str = "hierarchy",
) -> Hierarchy:
    """Dates: value -> ``YYYY-MM`` (month) -> ``YYYY`` (year) -> ``[1990, 2000[`` (decade) -> ``*``."""
    unknown = [lv for lv in levels if lv not in ("week", "month", "quarter", "year", "decade", "century")]
    if unknown:
        raise InvalidInputError(f"unknown date level(s): {', '.join(unknown)}", field=field)
    texts = sorted({cell_text(v) for v in values})
    present = [t for t in texts if t != MISSING_TOKEN]
    parsed = pd.to_datetime(pd.Series(present, dtype=object), format=date_format, errors="coerce")
    if parsed.isna().any():
        raise InvalidInputError(
            f"{int(parsed.isna().sum())} value(s) are not dates", field=field
        )
    rows: list[list[str]] = []
    for text, ts in zip(present, parsed, strict=True):
        row = [text]
        for lv in levels:
            if lv == "week":
                iso = ts.isocalendar()
                row.append(f"{iso[0]}-W{iso[1]:02d}")
            elif lv == "month":
                row.append(f"{ts.year:04d}-{ts.month:02d}")
            elif lv == "quarter":
                row.append(f"{ts.year:04d}-Q{(ts.month - 1) // 3 + 1}")
            elif lv == "year":
                row.append(f"{ts.year:04d}")
            elif lv == "decade":
                d = ts.year // 10 * 10
                row.append(f"[{d}, {d + 10}[")
            else:
                c = ts.year // 100 * 100
                row.append(f"[{c}, {c + 100}[")
        row.append(TOP)
        rows.append(row)
    if MISSING_TOKEN in texts:
        rows.append([MISSING_TOKEN] + [TOP] * (len(levels) + 1))
    return Hierarchy.from_rows(rows, field=field)


def ordering_hierarchy(
    order: Sequence[Any], *, fanout: int = 2, sizes: Sequence[int] | None = None, field: str = "hierarchy"
) -> Hierarchy:
    """Ordered grouping: consecutive values of ``order`` are grouped ``fanout`` at a time
    (or by the cumulative group ``sizes`` per level), labelled ``first..last``."""
    values = [cell_text(v) for v in order]
    if not values:
        raise InvalidInputError("the order is empty", field=field)
    if len(set(values)) != len(values):
        raise InvalidInputError("the order lists a value twice", field=field)
    if sizes is None:
        if fanout < 2:
            raise InvalidInputError("fanout must be at least 2", field=field)
        sizes = []
        s = fanout
        while s < len(values):
            sizes.append(s)
            s *= fanout
    rows = [[v] for v in values]
    for size in sizes:
        if size < 1:
            raise InvalidInputError("group sizes must be positive", field=field)
        for i, row in enumerate(rows):
            g = i // size
            first, last = values[g * size], values[min((g + 1) * size, len(values)) - 1]
            row.append(first if first == last else f"{first}..{last}")
    for row in rows:
        row.append(TOP)
    return Hierarchy.from_rows(rows, field=field)


def categorical_hierarchy(tree: Mapping[str, Any], *, field: str = "hierarchy") -> Hierarchy:
    """A category tree ``{"Europe": {"West": ["FR", "DE"]}, "Asia": ["JP"]}``; leaves of
    different depths are padded with their parent's label."""
    rows: list[list[str]] = []

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, Mapping):
            for key, child in node.items():
                walk(child, [str(key), *path])
        elif isinstance(node, Sequence) and not isinstance(node, str | bytes):
            for leaf in node:
                if isinstance(leaf, Mapping | list):
                    walk(leaf, path)
                else:
                    rows.append([cell_text(leaf), *path])
        else:
            rows.append([cell_text(node), *path])

    walk(tree, [])
    if not rows:
        raise InvalidInputError("the category tree has no leaves", field=field)
    depth = max(len(r) for r in rows)
    padded = []
    for r in rows:
        # pad right after the leaf so that the top categories stay aligned at the end
        padded.append([r[0]] + [r[1] if len(r) > 1 else r[0]] * (depth - len(r)) + r[1:] + [TOP])
    return Hierarchy.from_rows(padded, field=field)


def build_hierarchy(spec: Mapping[str, Any], column: pd.Series | None, *, field: str = "hierarchy") -> Hierarchy:
    """A hierarchy from a builder spec; ``column`` supplies the values where needed."""
    kind = str(spec.get("type", "")).lower()
    opts = {k: v for k, v in spec.items() if k != "type"}
    values: list[str] = sorted(set(column_text(column))) if column is not None else []
    try:
        if kind in ("intervals", "interval", "numeric"):
            return interval_hierarchy(
                values,
                width=opts.get("width"),
                fanout=int(opts.get("fanout", 2)),
                widths=opts.get("widths"),
                start=opts.get("start"),
                field=field,
            )
        if kind in ("masking", "mask", "redaction"):
            return masking_hierarchy(
                values, char=str(opts.get("char", "*")), from_right=opts.get("direction", "right") != "left",
                field=field,
            )
        if kind in ("dates", "date"):
            return date_hierarchy(
                values, levels=opts.get("levels", _DATE_LEVELS), date_format=opts.get("format"), field=field
            )
        if kind in ("ordering", "ordered", "order"):
            order = opts.get("order") or sorted(values, key=_sort_key)
            return ordering_hierarchy(order, fanout=int(opts.get("fanout", 2)), sizes=opts.get("sizes"), field=field)
        if kind in ("categorical", "tree"):
            tree = opts.get("tree")
            if not isinstance(tree, Mapping):
                raise InvalidInputError("a categorical hierarchy needs a 'tree' object", field=field)
            return categorical_hierarchy(tree, field=field)
        if kind in ("flat", "suppression"):
            return Hierarchy.flat(values)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"invalid hierarchy spec: {type(exc).__name__}", field=field) from None
    raise InvalidInputError(
        "unknown hierarchy type; use intervals, masking, dates, ordering, categorical or flat", field=field
    )


def _sort_key(v: str) -> tuple[int, float, str]:
    try:
        return (0, float(v), v)
    except ValueError:
        return (1, 0.0, v)


def auto_hierarchy(column: pd.Series, *, field: str = "hierarchy") -> tuple[Hierarchy, dict[str, Any]]:
    """Pick a builder for a column: intervals for numbers with many values, dates for
    date-like text, masking for fixed-length codes (postcodes), else a flat hierarchy."""
    values = sorted(set(column_text(column)))
    present = [v for v in values if v != MISSING_TOKEN]
    numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    if not numeric and present and not pd.api.types.is_datetime64_any_dtype(column):
        # numbers sent as text ("39"): canonical spellings only, so codes such as "02138" stay codes
        numeric = bool(pd.Series(present).str.fullmatch(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?").all())
    if present and numeric:
        if len(present) > 10:
            spec: dict[str, Any] = {"type": "intervals"}
            nums = np.array([float(v) for v in present])
            spec["width"] = _nice_width((nums.max() - nums.min()) / 8 if nums.max() > nums.min() else 1.0)
            return build_hierarchy(spec, column, field=field), spec
        return Hierarchy.flat(values), {"type": "flat"}
    if present and pd.api.types.is_datetime64_any_dtype(column):
        return build_hierarchy({"type": "dates"}, column.astype(str), field=field), {"type": "dates"}
    if present and len(present) > 10:
        lengths = {len(v) for v in present}
        if len(lengths) == 1 and all(v.isalnum() for v in present[:1000]) and next(iter(lengths)) >= 3:
            return build_hierarchy({"type": "masking"}, column, field=field), {"type": "masking"}
        sample = pd.Series(present[:200])
        parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
        if parsed.notna().all() and sample.str.contains(r"\d{4}").all():
            return build_hierarchy({"type": "dates"}, column, field=field), {"type": "dates"}
    return Hierarchy.flat(values), {"type": "flat"}
