"""Evaluation of one transformation (a vector of levels) on the reduced table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from veil.tabular.encoding import EncodedQI, EncodedSensitive, ReducedTable, combine_codes, reduce_records
from veil.tabular.metrics import (
    METRIC_NAMES,
    MULTI_DIMENSIONAL,
    Factors,
    aggregate,
    normalise_loss,
    split_key,
)
from veil.tabular.privacy import (
    Criterion,
    KAnonymity,
    LDiversity,
    TCloseness,
    TClosenessChecker,
    check_l_diversity,
    is_superset_closed,
    pair_counts,
)

_DENSE_KEY_LIMIT = 1 << 22


@dataclass
class NodeResult:
    levels: tuple[int, ...]
    feasible: bool
    n_classes: int  # classes among non-suppressed records
    suppressed: int
    min_class: int
    metrics: dict[str, float] = field(default_factory=dict)
    dm_star: float = 0.0  # discernibility without suppression (bound for successors)
    all_classes: int = 0  # classes before suppression (bound for AECS)
    k_suppressed: int = 0  # records in classes smaller than k (monotonic: bounds predecessors)
    doomed: bool = False  # a monotonic necessary condition fails: this node and its predecessors are infeasible


@dataclass
class Classes:
    inv: np.ndarray  # (m,) class of every reduced row
    n_classes: int
    sizes: np.ndarray  # (C,) float
    ok: np.ndarray  # (C,) bool: class satisfies every model
    k_outliers: float = 0.0
    doomed: bool = False


class Evaluator:
    """Holds the encodings and evaluates privacy + metrics for any transformation."""

    def __init__(
        self,
        qis: list[EncodedQI],
        sensitive: list[EncodedSensitive],
        criteria: list[Criterion],
        *,
        max_suppression: float,
        factors: Factors,
        table: ReducedTable | None = None,
    ) -> None:
        """``table``: an already reduced table (merged partition counts, veil.tabular.partitioned);
        by default the records in ``qis``/``sensitive`` are reduced here."""
        self.qis = qis
        self.sensitive = sensitive
        self.sens_index = {s.name: i for i, s in enumerate(sensitive)}
        self.criteria = criteria
        self.factors = factors
        from_records = table is None
        self.table: ReducedTable = reduce_records(qis, sensitive) if table is None else table
        self.weight = self.table.weight.astype(np.float64)
        self.n = int(qis[0].leaf.shape[0]) if from_records else int(self.table.weight.sum())
        self.max_outliers = math.floor(max_suppression * self.n + 1e-9)
        self.monotonic = self.max_outliers == 0 or all(is_superset_closed(c) for c in criteria)
        self.k = max([c.k for c in criteria if isinstance(c, KAnonymity)], default=1)
        self.t_checkers: dict[int, TClosenessChecker] = {}
        for i, c in enumerate(criteria):
            if isinstance(c, TCloseness):
                self.t_checkers[i] = self._t_checker(c, sensitive[self.sens_index[c.attribute]])
        self.heights = np.array([q.height for q in qis], dtype=np.int64)
        self.domain = np.array([len(q.hierarchy.rows) for q in qis], dtype=np.float64)
        # per attribute and level: share and entropy term of every hierarchy row
        self._row_share: list[list[np.ndarray]] = []
        self._row_entropy: list[list[np.ndarray]] = []
        self.total_share = np.zeros((len(qis), int(self.heights.max(initial=0)) + 1))
        self.total_entropy = np.zeros_like(self.total_share)
        for j, q in enumerate(qis):
            if from_records:
                leaf_counts = np.bincount(q.leaf, minlength=len(q.hierarchy.rows)).astype(np.float64)
            else:
                leaf_counts = np.bincount(
                    self.table.leaf[:, j], weights=self.weight, minlength=len(q.hierarchy.rows)
                ).astype(np.float64)
            shares, ents = [], []
            for lvl in range(q.height + 1):
                s = q.share[lvl][q.gen[lvl]]
                gen_counts = np.bincount(q.gen[lvl], weights=leaf_counts, minlength=q.cardinality(lvl))
                with np.errstate(divide="ignore", invalid="ignore"):
                    e = np.where(leaf_counts > 0, np.log2(gen_counts[q.gen[lvl]] / leaf_counts), 0.0)
                shares.append(s)
                ents.append(e)
                self.total_share[j, lvl] = float(leaf_counts @ s)
                self.total_entropy[j, lvl] = float(leaf_counts @ e)
            with np.errstate(divide="ignore", invalid="ignore"):
                root = np.where(leaf_counts > 0, np.log2(self.n / leaf_counts), 0.0)
            ents.append(root)  # index height+1: suppressed record
            self._row_share.append(shares)
            self._row_entropy.append(ents)
        # contiguous code columns of the reduced table for every attribute and level
        self.level_codes: list[list[np.ndarray]] = [
            [q.gen[lvl].astype(np.int64)[self.table.leaf[:, j]] for lvl in range(q.height + 1)]
            for j, q in enumerate(qis)
        ]
        self.sens_codes = [self.table.sensitive[:, i].astype(np.int64) for i in range(len(sensitive))]
        self.evaluations = 0

    def _t_checker(self, criterion: TCloseness, encoded: EncodedSensitive) -> TClosenessChecker:
        """The t-closeness checker; its reference distribution is the whole table's."""
        return TClosenessChecker(criterion, encoded)

    # ------------------------------------------------------------------ classes
    def classes(self, levels: tuple[int, ...]) -> Classes:
        cols = [self.level_codes[j][lv] for j, lv in enumerate(levels)]
        cards = [q.cardinality(lv) for q, lv in zip(self.qis, levels, strict=True)]
        key, space = combine_codes(cols, cards)
        if space <= _DENSE_KEY_LIMIT and space <= 8 * key.shape[0] + 1024:
            dense = np.bincount(key, weights=self.weight, minlength=space)
            present = np.flatnonzero(dense)
            remap = np.empty(space, dtype=np.int64)
            remap[present] = np.arange(present.shape[0])
            inv = remap[key]
            sizes = dense[present]
        else:
            codes, uniq = pd.factorize(key, sort=False)
            inv = codes.astype(np.int64)
            sizes = np.bincount(inv, weights=self.weight, minlength=len(uniq))
        n_classes = int(sizes.shape[0])
        ok = np.ones(n_classes, dtype=bool)
        if self.k > 1:
            ok &= sizes >= self.k
        k_outliers = float(sizes[~ok].sum()) if self.k > 1 else 0.0
        # ``need``: records that must be suppressed inside each class, for this node and for every
        # less general one (see docs/tabular.md, "necessary condition")
        need = np.where(sizes < self.k, sizes, 0.0) if self.k > 1 else np.zeros(n_classes)
        pair_cache: dict[int, object] = {}
        for i, c in enumerate(self.criteria):
            if isinstance(c, KAnonymity):
                continue
            s_idx = self.sens_index[c.attribute]
            pairs = pair_cache.get(s_idx)
            if pairs is None:
                enc = self.sensitive[s_idx]
                pairs = pair_counts(inv, n_classes, self.sens_codes[s_idx], enc.size, self.weight)
                pair_cache[s_idx] = pairs
            if isinstance(c, LDiversity):
                ok &= check_l_diversity(c, pairs, sizes, n_classes)  # type: ignore[arg-type]
            else:
                dist = self.t_checkers[i].distances(pairs, sizes, n_classes)  # type: ignore[arg-type]
                ok &= dist <= c.t + 1e-12
                # |E|·EMD(E) is an optimal-transport cost, subadditive when classes merge: in any less
                # general node, the sub-classes of E that stay published carry at most t·|part| of it
                # and suppressed ones at most M·|part| (M = the largest possible EMD), so at least
                # |E|(EMD(E) - t)/(M - t) of E's records must be suppressed there.
                m_max = self.t_checkers[i].max_distance
                excess = np.maximum(sizes * (dist - c.t), 0.0)
                if m_max > c.t:
                    need = np.maximum(need, np.minimum(excess / (m_max - c.t) * (1 - 1e-9), sizes))
        doomed = float(need.sum()) > self.max_outliers + 1e-9
        return Classes(inv, n_classes, sizes, ok, k_outliers, doomed)

    # ------------------------------------------------------------------ evaluate
    def evaluate(self, levels: tuple[int, ...], *, metrics: tuple[str, ...] = METRIC_NAMES) -> NodeResult:
        self.evaluations += 1
        cl = self.classes(levels)
        bad = ~cl.ok
        suppressed = round(float(cl.sizes[bad].sum()))
        feasible = suppressed <= self.max_outliers
        kept = cl.sizes[cl.ok]
        res = NodeResult(
            levels=levels,
            feasible=feasible,
            n_classes=int(kept.shape[0]),
            suppressed=suppressed,
            min_class=int(kept.min()) if kept.size else 0,
            dm_star=float((cl.sizes**2).sum()),
            all_classes=cl.n_classes,
            k_suppressed=round(cl.k_outliers),
            doomed=cl.doomed,
        )
        if feasible:
            row_out = bad[cl.inv]
            res.metrics = self.metric_values(levels, cl, row_out, metrics)
        return res

    def metric_values(
        self, levels: tuple[int, ...], cl: Classes, row_out: np.ndarray, metrics: tuple[str, ...]
    ) -> dict[str, float]:
        """The requested metrics (names of :data:`METRIC_NAMES`, or ``metric:aggregate`` for a
        multi-dimensional metric under another scalar aggregate)."""
        n = float(self.n)
        g, s = self.factors.g, self.factors.s
        n_out = float(self.weight[row_out].sum())
        out: dict[str, float] = {}
        for key in metrics:
            metric, agg = split_key(key)
            if metric in MULTI_DIMENSIONAL:
                values = self.attribute_values(levels, row_out, metric)
                out[key] = float(aggregate(values, agg or "sum"))
            elif metric == "discernibility":
                # ARX's DM*: suppressed records stay in their classes (this is what ARX 3.9.2 optimises)
                out[key] = float((cl.sizes**2).sum())
            elif metric == "aecs":
                # ARX switches the factors on purpose for AECS
                groups = float(cl.ok.sum()) * s + (g if n_out > 0 else 0.0)
                out[key] = n / groups if groups > 0 else n
        return out

    def attribute_values(self, levels: tuple[int, ...], row_out: np.ndarray, metric: str) -> np.ndarray:
        """One value per quasi-identifier of a multi-dimensional metric (see veil.tabular.metrics)."""
        n = float(self.n)
        g, s = self.factors.g, self.factors.s
        out_w = self.weight[row_out]
        n_out = float(out_w.sum())
        d = len(self.qis)
        if metric == "loss":
            raw = np.empty(d)
            for j, lv in enumerate(levels):
                total = self.total_share[j, lv]
                if n_out > 0:
                    sh = self._row_share[j][lv][self.table.leaf[row_out, j]]
                    out_share = float(out_w @ sh)
                else:
                    out_share = 0.0
                gen_part = g * (total - out_share)
                sup_part = n_out if s == 1.0 else out_share + s * (n_out - out_share)
                raw[j] = gen_part + sup_part
            return np.asarray(normalise_loss(raw, n, self.domain, g))
        if metric == "precision":
            with np.errstate(divide="ignore", invalid="ignore"):
                frac = np.where(self.heights > 0, np.array(levels) / np.maximum(self.heights, 1), 0.0)
            return np.asarray(((n - n_out) * frac * g + n_out * s) / n, dtype=np.float64)
        if metric in ("entropy", "entropy_nm"):
            # ARX: the generalization term counts every record (suppressed ones at their
            # generalized value); the non-monotonic variant adds what suppression hides
            vals = np.array([g * self.total_entropy[j, lv] for j, lv in enumerate(levels)], dtype=np.float64)
            if metric == "entropy_nm" and n_out > 0:
                for j, lv in enumerate(levels):
                    c = np.bincount(self.level_codes[j][lv][row_out], weights=out_w)
                    c = c[c > 0]
                    vals[j] += s * float((c * np.log2(n_out / c)).sum())
            return vals
        if metric == "height":
            return np.array(levels, dtype=np.float64)
        raise ValueError(f"{metric!r} is not a multi-dimensional metric")

    # ------------------------------------------------------------------ bounds
    def attribute_bounds(self, nodes: np.ndarray, metric: str) -> np.ndarray | None:
        """Per node and quasi-identifier, a closed-form lower bound of a multi-dimensional
        metric (its generalization-only value: exact when nothing is suppressed)."""
        g = self.factors.g
        n = float(self.n)
        cols = np.arange(nodes.shape[1])
        if metric == "loss":
            raw = g * self.total_share[cols[None, :], nodes]
            lo = g * n / self.domain
            with np.errstate(divide="ignore", invalid="ignore"):
                norm = np.where(n - lo > 0, (raw - lo) / (n - lo), 0.0)
            return np.asarray(np.maximum(norm, 0.0))
        if metric == "precision":
            return np.asarray(np.where(self.heights > 0, nodes / np.maximum(self.heights, 1), 0.0) * g)
        if metric in ("entropy", "entropy_nm"):
            return np.asarray(g * self.total_entropy[cols[None, :], nodes])
        if metric == "height":
            return nodes.astype(np.float64)
        return None

    def lower_bounds(self, nodes: np.ndarray, metric: str) -> np.ndarray | None:
        """Closed-form lower bounds over all nodes (exact when nothing is suppressed); every
        aggregate is non-decreasing in each attribute's value, so aggregated bounds bound."""
        name, agg = split_key(metric)
        per = self.attribute_bounds(nodes, name)
        if per is None:
            return None
        return np.asarray(aggregate(per, agg or "sum", axis=1), dtype=np.float64)
