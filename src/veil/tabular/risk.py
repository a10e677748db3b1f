"""Re-identification risk, with ARX's definitions.

For the equivalence classes of the quasi-identifiers (records whose quasi-identifiers
are all the suppression value are suppressed and left out):

* **prosecutor**: a record's risk is ``1/f`` (``f`` = its class size). A record is *at
  risk* when ``1/f`` is strictly above the effective threshold ``1/ceil(1/τ)`` (ARX
  rounds the threshold to a class size: with τ = 0.2 a class is at risk below 5 records).
  Reported: the fraction of records at risk, the highest risk ``1/min f`` and the average
  risk (= success rate) ``#classes / #records``.
* **journalist**: the same against a population table; without one (this API) it equals
  prosecutor, as in ARX.
* **marketer**: the expected fraction of records re-identified, ``#classes / #records``.
* **sample uniqueness**: fraction of records in classes of size 1.
* **population uniqueness** (when a population size or sampling fraction is given):
  Zayatz (1991), Pitman (Hoshino 2001, maximum likelihood by Newton-Raphson) and SNB
  (Chen & Keller-McNulty 1998), and Dankar et al.'s decision rule: Pitman when the
  sampling fraction is <= 0.1 (Zayatz if Pitman does not converge), else the smaller of
  Zayatz and SNB (Zayatz if SNB does not converge).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from veil.errors import InvalidInputError
from veil.tabular.config import as_frame
from veil.tabular.encoding import combine_codes
from veil.tabular.hierarchy import column_text


@dataclass
class AttackerRisk:
    records_at_risk: float
    highest_risk: float
    average_risk: float
    success_rate: float


@dataclass
class PopulationUniqueness:
    population_size: float
    sampling_fraction: float
    zayatz: float | None
    pitman: float | None
    snb: float | None
    dankar: float | None
    dankar_model: str | None


@dataclass
class RiskReport:
    records: int
    suppressed_records: int
    threshold: float
    effective_threshold: float
    prosecutor: AttackerRisk | None
    journalist: AttackerRisk | None
    marketer: float | None
    sample_uniqueness: float
    equivalence_classes: dict[str, Any]
    k_anonymity: int
    highest_risk_level: str
    population: PopulationUniqueness | None = None
    quasi_identifiers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def class_sizes(frame: pd.DataFrame, quasi_identifiers: Sequence[str], suppress_value: str) -> tuple[np.ndarray, int]:
    """Sizes of the equivalence classes and the number of suppressed records."""
    cols = []
    cards = []
    suppressed = np.ones(frame.shape[0], dtype=bool)
    for q in quasi_identifiers:
        text = column_text(frame[q])
        suppressed &= text == suppress_value
        codes, uniq = pd.factorize(text, sort=False)
        cols.append(codes.astype(np.int64))
        cards.append(len(uniq))
    if not quasi_identifiers:
        suppressed[:] = False
    keep = ~suppressed
    key, _ = combine_codes([c[keep] for c in cols], cards)
    if key.size == 0:
        return np.zeros(0, dtype=np.int64), int(suppressed.sum())
    _, sizes = np.unique(key, return_counts=True)
    return sizes.astype(np.int64), int(suppressed.sum())


def risk_level(highest: float) -> str:
    if highest >= 0.5:
        return "critical"
    if highest > 0.2:
        return "high"
    if highest > 0.05:
        return "medium"
    return "low"


def calculate_risk(
    data: Any,
    quasi_identifiers: Sequence[str] | None = None,
    *,
    risk_threshold: float = 0.2,
    suppress_value: str = "*",
    include_prosecutor: bool = True,
    include_journalist: bool = True,
    include_marketer: bool = True,
    population_size: float | None = None,
    sampling_fraction: float | None = None,
) -> RiskReport:
    frame = as_frame(data)
    qis = list(frame.columns) if quasi_identifiers is None else list(quasi_identifiers)
    if not qis:
        raise InvalidInputError("give at least one quasi-identifier", field="quasi_identifiers")
    for i, q in enumerate(qis):
        if q not in frame.columns:
            raise InvalidInputError(f"unknown column '{q}'", field=f"quasi_identifiers[{i}]")
    if isinstance(risk_threshold, bool) or not 0.0 < float(risk_threshold) <= 1.0:
        raise InvalidInputError("risk_threshold must be in (0, 1]", field="risk_threshold")
    sizes, suppressed = class_sizes(frame, qis, suppress_value)
    n = int(sizes.sum())
    eff = 1.0 / math.ceil(1.0 / float(risk_threshold) - 1e-12)
    if n == 0:
        zero = AttackerRisk(0.0, 0.0, 0.0, 0.0)
        return RiskReport(
            records=int(frame.shape[0]), suppressed_records=suppressed, threshold=float(risk_threshold),
            effective_threshold=eff, prosecutor=zero if include_prosecutor else None,
            journalist=zero if include_journalist else None, marketer=0.0 if include_marketer else None,
            sample_uniqueness=0.0, equivalence_classes=_class_stats(sizes, suppressed), k_anonymity=0,
            highest_risk_level="low", quasi_identifiers=qis,
        )
    at_risk = float(sizes[1.0 / sizes > eff + 1e-15].sum()) / n
    highest = 1.0 / float(sizes.min())
    average = float(sizes.shape[0]) / n
    pros = AttackerRisk(at_risk, highest, average, average)
    report = RiskReport(
        records=int(frame.shape[0]),
        suppressed_records=suppressed,
        threshold=float(risk_threshold),
        effective_threshold=eff,
        prosecutor=pros if include_prosecutor else None,
        journalist=AttackerRisk(**asdict(pros)) if include_journalist else None,
        marketer=average if include_marketer else None,
        sample_uniqueness=float(sizes[sizes == 1].sum()) / n,
        equivalence_classes=_class_stats(sizes, suppressed),
        k_anonymity=int(sizes.min()),
        highest_risk_level=risk_level(highest),
        quasi_identifiers=qis,
    )
    if population_size is not None or sampling_fraction is not None:
        report.population = population_uniqueness(sizes, population_size=population_size,
                                                  sampling_fraction=sampling_fraction)
    return report


def _class_stats(sizes: np.ndarray, suppressed: int) -> dict[str, Any]:
    return {
        "count": int(sizes.shape[0]),
        "min_size": int(sizes.min()) if sizes.size else 0,
        "max_size": int(sizes.max()) if sizes.size else 0,
        "avg_size": float(sizes.mean()) if sizes.size else 0.0,
        "suppressed_records": int(suppressed),
        "classes_of_size_1": int((sizes == 1).sum()),
    }


# ---------------------------------------------------------------------------- population models
def _histogram(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keys, counts = np.unique(sizes, return_counts=True)
    return keys.astype(np.float64), counts.astype(np.float64)


def _log_hypergeom_one(population: float, successes: float, draws: float) -> float:
    """log P(X = 1) for X ~ Hypergeometric(N, K, n)."""
    lg = math.lgamma

    def lchoose(a: float, b: float) -> float:
        return lg(a + 1) - lg(b + 1) - lg(a - b + 1)

    if successes < 1 or draws < 1 or population - successes < draws - 1:
        return -math.inf
    return math.log(successes) + lchoose(population - successes, draws - 1) - lchoose(population, draws)


def zayatz(sizes: np.ndarray, population: float) -> float:
    keys, counts = _histogram(sizes)
    n = float(sizes.sum())
    u = float(sizes.shape[0])
    c1 = float(counts[keys == 1].sum())
    if c1 == 0:
        return 0.0
    temp = sum((c / u) * math.exp(_log_hypergeom_one(population, k, n)) for k, c in zip(keys, counts, strict=True))
    prob = (c1 / u) * math.exp(_log_hypergeom_one(population, 1, n)) / temp if temp > 0 else 0.0
    return float(c1 * prob / (n / population))


def pitman(sizes: np.ndarray, population: float, *, iterations: int = 300, accuracy: float = 1e-6) -> float:
    keys, counts = _histogram(sizes)
    n = float(sizes.sum())
    u = float(sizes.shape[0])
    c1 = float(counts[keys == 1].sum())
    if c1 == 0:
        return 0.0
    c2 = float(counts[keys == 2].sum()) or 1.0
    c = c1 * (c1 - 1) / c2
    denom = (2 * c1 * u + c1 * c) - n * c
    if denom == 0:
        return math.nan
    t = (n * u * c - c1 * (n - 1) * (2 * u + c)) / denom
    a = (t * (c1 - n) + (n - 1) * c1) / (n * u)
    i_u = np.arange(1, int(u), dtype=np.float64)
    i_n = np.arange(1, int(n), dtype=np.float64)
    big = keys[keys != 1]
    big_counts = counts[keys != 1]
    max_key = int(big.max()) if big.size else 1
    j = np.arange(1, max_key, dtype=np.float64)

    def system(t: float, a: float) -> tuple[np.ndarray, np.ndarray]:
        v0 = t + i_u * a
        o1 = np.sum(1 / v0)
        o3 = np.sum(i_u / v0)
        d1 = np.sum(1 / v0**2)
        d5 = np.sum(i_u / v0**2)
        d3 = np.sum(i_u**2 / v0**2)
        inv = 1 / (j - a)
        cum1 = np.concatenate([[0.0], np.cumsum(inv)])
        cum2 = np.concatenate([[0.0], np.cumsum(inv**2)])
        idx = (big - 1).astype(np.int64)
        o4 = float(np.sum(big_counts * cum1[idx]))
        d4 = float(np.sum(big_counts * cum2[idx]))
        v = t + i_n
        o2 = np.sum(1 / v)
        d2 = np.sum(1 / v**2)
        f = np.array([o1 - o2, o3 - o4])
        jac = np.array([[d2 - d1, -d5], [-d5, -d3 - d4]])
        return f, jac

    with np.errstate(all="ignore"):
        for _ in range(iterations):
            f, jac = system(t, a)
            if not np.all(np.isfinite(f)) or not np.all(np.isfinite(jac)):
                return math.nan
            if abs(f[0]) < accuracy and abs(f[1]) < accuracy:
                break
            try:
                step = np.linalg.solve(jac, f)
            except np.linalg.LinAlgError:
                return math.nan
            t, a = t - step[0], a - step[1]
        else:
            return math.nan
    if not (math.isfinite(t) and math.isfinite(a)) or a == 0 or t + a <= 0 or t + 1 <= 0:
        return math.nan
    try:
        val = math.exp(math.lgamma(t + 1) - math.lgamma(t + a) + a * math.log(population))
    except (OverflowError, ValueError):
        return math.nan
    return val if 0 <= val <= population else math.nan


def snb(sizes: np.ndarray, population: float, *, iterations: int = 300, accuracy: float = 1e-6) -> float:
    keys, counts = _histogram(sizes)
    n = float(sizes.sum())
    u = float(sizes.shape[0])
    c1 = float(counts[keys == 1].sum())
    if c1 == 0:
        return 0.0
    c2 = float(counts[keys == 2].sum())
    f = n / population
    with np.errstate(all="ignore"):
        var1 = float(np.sum(keys * f * f * (1 - f * f) ** (keys - 1) * counts))
        var2 = float(np.sum((1 - f) ** keys * counts * (1 + f) ** keys - 1))
        var3 = float(np.sum((1 - f) ** keys * counts))
        var4 = float(np.sum(keys * f * (1 - f) ** (keys - 1) * counts))
    if var2 == 0 or var4 == 0:
        return math.nan
    k = u + c1 * (var1 / var2) * (var3 / var4) ** 2

    def obj(x: np.ndarray) -> np.ndarray:
        a, b = x
        div = (1 - f) * (1 - b)
        r1 = k * f * (b / (1 - div)) ** a * ((a * div) / (1 - div) + 1) - c1
        r2 = k * a * b**a * f * f * (1 - b) / 2 * (1 - div) ** (-(a + 2)) * (2 - (1 - a) * div) - c2
        return np.array([r1, r2])

    for start in ((1.0, 0.5), (0.5, 0.1), (2.0, 0.9), (0.1, 0.01), (5.0, 0.5), (0.2, 0.5)):
        x = _newton(obj, np.array(start), iterations, accuracy * max(1.0, c1))
        if x is not None:
            break
    else:
        return math.nan
    val = float(k * x[1] ** x[0])
    return val if math.isfinite(val) and 0 <= val <= population else math.nan


def _newton(fun: Any, x: np.ndarray, iterations: int, tol: float) -> np.ndarray | None:
    """2-D Newton-Raphson with a forward-difference Jacobian; None when it diverges."""
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            fx = fun(x)
            if not np.all(np.isfinite(fx)):
                return None
            if np.all(np.abs(fx) < tol):
                return x
            jac = np.empty((2, 2))
            for i in range(2):
                h = 1e-7 * max(1.0, abs(x[i]))
                xp = x.copy()
                xp[i] += h
                jac[:, i] = (fun(xp) - fx) / h
            try:
                step = np.linalg.solve(jac, fx)
            except np.linalg.LinAlgError:
                return None
            x = x - step
            if not np.all(np.isfinite(x)) or x[0] <= 0:
                return None
            x[1] = min(max(x[1], 1e-12), 1 - 1e-12)
    return None


#: Largest population the uniqueness estimators accept (10^12: far above any real population).
_MAX_POPULATION = 1e12


def population_uniqueness(
    sizes: np.ndarray, *, population_size: float | None = None, sampling_fraction: float | None = None
) -> PopulationUniqueness:
    n = float(sizes.sum())
    given = "population_size" if population_size is not None else "sampling_fraction"
    if population_size is None:
        if sampling_fraction is None or not 0 < float(sampling_fraction) <= 1:
            raise InvalidInputError("sampling_fraction must be in (0, 1]", field="sampling_fraction")
        population_size = n / float(sampling_fraction)
    if population_size < n:
        raise InvalidInputError("population_size is smaller than the data", field="population_size")
    if not math.isfinite(population_size) or population_size > _MAX_POPULATION:
        # the estimators' log-gamma terms overflow long before 1e308; no population is this big
        raise InvalidInputError(
            f"the population size must be at most {_MAX_POPULATION:.0e} records", field=given
        )
    pop = float(population_size)
    frac = n / pop
    z = zayatz(sizes, pop)
    p = pitman(sizes, pop)
    s = snb(sizes, pop)

    def ok(v: float) -> bool:
        return not math.isnan(v) and v != 0.0

    c1 = int((sizes == 1).sum())
    model: str | None
    if c1 == 0:
        dankar, model = 0.0, "none"
    elif frac <= 0.1:
        dankar, model = (p, "pitman") if ok(p) else (z, "zayatz")
    elif ok(s):
        dankar, model = (z, "zayatz") if z < s else (s, "snb")
    else:
        dankar, model = z, "zayatz"

    def frac_of(v: float) -> float | None:
        return None if math.isnan(v) else float(v) / pop

    return PopulationUniqueness(
        population_size=pop,
        sampling_fraction=frac,
        zayatz=frac_of(z),
        pitman=frac_of(p),
        snb=frac_of(s),
        dankar=frac_of(dankar) if dankar is not None else None,
        dankar_model=model,
    )
