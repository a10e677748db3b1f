"""Row filters such as ``"> 50"``, ``"age <= 100"``, ``"== 'x'"`` or ``"in ['a', 'b']"``.

Grammar: ``[column] OP VALUE`` with ``OP`` one of ``> >= < <= == != in not in``. ``VALUE``
is a number, a quoted string, ``true``/``false`` or, for ``in``/``not in``, a list
of those. The value is read with :func:`ast.literal_eval`, which accepts literals only:
nothing is evaluated. Without a column the filter applies to the queried column.
Filtering is a row-by-row (stable) transformation, so it costs no privacy budget.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError

_PATTERN = re.compile(
    r"^\s*(?P<column>[A-Za-z_][\w.\- ]*?)??\s*(?P<op>>=|<=|==|!=|>|<|\bnot\s+in\b|\bin\b)\s*(?P<value>.+?)\s*$",
    re.DOTALL,
)
_KEYWORDS = {"true": "True", "false": "False"}
_MAX_LENGTH = 10_000


@dataclass(frozen=True)
class Predicate:
    column: str | None
    op: str
    value: Any

    def mask(self, series: pd.Series) -> np.ndarray:
        """Boolean mask of the rows that pass; nulls never pass."""
        notnull = series.notna().to_numpy()
        if self.op in ("in", "not in"):
            members = pd.Series(series).isin(list(self.value)).to_numpy()
            hit = members if self.op == "in" else ~members
            return np.asarray(hit & notnull, dtype=bool)
        value = self.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # Cells that are not numbers never pass (refusing would reveal such a row exists).
            numeric = numeric_values_or_nan(series)
            values: Any = numeric
            notnull = ~np.isnan(values)
            values = np.where(notnull, values, 0.0)
        else:
            if self.op not in ("==", "!="):
                raise InvalidInputError(
                    f"operator '{self.op}' needs a number on its right-hand side", field="predicate"
                )
            values = series.astype(object).to_numpy()
        ops = {
            ">": np.greater,
            ">=": np.greater_equal,
            "<": np.less,
            "<=": np.less_equal,
            "==": np.equal,
            "!=": np.not_equal,
        }
        result = np.asarray(ops[self.op](values, value), dtype=bool)
        return result & notnull


def numeric_values_or_nan(series: pd.Series) -> np.ndarray:
    """Float value of every cell; NaN for text, booleans and nulls."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray([float(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
                       else np.nan for v in series], dtype=np.float64)


def _literal(text: str) -> Any:
    cleaned = text.strip()
    lowered = cleaned.lower()
    if lowered in _KEYWORDS:
        cleaned = _KEYWORDS[lowered]
    try:
        return ast.literal_eval(cleaned)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
        raise InvalidInputError(
            "the predicate's value must be a number, a quoted string or a list of them",
            field="predicate",
        ) from exc


def parse_predicate(text: str) -> Predicate:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError("predicate must be a non-empty string such as '> 50'", field="predicate")
    if len(text) > _MAX_LENGTH:
        raise InvalidInputError("predicate is too long", field="predicate")
    match = _PATTERN.match(text)
    if match is None:
        raise InvalidInputError(
            "cannot parse the predicate; use e.g. '> 50', 'age <= 100', \"== 'x'\" or \"in ['a', 'b']\"",
            field="predicate",
        )
    op = re.sub(r"\s+", " ", match.group("op"))
    value = _literal(match.group("value"))
    column = (match.group("column") or "").strip() or None
    scalar_types = (int, float, str, bool)
    if op in ("in", "not in"):
        if not isinstance(value, (list, tuple, set)) or not all(isinstance(v, scalar_types) for v in value):
            raise InvalidInputError(f"'{op}' needs a list of values, e.g. in [1, 2]", field="predicate")
        value = tuple(value)
    elif not isinstance(value, scalar_types) or value is None:
        raise InvalidInputError("the predicate's value must be a single number or string", field="predicate")
    return Predicate(column=column, op=op, value=value)
