"""Generalization hierarchies: a table whose row ``i`` is ``[value, level1, ..., top]``.

A hierarchy is read from a CSV (``value;level1;...;*``, no header), from inline rows,
or built (see :mod:`veil.tabular.builders`). Every cell is text; level 0 holds the
original values and must be unique. Rows may be of different lengths in the input;
short rows are padded with their last cell so every row has the same height (ARX does
the same for ragged CSVs).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError

MISSING_TOKEN = ""  # how a missing cell (None/NaN) is matched against a hierarchy


def cell_text(value: Any) -> str:
    """The text form of one cell as hierarchies and encodings see it."""
    if value is None:
        return MISSING_TOKEN
    if isinstance(value, float):
        if value != value:  # NaN
            return MISSING_TOKEN
        if value.is_integer():
            return str(int(value))
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    return str(value)


def column_text(series: pd.Series) -> np.ndarray:
    """A column as an object array of strings; missing values become ``""``.

    Floats that are all integral (a CSV integer column with missing cells) are printed
    without ``.0`` so that they match hierarchies written as integers.
    """
    s = series
    if pd.api.types.is_bool_dtype(s):
        out = np.where(s.to_numpy(dtype=bool), "true", "false").astype(object)
        return out
    if pd.api.types.is_float_dtype(s):
        arr = s.to_numpy(dtype=float)
        finite = arr[~np.isnan(arr)]
        if finite.size == 0 or np.all(np.mod(finite, 1) == 0):
            res = np.empty(arr.shape[0], dtype=object)
            nan = np.isnan(arr)
            res[~nan] = arr[~nan].astype(np.int64).astype(str)
            res[nan] = MISSING_TOKEN
            return res
    if pd.api.types.is_integer_dtype(s) and not isinstance(s.dtype, pd.CategoricalDtype):
        if s.isna().any():
            res = s.astype(object).where(s.notna(), MISSING_TOKEN).astype(str).to_numpy(dtype=object)
            res[s.isna().to_numpy()] = MISSING_TOKEN
            return res
        return s.to_numpy().astype(str).astype(object)
    mask = s.isna().to_numpy()
    res = s.astype(str).to_numpy(dtype=object)
    if mask.any():
        res[mask] = MISSING_TOKEN
    return res


@dataclass(frozen=True)
class Hierarchy:
    """A materialised generalization hierarchy (rows x levels of text)."""

    rows: tuple[tuple[str, ...], ...]

    @property
    def height(self) -> int:
        """Number of generalization steps (levels - 1)."""
        return len(self.rows[0]) - 1

    @property
    def levels(self) -> int:
        return len(self.rows[0])

    @property
    def values(self) -> list[str]:
        return [r[0] for r in self.rows]

    def to_rows(self) -> list[list[str]]:
        return [list(r) for r in self.rows]

    def to_csv(self, sep: str = ";") -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
        writer.writerows(self.rows)
        return buf.getvalue()

    def missing(self, values: Iterable[str]) -> list[str]:
        """Distinct values not covered by level 0, sorted."""
        known = {r[0] for r in self.rows}
        return sorted({v for v in values if v not in known})

    def check_covers(self, values: Iterable[str], *, field: str) -> None:
        missing = self.missing(values)
        if missing:
            shown = ", ".join(repr(v) if v != MISSING_TOKEN else "<missing>" for v in missing[:20])
            more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
            raise InvalidInputError(
                f"the hierarchy does not cover {len(missing)} value(s) of the data: {shown}{more}",
                field=field,
                details={"missing_count": len(missing)},
            )

    def level_labels(self, level: int) -> list[str]:
        return [r[level] for r in self.rows]

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], *, field: str = "hierarchy") -> Hierarchy:
        if not isinstance(rows, Sequence) or isinstance(rows, str | bytes) or len(rows) == 0:
            raise InvalidInputError("a hierarchy needs at least one row", field=field)
        clean: list[list[str]] = []
        width = 0
        for i, row in enumerate(rows):
            if isinstance(row, str | bytes) or not isinstance(row, Sequence) or len(row) == 0:
                raise InvalidInputError(f"row {i} must be a non-empty list of values", field=f"{field}[{i}]")
            cells = [cell_text(c) for c in row]
            # trailing empty cells come from ragged CSV files
            while len(cells) > 1 and cells[-1] == "":
                cells.pop()
            clean.append(cells)
            width = max(width, len(cells))
        padded = tuple(tuple(r + [r[-1]] * (width - len(r))) for r in clean)
        seen: set[str] = set()
        dupes: list[str] = []
        for r in padded:
            if r[0] in seen:
                dupes.append(r[0])
            seen.add(r[0])
        if dupes:
            raise InvalidInputError(
                f"{len(dupes)} value(s) appear more than once in the first column of the hierarchy",
                field=field,
            )
        return cls(padded)

    @classmethod
    def from_csv(cls, source: str | Path, *, sep: str | None = None, field: str = "hierarchy") -> Hierarchy:
        """Read a hierarchy CSV (no header) from a path/URI or from CSV text containing a newline."""
        text: str
        src = str(source)
        if "\n" in src or (sep is not None and sep in src and not Path(src).exists()):
            text = src
        else:
            import fsspec

            try:
                with fsspec.open(src, "rt", encoding="utf-8-sig") as fh:
                    text = fh.read()
            except FileNotFoundError:
                raise InvalidInputError("hierarchy file not found", field=field) from None
            except (OSError, ValueError) as exc:
                raise InvalidInputError(f"cannot read the hierarchy file: {type(exc).__name__}", field=field) from None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = [ln for ln in text.split("\n") if ln.strip() != ""]
        if not lines:
            raise InvalidInputError("the hierarchy file is empty", field=field)
        if sep is None:
            first = lines[0]
            sep = max([";", ",", "\t", "|"], key=first.count)
        rows = list(csv.reader(lines, delimiter=sep))
        return cls.from_rows(rows, field=field)

    @classmethod
    def flat(cls, values: Iterable[str], top: str = "*") -> Hierarchy:
        """The two-level hierarchy ``value -> *`` over the given values."""
        uniq = sorted(set(values))
        return cls(tuple((v, top) for v in uniq))
