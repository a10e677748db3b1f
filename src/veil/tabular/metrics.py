"""Quality metrics, computed the way ARX 3.9 computes them.

Notation: ``n`` records; for a transformation, equivalence classes ``E`` with sizes
``|E|``; ``S`` the suppressed records (classes failing the privacy model); for
quasi-identifier ``j`` at level ``λ_j`` with height ``h_j`` and a hierarchy of ``D_j``
rows, ``share_j(v)`` = (hierarchy rows that generalize to ``v``) / ``D_j``.
``gsFactor`` (default 0.5) gives ``gF = 1 if gs <= .5 else 1 - 2(gs - .5)`` and
``sF = 2 gs if gs < .5 else 1``.

* **Loss** (ARX ``MetricMDNMLoss``, Iyengar's LM): per attribute
  ``L_j = sum_{r not in S} gF share_j(r) + sum_{r in S} (1 if sF == 1 else share + sF (1 - share))``,
  normalised ``(L_j - gF n / D_j) / (n - gF n / D_j)`` (clipped at 0), aggregated with
  ARX's geometric mean ``prod(L_j + 1)^(1/d) - 1``.
* **Precision** (``MetricMDNMPrecision``): per attribute
  ``((n - |S|) gF λ_j / h_j + |S| sF) / n``, arithmetic mean.
* **Discernibility** (ARX's ``DM*``, ``MetricSDDiscernability``): ``sum_E |E|^2`` over all classes,
  suppressed records counted in the class they had before suppression. (The variant that
  charges ``n`` per suppressed record picks a different node on Adult than ARX 3.9.2 does;
  ``DM*`` reproduces ARX's optimum.)
* **AECS** (``MetricSDAECS``): ``n / (#non-suppressed classes + [S non-empty])`` (with gsFactor
  0.5; the factors weight both terms otherwise).
* **Non-uniform entropy**, ARX's two variants, with ``f`` counting records of the input:
  ``entropy`` (monotonic, ``MetricMDNUEntropyPrecomputed``): per attribute
  ``gF · sum_r -log2(f(leaf_r) / f(gen_r))`` over **all** records, suppressed ones counted
  at their generalized value (suppression costs nothing extra, so the value never decreases
  under generalization); ``entropy_nm`` (non-monotonic, ``MetricMDNUNMEntropyPrecomputed``):
  the same plus, per attribute, ``sF · sum_v c_v · log2(|S| / c_v)`` where ``c_v`` is the
  number of suppressed records whose generalized value is ``v`` (the information their
  suppression hides). Both summed over attributes by default.
* **Height**: ``sum_j λ_j``.

Aggregate functions (ARX's ``AggregateFunction``) for the multi-dimensional metrics (loss,
precision, entropy, entropy_nm, height), over the per-attribute values ``v_j``: ``sum``,
``max``, ``arithmetic_mean``, ``geometric_mean`` (``prod(v_j + 1)^(1/d) - 1``) and
``rank``: the vector of the ``v_j`` sorted in descending order, compared lexicographically
(the transformation whose worst attribute loses least wins, then the second worst, ...;
``ILMultiDimensionalRank``). Defaults as in ARX: loss geometric mean, precision arithmetic
mean, entropy / entropy_nm / height sum.

Lower values are better for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

MetricName = Literal["loss", "precision", "discernibility", "aecs", "entropy", "entropy_nm", "height"]
METRIC_NAMES: tuple[MetricName, ...] = (
    "loss", "precision", "discernibility", "aecs", "entropy", "entropy_nm", "height",
)
#: metrics with one value per quasi-identifier, combined by an aggregate function
MULTI_DIMENSIONAL: tuple[str, ...] = ("loss", "precision", "entropy", "entropy_nm", "height")
AGGREGATES: tuple[str, ...] = ("sum", "max", "arithmetic_mean", "geometric_mean", "rank")
DEFAULT_AGGREGATE: dict[str, str] = {
    "loss": "geometric_mean",
    "precision": "arithmetic_mean",
    "entropy": "sum",
    "entropy_nm": "sum",
    "height": "sum",
}


def objective_key(metric: str, aggregate: str | None) -> str:
    """The name of a metric under an aggregate (``loss`` or ``loss:max``); the default
    aggregate keeps the plain name."""
    if aggregate is None or aggregate == DEFAULT_AGGREGATE.get(metric):
        return metric
    return f"{metric}:{aggregate}"


def split_key(key: str) -> tuple[str, str | None]:
    metric, _, agg = key.partition(":")
    return metric, (agg or DEFAULT_AGGREGATE.get(metric))


def aggregate(values: np.ndarray, function: str, axis: int = -1) -> np.ndarray | float:
    """A scalar aggregate of per-attribute values (along ``axis``); ``rank`` is a vector
    (see :func:`rank_vector`), not a scalar."""
    if values.shape[axis] == 0:
        return 0.0 if values.ndim == 1 else np.zeros(values.shape[0])
    if function == "sum":
        return values.sum(axis=axis)
    if function == "max":
        return values.max(axis=axis)
    if function == "arithmetic_mean":
        return values.mean(axis=axis)
    if function == "geometric_mean":
        return np.exp(np.mean(np.log1p(values), axis=axis)) - 1.0
    raise ValueError(f"no scalar aggregate {function!r}")


def rank_vector(values: np.ndarray) -> list[float]:
    """ARX's RANK aggregate: the per-attribute values in descending order."""
    return [float(v) for v in sorted(np.asarray(values, dtype=float).tolist(), reverse=True)]


@dataclass(frozen=True)
class Factors:
    gs: float = 0.5

    @property
    def g(self) -> float:
        return 1.0 if self.gs <= 0.5 else 1.0 - 2.0 * (self.gs - 0.5)

    @property
    def s(self) -> float:
        return 2.0 * self.gs if self.gs < 0.5 else 1.0


def geometric_mean_aggregate(values: np.ndarray) -> float:
    """ARX's geometric mean: ``prod(v + 1)^(1/d) - 1`` (weights all 1)."""
    if values.size == 0:
        return 0.0
    return float(np.exp(np.mean(np.log1p(values))) - 1.0)


def normalise_loss(raw: np.ndarray, n: float, domain: np.ndarray, g: float) -> np.ndarray:
    lo = g * n / domain
    with np.errstate(divide="ignore", invalid="ignore"):
        res = np.where(n - lo > 0, (raw - lo) / (n - lo), 0.0)
    return np.maximum(res, 0.0)
