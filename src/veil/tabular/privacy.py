"""Privacy models and their vectorised per-class checks.

A check receives the equivalence classes of one transformation as arrays over the
reduced table (see :mod:`veil.tabular.encoding`): ``inv`` (class of each reduced row),
``sizes`` (records per class) and the sensitive codes/weights, and returns a boolean
"class satisfies the model" array. Records of failing classes are suppressed (up to
``max_suppression``).

Definitions (as in ARX and the original papers):

* k-anonymity: ``size >= k``.
* distinct l-diversity: at least ``l`` distinct sensitive values.
* entropy l-diversity: ``-sum p log p >= log l``.
* recursive (c,l)-diversity: with counts ``r1 >= r2 >= ... >= rm``, ``r1 < c (r_l + ... + r_m)``.
* t-closeness: earth mover's distance between the class distribution ``p`` and the
  distribution ``q`` of the whole table is ``<= t``, with the equal distance
  (``0.5 * sum |p_i - q_i|``), the ordered distance
  (``sum_i |sum_{j<=i} (p_j - q_j)| / (m - 1)``) or the hierarchical distance of Li et al.
  (``sum_N height(N)/H * min(pos_extra(N), neg_extra(N))`` over the inner nodes ``N`` of the
  value hierarchy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from veil.tabular.encoding import EncodedSensitive

DiversityVariant = Literal["distinct", "entropy", "recursive"]
DistanceMetric = Literal["equal", "ordered", "hierarchical"]

_DENSE_LIMIT = 20_000_000
_EPS = 1e-12


@dataclass(frozen=True)
class KAnonymity:
    k: int


@dataclass(frozen=True)
class LDiversity:
    attribute: str
    l: float
    variant: DiversityVariant = "distinct"
    c: float | None = None


@dataclass(frozen=True)
class TCloseness:
    attribute: str
    t: float
    distance: DistanceMetric = "equal"


Criterion = KAnonymity | LDiversity | TCloseness


def is_superset_closed(criterion: Criterion) -> bool:
    """True when a class that contains a satisfying sub-class always satisfies the model.

    Then the set of suppressed records can only shrink under generalization, so the
    model is monotonic even with suppression (k-anonymity, distinct l-diversity).
    """
    if isinstance(criterion, KAnonymity):
        return True
    return isinstance(criterion, LDiversity) and criterion.variant == "distinct"


@dataclass
class PairCounts:
    """Non-zero (class, sensitive value) counts, sorted by class."""

    cls: np.ndarray
    value: np.ndarray
    count: np.ndarray


def pair_counts(inv: np.ndarray, n_classes: int, codes: np.ndarray, size: int, weight: np.ndarray) -> PairCounts:
    key = inv.astype(np.int64) * size + codes
    if n_classes * size <= _DENSE_LIMIT:
        full = np.bincount(key, weights=weight, minlength=n_classes * size)
        nz = np.flatnonzero(full)
        return PairCounts(nz // size, nz % size, full[nz])
    uniq, ix = np.unique(key, return_inverse=True)
    counts = np.bincount(ix, weights=weight)
    return PairCounts(uniq // size, uniq % size, counts)


def check_l_diversity(
    crit: LDiversity, pairs: PairCounts, sizes: np.ndarray, n_classes: int
) -> np.ndarray:
    distinct = np.bincount(pairs.cls, minlength=n_classes)
    if crit.variant == "distinct":
        return distinct >= crit.l
    if crit.variant == "entropy":
        clog = np.bincount(pairs.cls, weights=pairs.count * np.log(pairs.count), minlength=n_classes)
        with np.errstate(divide="ignore", invalid="ignore"):
            entropy = np.log(np.maximum(sizes, 1)) - clog / np.maximum(sizes, 1)
        return entropy >= np.log(crit.l) - _EPS
    # recursive (c,l)
    c = float(crit.c if crit.c is not None else 1.0)
    l_int = int(np.ceil(crit.l))
    order = np.lexsort((-pairs.count, pairs.cls))
    cls = pairs.cls[order]
    cnt = pairs.count[order]
    starts = np.zeros(n_classes + 1, dtype=np.int64)
    np.cumsum(np.bincount(cls, minlength=n_classes), out=starts[1:])
    rank = np.arange(cls.shape[0]) - starts[cls]
    r1 = np.zeros(n_classes)
    r1[cls[rank == 0]] = cnt[rank == 0]
    tail = np.bincount(cls, weights=np.where(rank >= l_int - 1, cnt, 0.0), minlength=n_classes)
    return (distinct >= l_int) & (r1 < c * tail)


def _global_distribution(enc: EncodedSensitive) -> np.ndarray:
    q = np.bincount(enc.codes, minlength=enc.size).astype(np.float64)
    return q / q.sum()


class TClosenessChecker:
    """Pre-computes what the EMD of every class needs for one sensitive attribute."""

    def __init__(self, crit: TCloseness, enc: EncodedSensitive) -> None:
        self.crit = crit
        self.enc = enc
        self.q = _global_distribution(enc)
        self.V = enc.size
        if crit.distance == "ordered":
            assert enc.order is not None
            self.perm = np.argsort(enc.order)  # columns in ascending order
        if crit.distance == "hierarchical":
            if enc.hierarchy_gen is None:
                raise ValueError("hierarchical distance needs a hierarchy")
            gens = enc.hierarchy_gen
            self.H = len(gens) - 1
            # indicator leaf -> node at every level; child -> parent between levels
            self.leaf_to: list[np.ndarray] = []
            for g in gens:
                m = np.zeros((self.V, int(g.max()) + 1))
                m[np.arange(self.V), g] = 1.0
                self.leaf_to.append(m)
            self.child_to_parent: list[np.ndarray] = []
            for lvl in range(1, len(gens)):
                child, parent = gens[lvl - 1], gens[lvl]
                p = np.zeros((int(child.max()) + 1, int(parent.max()) + 1))
                p[child, parent] = 1.0
                # a child mapped to two parents would make the tree ill-defined: keep rows 0/1
                p = np.minimum(p, 1.0)
                self.child_to_parent.append(p)

    @property
    def max_distance(self) -> float:
        """The largest EMD any class can have: EMD is convex in p, so it peaks at a point mass."""
        if not hasattr(self, "_max_distance"):
            pairs = PairCounts(np.arange(self.V), np.arange(self.V), np.ones(self.V))
            self._max_distance = float(self.distances(pairs, np.ones(self.V), self.V).max()) if self.V else 0.0
        return self._max_distance

    def distances(self, pairs: PairCounts, sizes: np.ndarray, n_classes: int) -> np.ndarray:
        p = pairs.count / np.maximum(sizes[pairs.cls], 1)
        if self.crit.distance == "equal":
            qv = self.q[pairs.value]
            covered = np.bincount(pairs.cls, weights=qv, minlength=n_classes)
            absdiff = np.bincount(pairs.cls, weights=np.abs(p - qv), minlength=n_classes)
            return 0.5 * (absdiff + (1.0 - covered))
        out = np.empty(n_classes)
        chunk = max(1, 4_000_000 // max(self.V, 1))
        # pairs are sorted by class: slice per chunk of classes
        bounds = np.searchsorted(pairs.cls, np.arange(0, n_classes + chunk, chunk))
        for ci, start in enumerate(range(0, n_classes, chunk)):
            stop = min(start + chunk, n_classes)
            lo, hi = bounds[ci], bounds[ci + 1]
            diff = np.tile(-self.q, (stop - start, 1))
            diff[pairs.cls[lo:hi] - start, pairs.value[lo:hi]] += p[lo:hi]
            out[start:stop] = self._dense_emd(diff)
        return out

    def _dense_emd(self, diff: np.ndarray) -> np.ndarray:
        if self.crit.distance == "ordered":
            if self.V <= 1:
                return np.zeros(diff.shape[0])
            cum = np.cumsum(diff[:, self.perm], axis=1)
            return np.abs(cum).sum(axis=1) / (self.V - 1)
        # hierarchical
        if self.H == 0:
            return np.zeros(diff.shape[0])
        cost = np.zeros(diff.shape[0])
        extra = diff @ self.leaf_to[0]
        for lvl in range(1, self.H + 1):
            p2c = self.child_to_parent[lvl - 1]
            pos = np.maximum(extra, 0.0) @ p2c
            neg = np.maximum(-extra, 0.0) @ p2c
            cost += (lvl / self.H) * np.minimum(pos, neg).sum(axis=1)
            extra = pos - neg
        return cost

    def check(self, pairs: PairCounts, sizes: np.ndarray, n_classes: int) -> np.ndarray:
        return self.distances(pairs, sizes, n_classes) <= self.crit.t + _EPS
