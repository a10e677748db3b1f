"""Group keys and categories matched by typed value, not by text.

A cell and a key match when they are the same *value*: the numbers ``1`` and ``1.0`` are
the same key (they match integer and float cells equal to 1), the string ``"1"`` is
another key (it matches text cells ``"1"`` only), and ``true``/``false`` match boolean
cells only. The decision uses the types of the keys and of the cells, never the column's
inferred dtype, so a stray text cell in a numeric column changes no error and no match.
Released keys are labelled by their canonical text: integral numbers without a
fraction (``"1"``), other numbers by ``repr`` (``"2.5"``), booleans ``"true"``/``"false"``,
strings as given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError

TypedKey = float | str | tuple[str, bool]


def key_of(value: Any) -> TypedKey | None:
    """The typed key of one cell (None for nulls and values that cannot be keys)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return ("b", bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return None


def label_of(key: TypedKey) -> str:
    if isinstance(key, tuple):
        return "true" if key[1] else "false"
    if isinstance(key, float):
        return str(int(key)) if key.is_integer() and abs(key) < 2**53 else repr(key)
    return key


def cell_keys(series: pd.Series) -> pd.Series:
    """Typed key of every cell (object series; None for nulls)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return series.map(lambda v: None if pd.isna(v) else ("b", bool(v))).astype(object)
    if pd.api.types.is_numeric_dtype(dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        out = pd.Series(values, index=series.index).astype(object)
        return out.where(np.isfinite(values), None)
    return series.map(key_of).astype(object)


def cell_labels(series: pd.Series) -> pd.Series:
    """Canonical text label of every cell (NaN for nulls), for keys released from the data."""
    dtype = series.dtype
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return series.astype("Int64").astype(str).where(series.notna())
    keys = cell_keys(series)
    return keys.map(lambda k: None if k is None else label_of(k))


def typed_keys(values: Any, field: str, *, maximum: int) -> list[tuple[TypedKey, str]]:
    """Validated, de-duplicated ``(typed key, label)`` pairs of a public key list."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise InvalidInputError(f"{field} must be a non-empty list", field=field)
    if len(values) > maximum:
        raise InvalidInputError(f"at most {maximum} values", field=field)
    seen: dict[str, TypedKey] = {}
    out: list[tuple[TypedKey, str]] = []
    for i, value in enumerate(values):
        key = key_of(value)
        if key is None or isinstance(value, pd.Timestamp):
            raise InvalidInputError("each key must be a string, a finite number or a boolean",
                                    field=f"{field}[{i}]")
        label = label_of(key)
        if label in seen:
            if seen[label] != key or type(seen[label]) is not type(key):
                raise InvalidInputError("two keys of different types have the same text; use one",
                                        field=f"{field}[{i}]")
            continue
        seen[label] = key
        out.append((key, label))
    return out


def match_labels(series: pd.Series, keys: list[tuple[TypedKey, str]]) -> pd.Series:
    """Label of the public key each cell equals (NaN when it equals none)."""
    lookup: dict[Any, str] = {key: label for key, label in keys}
    dtype = series.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        numbers = {k: v for k, v in lookup.items() if isinstance(k, float)}
        values = pd.Series(series.to_numpy(dtype=np.float64, na_value=np.nan), index=series.index)
        return values.map(numbers)
    return cell_keys(series).map(lambda k: None if k is None else lookup.get(k))
