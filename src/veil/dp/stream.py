"""Streaming DP: continual release with the binary-tree mechanism.

Every batch fed to a session is one time step. A :class:`TreeAggregator` keeps, for
each level of a binary tree over the time steps, the exact and the noisy partial sum of
the current dyadic block (Chan, Shi & Song 2011; Dwork, Naor, Pitassi & Rothblum 2010).
At step ``t`` the released prefix total is the sum of the noisy blocks of ``t``'s binary
digits, so it carries at most ``levels`` noise terms; a row lies in at most ``levels``
blocks, so each block's noise is calibrated to ``levels * sensitivity`` (Laplace, L1) or
``sqrt(levels) * sensitivity`` (Gaussian, L2). With ``levels = ceil(log2(horizon)) + 1``
the error of every release grows polylogarithmically in the number of releases, and the
whole stream costs ``epsilon`` once.

Sliding windows release ``prefix(t) - prefix(t - window_size)`` (post-processing of two
released prefixes). Tumbling windows run a fresh tree of horizon ``window_size`` per
window; windows are disjoint in rows, so they compose in parallel. ``mean`` and the
window mechanisms split ``epsilon`` evenly between a count tree and a (centred) sum tree.

**Privacy unit.** With ``privacy_unit`` the session bounds each unit over the *whole
stream*: at most ``max_contributions`` rows per unit (per group, for grouped streams) and
at most ``max_partitions`` groups per unit; rows beyond are dropped as they arrive. The
session remembers, per unit, a 64-bit hash of its id and what it has contributed. A unit
then changes at most ``max_contributions`` leaves of a tree, so every tree's sensitivity
is multiplied by ``max_contributions``, and a grouped stream is charged for its
``max_partitions`` most expensive groups.

Session state is plain JSON (:meth:`StreamSession.to_dict`); it contains exact partial
sums of open tree blocks, so it must be stored like the raw data.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from veil.dp import noise
from veil.dp.keys import TypedKey, cell_labels, match_labels, typed_keys
from veil.dp.types import NoiseType, PrivacyEvent, StreamMechanismType
from veil.dp.units import PrivacyUnit, parse_unit
from veil.dp.validation import (
    check_bounds,
    check_delta,
    check_epsilon,
    check_epsilon_map,
    check_positive_int,
    numeric_values,
    parse_enum,
    require_column,
)
from veil.errors import ConflictError, InvalidInputError
from veil.io import load_table

DEFAULT_HORIZON = 1 << 16
MAX_HORIZON = 1 << 24
MAX_WINDOW = 1 << 16
DEFAULT_MIN_GROUP_SIZE = 5
MAX_KEPT_WINDOWS = 1000


def levels_for(horizon: int) -> int:
    return max(1, math.ceil(math.log2(horizon))) + 1


@dataclass
class TreeAggregator:
    """Binary-mechanism state for one running total (a count when ``integer``)."""

    levels: int
    sensitivity: float
    epsilon: float
    delta: float
    noise_type: str
    integer: bool
    t: int = 0
    exact: list[float] = field(default_factory=list)
    noisy: list[float] = field(default_factory=list)
    prefix: float = 0.0

    def __post_init__(self) -> None:
        if not self.exact:
            self.exact = [0.0] * self.levels
            self.noisy = [0.0] * self.levels

    def node_sensitivity(self) -> float:
        factor = math.sqrt(self.levels) if self.noise_type == NoiseType.GAUSSIAN else float(self.levels)
        return factor * self.sensitivity

    def _release(self, value: float) -> tuple[float, PrivacyEvent]:
        if self.integer:
            released, event = noise.release_int(
                round(value), math.ceil(self.node_sensitivity()), self.epsilon, self.delta, self.noise_type
            )
            return float(released), event
        return noise.release_float(value, self.node_sensitivity(), self.epsilon, self.delta, self.noise_type)

    def event(self) -> PrivacyEvent:
        kind = "int" if self.integer else "float"
        sens = math.ceil(self.node_sensitivity()) if self.integer else self.node_sensitivity()
        return noise.calibrated(kind, self.noise_type, float(sens), self.epsilon, self.delta)[1]

    def node_std(self) -> float:
        kind = "int" if self.integer else "float"
        sens = math.ceil(self.node_sensitivity()) if self.integer else self.node_sensitivity()
        return noise.noise_scale(kind, self.noise_type, float(sens), self.epsilon, self.delta)

    def step(self, x: float) -> float:
        if self.t + 1 > (1 << self.levels) - 1:
            raise ConflictError("the stream reached its horizon; start a new session", field="session_id")
        self.t += 1
        i = (self.t & -self.t).bit_length() - 1
        self.exact[i] = sum(self.exact[:i]) + x
        for j in range(i):
            self.exact[j] = 0.0
            self.noisy[j] = 0.0
        self.noisy[i], _ = self._release(self.exact[i])
        self.prefix = sum(self.noisy[j] for j in range(self.levels) if self.t >> j & 1)
        return self.prefix

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": self.levels,
            "sensitivity": self.sensitivity,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "noise_type": str(self.noise_type),
            "integer": self.integer,
            "t": self.t,
            "exact": list(self.exact),
            "noisy": list(self.noisy),
            "prefix": self.prefix,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeAggregator:
        return cls(**data)


@dataclass
class _Tracker:
    """The trees of one (column, group): ``count`` and/or ``sum``, plus window bookkeeping."""

    count: TreeAggregator | None
    total: TreeAggregator | None
    history: list[list[float]] = field(default_factory=list)  # released (count, sum) prefixes
    windows: list[dict[str, Any]] = field(default_factory=list)  # closed tumbling windows

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count.to_dict() if self.count else None,
            "total": self.total.to_dict() if self.total else None,
            "history": self.history,
            "windows": self.windows,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _Tracker:
        return cls(
            count=TreeAggregator.from_dict(data["count"]) if data.get("count") else None,
            total=TreeAggregator.from_dict(data["total"]) if data.get("total") else None,
            history=[list(h) for h in data.get("history", [])],
            windows=list(data.get("windows", [])),
        )


@dataclass
class StreamSession:
    session_id: str
    mechanism: StreamMechanismType
    epsilon: float
    delta: float
    noise_type: NoiseType
    bounds: tuple[float, float] | None
    columns: list[str]
    group_by: str | None = None
    group_keys: list[str] | None = None
    group_key_values: list[Any] | None = None
    window_size: int | None = None
    epsilon_map: dict[str, float] = field(default_factory=dict)
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    horizon: int = DEFAULT_HORIZON
    budget_session_id: str | None = None
    unit: PrivacyUnit = field(default_factory=lambda: PrivacyUnit(None))
    contributed: dict[str, Any] = field(default_factory=dict)  # unit hash -> rows, or group -> rows
    batches_processed: int = 0
    total_count: int = 0
    trackers: dict[str, _Tracker] = field(default_factory=dict)

    # ---- construction -------------------------------------------------------------
    @classmethod
    def create(
        cls,
        session_id: str,
        *,
        mechanism: StreamMechanismType | str | None,
        epsilon: float | None,
        delta: float | None = None,
        noise_type: NoiseType | str | None = None,
        bounds: Sequence[float] | None = None,
        column: str | None = None,
        columns: list[str] | None = None,
        group_by: str | None = None,
        group_keys: list[Any] | None = None,
        window_size: int | None = None,
        epsilon_map: dict[str, float] | None = None,
        min_group_size: int | None = None,
        horizon: int | None = None,
        budget_session_id: str | None = None,
        privacy_unit: str | None = None,
        max_contributions: int | None = None,
        max_partitions: int | None = None,
    ) -> StreamSession:
        if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > 200:
            raise InvalidInputError("session_id must be a non-empty string of at most 200 characters",
                                    field="session_id")
        if mechanism is None:
            raise InvalidInputError("mechanism is required on the first call of a session", field="mechanism")
        if epsilon is None:
            raise InvalidInputError("epsilon is required on the first call of a session", field="epsilon")
        mech = parse_enum(StreamMechanismType, mechanism, "mechanism")
        eps = check_epsilon(epsilon)
        dlt = check_delta(0.0 if delta is None else delta)
        nt = parse_enum(NoiseType, noise_type or NoiseType.LAPLACE, "noise_type")
        if nt == NoiseType.GAUSSIAN and dlt <= 0:
            raise InvalidInputError("gaussian noise needs delta > 0", field="delta")
        checked_bounds = None
        if bounds is not None:
            checked_bounds = check_bounds(bounds)
        elif mech != StreamMechanismType.COUNT:
            raise InvalidInputError(f"bounds are required for streaming {mech.value}", field="bounds")
        if column is not None and columns is not None:
            raise InvalidInputError("give either column or columns, not both", field="columns")
        names: list[str] = list(columns) if columns is not None else ([column] if column is not None else [])
        if columns is not None and (not names or not all(isinstance(c, str) and c for c in names)):
            raise InvalidInputError("columns must be a non-empty list of column names", field="columns")
        if not names and mech != StreamMechanismType.COUNT:
            raise InvalidInputError(f"column is required for streaming {mech.value}", field="column")
        if len(set(names)) != len(names):
            raise InvalidInputError("columns must not repeat", field="columns")
        size = None
        if mech in (StreamMechanismType.SLIDING_WINDOW, StreamMechanismType.TUMBLING_WINDOW):
            if window_size is None:
                raise InvalidInputError(f"window_size is required for {mech.value}", field="window_size")
            size = check_positive_int(window_size, "window_size", maximum=MAX_WINDOW)
        elif window_size is not None:
            raise InvalidInputError("window_size applies to sliding_window and tumbling_window only",
                                    field="window_size")
        keys = None
        key_values = None
        if group_by is not None:
            if not isinstance(group_by, str) or not group_by:
                raise InvalidInputError("group_by must be a column name", field="group_by")
            if not group_keys:
                raise InvalidInputError(
                    "streaming group_by needs the public group_keys (keys first seen in a stream would leak)",
                    field="group_keys",
                )
            typed = typed_keys(group_keys, "group_keys", maximum=100_000)
            keys = [label for _, label in typed]
            key_values = [list(k) if isinstance(k, tuple) else k for k, _ in typed]
        hz = DEFAULT_HORIZON if horizon is None else check_positive_int(horizon, "horizon", minimum=2,
                                                                         maximum=MAX_HORIZON)
        session = cls(
            session_id=session_id,
            mechanism=mech,
            epsilon=eps,
            delta=dlt,
            noise_type=nt,
            bounds=checked_bounds,
            columns=names,
            group_by=group_by,
            group_keys=keys,
            group_key_values=key_values,
            window_size=size,
            epsilon_map=check_epsilon_map(epsilon_map),
            min_group_size=DEFAULT_MIN_GROUP_SIZE if min_group_size is None
            else check_positive_int(min_group_size, "min_group_size", maximum=10**9),
            horizon=hz,
            budget_session_id=budget_session_id,
            unit=parse_unit(None, privacy_unit, max_contributions, max_partitions, grouped=group_by is not None),
        )
        if session.unit.column is not None and session.unit.column == group_by:
            raise InvalidInputError("privacy_unit and group_by must be different columns", field="privacy_unit")
        if keys is not None and session.unit.max_partitions > len(keys):
            session.unit = PrivacyUnit(session.unit.column, session.unit.max_contributions, len(keys))
        session._build_trackers()
        return session

    def _targets(self) -> list[tuple[str | None, str | None]]:
        cols: list[str | None] = list(self.columns) or [None]
        groups: list[str | None] = list(self.group_keys) if self.group_keys else [None]
        return [(c, g) for c in cols for g in groups]

    @staticmethod
    def _key(column: str | None, group: str | None) -> str:
        return f"{column or '*'}\x1f{group if group is not None else ''}"

    def _epsilon(self, column: str | None, group: str | None) -> float:
        if group is not None and group in self.epsilon_map:
            return self.epsilon_map[group]
        if column is not None and column in self.epsilon_map:
            return self.epsilon_map[column]
        return self.epsilon

    def _build_trackers(self) -> None:
        m = self.mechanism
        tree_horizon = self.window_size if m == StreamMechanismType.TUMBLING_WINDOW else self.horizon
        assert tree_horizon is not None
        levels = levels_for(tree_horizon)
        for column, group in self._targets():
            eps = self._epsilon(column, group)
            need_count = m != StreamMechanismType.SUM
            need_sum = m != StreamMechanismType.COUNT
            share = 2.0 if (need_count and need_sum) else 1.0
            k = self.unit.max_contributions
            count = TreeAggregator(levels, float(noise.count_sensitivity(k)), eps / share, self.delta / share,
                                   self.noise_type, True) if need_count else None
            total = None
            if need_sum:
                assert self.bounds is not None
                lower, upper = self._sum_bounds()
                total = TreeAggregator(levels, noise.sum_sensitivity(lower, upper, k), eps / share,
                                       self.delta / share, self.noise_type, False)
            self.trackers[self._key(column, group)] = _Tracker(count, total)

    def _sum_bounds(self) -> tuple[float, float]:
        """Sums are centred for mean and windows (the count's noise then barely moves the mean), raw for sum."""
        assert self.bounds is not None
        lower, upper = self.bounds
        if self.mechanism == StreamMechanismType.SUM:
            return lower, upper
        radius = (upper - lower) / 2.0
        return -radius, radius

    # ---- privacy --------------------------------------------------------------
    def events(self) -> list[PrivacyEvent]:
        """What the whole session costs (groups in parallel, columns in sequence)."""
        out: list[PrivacyEvent] = []
        cols: list[str | None] = list(self.columns) or [None]
        for column in cols:
            groups: list[str | None] = list(self.group_keys) if self.group_keys else [None]
            per_group = [self.trackers[self._key(column, g)] for g in groups]
            for part in ("count", "total"):
                trees = [getattr(t, part) for t in per_group if getattr(t, part) is not None]
                if not trees:
                    continue
                # a unit reaches at most max_partitions groups: the most expensive ones bound it
                evs = sorted((t.event() for t in trees), key=lambda e: (e.epsilon, e.rho or 0.0), reverse=True)
                for e in evs[: self.unit.max_partitions]:
                    out.append(PrivacyEvent(e.kind, e.epsilon, e.delta, e.rho, f"stream.{column or '*'}.{part}"))
        return out

    # ---- feeding ------------------------------------------------------------------
    def check_same(self, **params: Any) -> None:
        """Later calls may repeat the session's settings but not change them."""
        fixed = {
            "mechanism": self.mechanism.value,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "noise_type": self.noise_type.value,
            "bounds": list(self.bounds) if self.bounds else None,
            "window_size": self.window_size,
            "group_by": self.group_by,
            "privacy_unit": self.unit.column,
            "max_contributions": self.unit.max_contributions if self.unit.column else None,
            "max_partitions": self.unit.max_partitions if self.unit.column and self.group_by else None,
        }
        for name, value in params.items():
            if value is None or name not in fixed:
                continue
            given: Any = value
            if name == "bounds":
                given = [float(v) for v in value]
            elif name in ("epsilon", "delta"):
                given = float(value)
            elif name == "max_partitions" and self.group_keys and isinstance(value, int):
                given = min(value, len(self.group_keys))  # capped at the number of keys on creation
            elif name in ("mechanism", "noise_type"):
                given = str(value.value if hasattr(value, "value") else value).lower()
            if given != fixed[name]:
                raise ConflictError(f"{name} is fixed by the session's first call", field=name)
        column, columns = params.get("column"), params.get("columns")
        names = list(columns) if columns is not None else ([column] if column is not None else None)
        if names is not None and names != self.columns:
            raise ConflictError("the session streams other columns", field="column" if column else "columns")

    def update(self, data: Any) -> None:
        frame = data if isinstance(data, pd.DataFrame) else load_table(data)
        for i, name in enumerate(self.columns):
            require_column(frame, name, "column" if len(self.columns) == 1 else f"columns[{i}]")
        if self.group_by is not None:
            require_column(frame, self.group_by, "group_by")
        if self.unit.column is not None:
            require_column(frame, self.unit.column, "privacy_unit")
        # Validate everything before touching any tree, so a bad batch changes nothing.
        frame = frame.reset_index(drop=True)
        labels = self._group_labels(frame)
        kept, contributed = self._bound(frame, labels)
        batches: dict[str, tuple[int, float]] = {}
        for column, group in self._targets():
            part = kept
            if group is not None:
                assert labels is not None
                part = kept[np.asarray(labels.loc[kept.index] == group, dtype=bool)]
            batches[self._key(column, group)] = self._batch_stats(part, column)
        self.contributed = contributed
        for key, (n, s) in batches.items():
            tracker = self.trackers[key]
            self._step(tracker, n, s)
        self.batches_processed += 1
        self.total_count += len(frame)

    def _typed_keys(self) -> list[tuple[TypedKey, str]]:
        values = self.group_key_values
        assert values is not None
        restored = [("b", bool(v[1])) if isinstance(v, list) else v for v in values]
        labels = self.group_keys or []
        return list(zip(restored, labels, strict=True))

    def _group_labels(self, frame: pd.DataFrame) -> pd.Series | None:
        if self.group_by is None:
            return None
        if self.group_key_values is None:  # a session stored before keys were typed: match by text
            labels = cell_labels(frame[self.group_by])
            return labels.where(labels.isin(self.group_keys or []))
        return match_labels(frame[self.group_by], self._typed_keys())

    def _bound(self, frame: pd.DataFrame, labels: pd.Series | None) -> tuple[pd.DataFrame, dict[str, Any]]:
        """The batch rows within each unit's remaining allowance, and the allowance after them."""
        if self.unit.column is None:
            return frame, self.contributed
        k, p = self.unit.max_contributions, self.unit.max_partitions
        ids = cell_labels(frame[self.unit.column]).to_numpy(dtype=object)
        groups = labels.to_numpy(dtype=object) if labels is not None else None
        used: dict[str, Any] = {h: (dict(v) if isinstance(v, dict) else v) for h, v in self.contributed.items()}
        order = np.random.default_rng(secrets.randbits(64)).permutation(len(frame))
        keep = np.zeros(len(frame), dtype=bool)
        for i in order:
            uid = ids[i]
            if uid is None or (isinstance(uid, float) and math.isnan(uid)):
                continue
            h = hashlib.sha256(str(uid).encode()).hexdigest()[:16]
            if groups is None:
                rows: int = used.get(h, 0)
                if rows < k:
                    used[h] = rows + 1
                    keep[i] = True
                continue
            g = groups[i]
            if g is None or (isinstance(g, float) and math.isnan(g)):
                continue
            per = used.setdefault(h, {})
            if g not in per and len(per) >= p:
                continue
            if per.get(g, 0) < k:
                per[g] = per.get(g, 0) + 1
                keep[i] = True
        return frame[keep], used

    def _batch_stats(self, frame: pd.DataFrame, column: str | None) -> tuple[int, float]:
        if column is None:
            return len(frame), 0.0
        field = "column" if len(self.columns) == 1 else f"columns[{self.columns.index(column)}]"
        if self.mechanism == StreamMechanismType.COUNT:
            return int(frame[column].notna().sum()), 0.0
        values = numeric_values(frame[column], field)
        lower, upper = self._sum_bounds()
        if self.mechanism != StreamMechanismType.SUM:
            assert self.bounds is not None
            values = values - (self.bounds[0] + self.bounds[1]) / 2.0
        total, _ = noise.clamped_sum(values, lower, upper)
        return int(values.size), total

    def _step(self, tracker: _Tracker, n: int, s: float) -> None:
        m = self.mechanism
        if m == StreamMechanismType.TUMBLING_WINDOW:
            assert self.window_size is not None
            if tracker.count is not None and tracker.count.t >= self.window_size:
                closed = self._finish(tracker.count.prefix, tracker.total.prefix if tracker.total else 0.0)
                tracker.windows.append(closed)
                tracker.windows = tracker.windows[-MAX_KEPT_WINDOWS:]
                for part in ("count", "total"):
                    tree = getattr(tracker, part)
                    if tree is not None:
                        setattr(tracker, part, TreeAggregator(tree.levels, tree.sensitivity, tree.epsilon,
                                                              tree.delta, tree.noise_type, tree.integer))
        if tracker.count is not None:
            tracker.count.step(float(n))
        if tracker.total is not None:
            tracker.total.step(s)
        if m == StreamMechanismType.SLIDING_WINDOW:
            assert self.window_size is not None
            tracker.history.append([
                tracker.count.prefix if tracker.count else 0.0,
                tracker.total.prefix if tracker.total else 0.0,
            ])
            tracker.history = tracker.history[-(self.window_size + 1):]

    # ---- results --------------------------------------------------------------------
    def _finish(self, count: float, centred_sum: float) -> dict[str, Any]:
        assert self.bounds is not None
        lower, upper = self.bounds
        n = max(count, 0.0)
        mean = (lower + upper) / 2.0 + centred_sum / max(n, 1.0)
        mean = min(max(mean, lower), upper)
        return {"count": round(n), "sum": centred_sum + (lower + upper) / 2.0 * n, "mean": mean}

    def _tracker_result(self, tracker: _Tracker) -> Any:
        m = self.mechanism
        if m == StreamMechanismType.COUNT:
            assert tracker.count is not None
            return max(round(tracker.count.prefix), 0)
        if m == StreamMechanismType.SUM:
            assert tracker.total is not None
            return tracker.total.prefix
        assert tracker.count is not None and tracker.total is not None
        if m == StreamMechanismType.MEAN:
            return self._finish(tracker.count.prefix, tracker.total.prefix)["mean"]
        if m == StreamMechanismType.SLIDING_WINDOW:
            assert self.window_size is not None
            if not tracker.history:
                return None
            latest = tracker.history[-1]
            start = tracker.history[0] if len(tracker.history) > self.window_size else [0.0, 0.0]
            value = self._finish(latest[0] - start[0], latest[1] - start[1])
            value["window_batches"] = min(len(tracker.history), self.window_size)
            return value
        current = self._finish(tracker.count.prefix, tracker.total.prefix)
        current["window_batches"] = tracker.count.t
        return {"current": current, "completed": list(tracker.windows)}

    def _noisy_size(self, tracker: _Tracker) -> float | None:
        if tracker.count is None:
            return None
        if self.mechanism == StreamMechanismType.SLIDING_WINDOW and tracker.history:
            start = tracker.history[0][0] if self.window_size and len(tracker.history) > self.window_size else 0.0
            return tracker.history[-1][0] - start
        return tracker.count.prefix

    def result(self) -> Any:
        """The current private result (no new privacy cost: post-processing of released values)."""
        cols: list[str | None] = list(self.columns) or [None]
        out: dict[str, Any] = {}
        for column in cols:
            if self.group_keys:
                by_group: dict[str, Any] = {}
                for g in self.group_keys:
                    tracker = self.trackers[self._key(column, g)]
                    size = self._noisy_size(tracker)
                    by_group[g] = None if size is not None and size < self.min_group_size \
                        else self._tracker_result(tracker)
                out[column or "*"] = by_group
            else:
                out[column or "*"] = self._tracker_result(self.trackers[self._key(column, None)])
        return out[next(iter(out))] if len(out) == 1 else out

    def noise_std(self) -> dict[str, float]:
        """Noise standard deviation of one tree block, per tree kind."""
        first = self.trackers[next(iter(self.trackers))]
        stds: dict[str, float] = {}
        if first.count is not None:
            stds["count_block_std"] = first.count.node_std()
        if first.total is not None:
            stds["sum_block_std"] = first.total.node_std()
        stds["levels"] = float((first.count or first.total).levels)  # type: ignore[union-attr]
        return stds

    def summary(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "mechanism": self.mechanism.value,
            "column": self.columns[0] if len(self.columns) == 1 else None,
            "columns": list(self.columns),
            "group_by": self.group_by,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "noise_type": self.noise_type.value,
            "window_size": self.window_size,
            "batches_processed": self.batches_processed,
            "total_count": self.total_count,
            "budget_session_id": self.budget_session_id,
            "privacy_unit": self.unit.name,
            "max_contributions": self.unit.max_contributions,
            "max_partitions": self.unit.max_partitions,
        }

    # ---- persistence ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "bounds": list(self.bounds) if self.bounds else None,
            "group_keys": self.group_keys,
            "group_key_values": self.group_key_values,
            "unit": self.unit.to_dict(),
            "contributed": self.contributed,
            "epsilon_map": self.epsilon_map,
            "min_group_size": self.min_group_size,
            "horizon": self.horizon,
            "trackers": {k: t.to_dict() for k, t in self.trackers.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StreamSession:
        bounds = data.get("bounds")
        return cls(
            session_id=data["session_id"],
            mechanism=StreamMechanismType(data["mechanism"]),
            epsilon=float(data["epsilon"]),
            delta=float(data["delta"]),
            noise_type=NoiseType(data["noise_type"]),
            bounds=(float(bounds[0]), float(bounds[1])) if bounds else None,
            columns=list(data.get("columns", [])),
            group_by=data.get("group_by"),
            group_keys=data.get("group_keys"),
            group_key_values=data.get("group_key_values"),
            unit=PrivacyUnit.from_dict(data.get("unit")),
            contributed=dict(data.get("contributed") or {}),
            window_size=data.get("window_size"),
            epsilon_map=dict(data.get("epsilon_map") or {}),
            min_group_size=int(data.get("min_group_size", DEFAULT_MIN_GROUP_SIZE)),
            horizon=int(data.get("horizon", DEFAULT_HORIZON)),
            budget_session_id=data.get("budget_session_id"),
            batches_processed=int(data.get("batches_processed", 0)),
            total_count=int(data.get("total_count", 0)),
            trackers={k: _Tracker.from_dict(v) for k, v in data.get("trackers", {}).items()},
        )


def noisy_prefix_errors(values: np.ndarray, tree: TreeAggregator) -> np.ndarray:
    """Feed ``values`` one step each and return release minus true prefix (for tests and docs)."""
    errors = np.empty(values.size)
    running = 0.0
    for i, x in enumerate(values):
        running += float(x)
        errors[i] = tree.step(float(x)) - running
    return errors
