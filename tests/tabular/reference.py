"""A slow, independent reference: brute force over the lattice with pandas group-bys."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd


def make_hierarchy(values: list[int], height: int) -> list[list[str]]:
    rows = []
    for v in values:
        row = [str(v)] + [f"g{lvl}_{v >> lvl}" for lvl in range(1, height)] + ["*"]
        rows.append(row)
    return rows


def generalize(df: pd.DataFrame, hier: dict[str, list[list[str]]], node: tuple[int, ...]) -> pd.DataFrame:
    out = df.copy()
    for (col, rows), lvl in zip(hier.items(), node, strict=True):
        mapping = {r[0]: r[lvl] for r in rows}
        out[col] = df[col].astype(str).map(mapping)
    return out


def class_ok(group: pd.DataFrame, criteria: dict[str, Any], total: pd.Series | None) -> bool:
    if len(group) < criteria.get("k", 1):
        return False
    if "l" in criteria:
        counts = group["s"].value_counts()
        variant = criteria.get("variant", "distinct")
        if variant == "distinct" and len(counts) < criteria["l"]:
            return False
        if variant == "entropy":
            p = counts / counts.sum()
            if -(p * np.log(p)).sum() < math.log(criteria["l"]) - 1e-12:
                return False
    if "t" in criteria and total is not None:
        p = group["s"].value_counts(normalize=True).reindex(total.index, fill_value=0.0)
        if 0.5 * (p - total).abs().sum() > criteria["t"] + 1e-12:
            return False
    return True


def brute_force(
    df: pd.DataFrame, hier: dict[str, list[list[str]]], criteria: dict[str, Any], max_suppression: float
) -> list[tuple[tuple[int, ...], float, int]]:
    """All feasible nodes with (levels, ARX Loss, suppressed records)."""
    n = len(df)
    limit = math.floor(max_suppression * n + 1e-9)
    qis = list(hier)
    total = df["s"].value_counts(normalize=True) if "s" in df.columns else None
    heights = [len(r[0]) - 1 for r in hier.values()]
    out = []
    for node in itertools.product(*[range(h + 1) for h in heights]):
        g = generalize(df, hier, node)
        bad = np.zeros(n, dtype=bool)
        for _, grp in g.groupby(qis, sort=False):
            if not class_ok(grp, criteria, total):
                bad[grp.index.to_numpy()] = True
        if bad.sum() > limit:
            continue
        losses = []
        for (col, rows), lvl in zip(hier.items(), node, strict=True):
            level_values = [r[lvl] for r in rows]
            share = {v: level_values.count(v) / len(rows) for v in level_values}
            mapping = {r[0]: share[r[lvl]] for r in rows}
            s = df[col].astype(str).map(mapping).to_numpy()
            raw = float(np.where(bad, 1.0, s).sum())
            lo = n / len(rows)
            losses.append(max((raw - lo) / (n - lo), 0.0) if n - lo > 0 else 0.0)
        loss = float(np.exp(np.mean(np.log1p(losses))) - 1)
        out.append((node, loss, int(bad.sum())))
    return out


def best_node(feasible: list[tuple[tuple[int, ...], float, int]]) -> tuple[int, ...]:
    best = min(feasible, key=lambda x: (round(x[1], 10), sum(x[0]), x[0]))
    return best[0]
