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
* **Non-uniform entropy**: per attribute ``sum_r -log2(f(leaf_r) / f(gen_r))`` where ``f``
  counts records of the input; a suppressed record counts as generalized to the root
  (``f = n``); factors as for Loss; summed over attributes.
* **Height**: ``sum_j λ_j``.

Lower values are better for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

MetricName = Literal["loss", "precision", "discernibility", "aecs", "entropy", "height"]
METRIC_NAMES: tuple[MetricName, ...] = ("loss", "precision", "discernibility", "aecs", "entropy", "height")


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
