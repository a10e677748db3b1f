"""The privacy unit and contribution bounding.

Without ``privacy_unit`` every row is its own unit (add/remove-one-row neighbours). With
``privacy_unit="user_id"`` neighbouring datasets differ by *all* rows of one user, and
before any statistic each user's contribution is bounded:

* ungrouped queries keep at most ``max_contributions`` rows per unit;
* grouped queries keep at most ``max_partitions`` groups per unit and at most
  ``max_contributions`` rows per unit in each kept group.

Which rows (and groups) are kept is chosen uniformly at random per unit. The choice is
not a release, so its randomness needs no privacy; what matters is the bound: after it,
adding or removing one unit adds or removes at most ``max_contributions`` rows of any
one group and touches at most ``max_partitions`` groups. The sensitivities are then
OpenDP's stability maps evaluated at that distance (``make_count`` / ``clamp >> sum`` at
``d_in = max_contributions``), and a grouped release is charged for ``max_partitions``
groups at once. Rows whose unit id is null belong to no unit and are dropped.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from veil.dp.keys import cell_labels
from veil.dp.validation import check_positive_int, require_column
from veil.errors import InvalidInputError

MAX_CONTRIBUTIONS = 1_000_000
MAX_PARTITIONS = 1_000  # a grouped charge itemises one release per partition


@dataclass(frozen=True)
class PrivacyUnit:
    column: str | None
    max_contributions: int = 1
    max_partitions: int = 1

    @property
    def name(self) -> str:
        return self.column if self.column is not None else "row"

    def l1(self) -> int:
        """L1 distance of a vector of per-group counts when one unit changes."""
        return self.max_contributions * self.max_partitions

    def l2(self) -> float:
        return self.max_contributions * math.sqrt(self.max_partitions)

    def guarantee(self, epsilon: float, delta: float, accounting: str = "basic") -> dict[str, Any]:
        return {
            "privacy_unit": self.name,
            "max_contributions": self.max_contributions,
            "max_partitions": self.max_partitions,
            "epsilon": epsilon,
            "delta": delta,
            "accounting": accounting,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "max_contributions": self.max_contributions,
                "max_partitions": self.max_partitions}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PrivacyUnit:
        if not data:
            return cls(None)
        return cls(data.get("column"), int(data.get("max_contributions", 1)), int(data.get("max_partitions", 1)))


def parse_unit(
    df: pd.DataFrame | None,
    privacy_unit: Any,
    max_contributions: Any,
    max_partitions: Any,
    *,
    grouped: bool,
) -> PrivacyUnit:
    """Validate the unit parameters of a request (``df`` None: the columns are checked later)."""
    if privacy_unit is None:
        for name, value in (("max_contributions", max_contributions), ("max_partitions", max_partitions)):
            if value is not None and value != 1:
                raise InvalidInputError(f"{name} needs a privacy_unit column (a row is one unit)", field=name)
        return PrivacyUnit(None)
    if df is not None:
        column = require_column(df, privacy_unit, "privacy_unit")
    elif isinstance(privacy_unit, str) and privacy_unit:
        column = privacy_unit
    else:
        raise InvalidInputError("column name must be a non-empty string", field="privacy_unit")
    k = 1 if max_contributions is None else check_positive_int(
        max_contributions, "max_contributions", maximum=MAX_CONTRIBUTIONS)
    if max_partitions is not None and not grouped:
        raise InvalidInputError("max_partitions applies to group_by queries", field="max_partitions")
    p = 1 if max_partitions is None else check_positive_int(
        max_partitions, "max_partitions", maximum=MAX_PARTITIONS)
    return PrivacyUnit(column, k, p)


def _rng() -> np.random.Generator:
    return np.random.default_rng(secrets.randbits(64))


def unit_ids(series: pd.Series) -> pd.Series:
    """Unit identifiers: the values themselves for typed columns, canonical text for mixed ones."""
    if series.dtype == object:
        return cell_labels(series)
    return series


def _rank_within(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each position, its rank among the positions with the same code, in a random order.

    One sort of ``code * 2^20 + random`` (the random low bits order each unit's rows).
    """
    n = codes.size
    keys = (codes.astype(np.int64) << 20) | rng.integers(0, 1 << 20, n, dtype=np.int64)
    order = np.argsort(keys, kind="stable")  # radix sort for integers
    sorted_codes = keys[order] >> 20
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    lengths = np.diff(np.r_[starts, n])
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n) - np.repeat(starts, lengths)
    return ranks


def bound_rows(frame: pd.DataFrame, unit: PrivacyUnit) -> pd.DataFrame:
    """At most ``max_contributions`` rows per unit (random rows)."""
    if unit.column is None:
        return frame
    codes, _ = pd.factorize(unit_ids(frame[unit.column]), use_na_sentinel=True)
    keep = codes >= 0
    if keep.any():
        keep &= _rank_within(codes, _rng()) < unit.max_contributions
    return frame.iloc[np.flatnonzero(keep)]


def bound_grouped(frame: pd.DataFrame, unit: PrivacyUnit, groups: pd.Series) -> pd.DataFrame:
    """At most ``max_partitions`` groups per unit and ``max_contributions`` rows per unit and group.

    ``groups`` holds each row's group label (NaN: no released group; such rows are dropped).
    """
    keep = groups.notna().to_numpy().copy()
    if unit.column is None:
        return frame[keep]
    ids = unit_ids(frame[unit.column])
    keep &= ids.notna().to_numpy()
    frame, ids, groups = frame[keep], ids[keep], groups[keep]
    if frame.empty:
        return frame
    rng = _rng()
    pairs = pd.DataFrame({"u": ids.to_numpy(), "g": groups.to_numpy()})
    distinct = pairs.drop_duplicates()
    distinct = distinct.iloc[rng.permutation(len(distinct))]
    distinct = distinct[distinct.groupby("u", sort=False).cumcount().to_numpy() < unit.max_partitions]
    allowed = pd.MultiIndex.from_frame(distinct)
    in_allowed = pd.MultiIndex.from_frame(pairs).isin(allowed)
    pairs = pairs[in_allowed]
    positions = np.flatnonzero(in_allowed)
    order = rng.permutation(len(pairs))
    shuffled = pairs.iloc[order]
    rank = shuffled.groupby(["u", "g"], sort=False).cumcount().to_numpy()
    chosen = np.sort(positions[order[rank < unit.max_contributions]])
    return frame.iloc[chosen]
