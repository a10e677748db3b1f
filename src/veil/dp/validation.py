"""Checks shared by batch queries, streams, budgets and the advisor.

Every failure is an :class:`~veil.errors.InvalidInputError` naming the offending field
and never quoting cell values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError

E = TypeVar("E", bound=StrEnum)

MAX_EPSILON = 1000.0
# delta is the chance the guarantee fails outright for some unit: it must be far below
# 1/(number of units). The number of units is private, so the bound is fixed.
MAX_DELTA = 1e-3


def parse_enum(enum: type[E], value: Any, field: str) -> E:
    try:
        return enum(str(value).lower() if not isinstance(value, enum) else value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InvalidInputError(f"unknown value; use one of: {allowed}", field=field) from None


def check_epsilon(value: Any, field: str = "epsilon") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise InvalidInputError("epsilon must be a number", field=field)
    eps = float(value)
    if not math.isfinite(eps) or eps <= 0:
        raise InvalidInputError("epsilon must be greater than 0", field=field)
    if eps > MAX_EPSILON:
        raise InvalidInputError(f"epsilon must be at most {MAX_EPSILON:g}", field=field)
    return eps


def check_delta(value: Any, field: str = "delta") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise InvalidInputError("delta must be a number", field=field)
    d = float(value)
    if not math.isfinite(d) or d < 0 or d > MAX_DELTA:
        raise InvalidInputError(f"delta must be >= 0 and <= {MAX_DELTA:g}", field=field)
    return d


def check_bounds(value: Any, field: str = "bounds") -> tuple[float, float]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise InvalidInputError("bounds must be a (lower, upper) pair", field=field)
    try:
        lower, upper = float(value[0]), float(value[1])
    except (TypeError, ValueError):
        raise InvalidInputError("bounds must be two numbers", field=field) from None
    if not (math.isfinite(lower) and math.isfinite(upper)):
        raise InvalidInputError("bounds must be finite", field=field)
    if lower >= upper:
        raise InvalidInputError("bounds must satisfy lower < upper", field=field)
    if max(abs(lower), abs(upper)) > 1e15:
        raise InvalidInputError("bounds are too large (|bound| <= 1e15)", field=field)
    return lower, upper


def check_positive_int(value: Any, field: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInputError("must be an integer", field=field)
    n = int(value)
    if n < minimum or (maximum is not None and n > maximum):
        limit = f" and <= {maximum}" if maximum is not None else ""
        raise InvalidInputError(f"must be >= {minimum}{limit}", field=field)
    return n


def check_epsilon_map(value: Any, field: str = "epsilon_map") -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInputError("epsilon_map must map column or group names to epsilon", field=field)
    return {str(k): check_epsilon(v, f"{field}.{k}") for k, v in value.items()}


def require_column(df: pd.DataFrame, name: Any, field: str) -> str:
    if not isinstance(name, str) or not name:
        raise InvalidInputError("column name must be a non-empty string", field=field)
    if name not in df.columns:
        raise InvalidInputError("unknown column", field=field)
    return name


def numeric_values(series: pd.Series, field: str) -> np.ndarray:
    """Numeric, finite values of ``series`` as a contiguous float64 array (what OpenDP wants).

    Cells that are not numbers (text, nulls, inf) are dropped like missing values, never
    refused: an error would reveal that such a row exists. ``field`` is kept for callers'
    symmetry with the other checks.
    """
    del field
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("float64")
    if not pd.api.types.is_numeric_dtype(series.dtype):
        series = pd.to_numeric(series.map(lambda v: v if isinstance(v, (int, float, np.number))
                                          and not isinstance(v, (bool, np.bool_)) else np.nan),
                               errors="coerce")
    if series.dtype == np.float64 and not series.hasnans:
        values = series.to_numpy()
    else:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = np.isfinite(values)
    if not finite.all():
        values = values[finite]
    return np.ascontiguousarray(values)


def numeric_mask(series: pd.Series) -> np.ndarray:
    """Rows whose cell is a finite number (bools and text are not)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return np.zeros(len(series), dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype):
        return np.isfinite(series.to_numpy(dtype=np.float64, na_value=np.nan))
    return np.asarray([isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
                       and math.isfinite(float(v)) for v in series], dtype=bool)


def is_numeric(series: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(series.dtype)) and not pd.api.types.is_bool_dtype(series.dtype)
