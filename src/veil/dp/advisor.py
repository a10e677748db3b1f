"""How much epsilon each of ``num_queries`` queries may use within a total budget.

The advice is what a budget *enforces*: ``rdp`` and ``pld`` run the very accounting a
:class:`~veil.dp.budget.PrivacyBudget` of that composition runs (:mod:`veil.dp.accounting`),
on ``num_queries`` releases exactly like Veil's: a Laplace release (pure epsilon, the
discrete-Laplace / randomized-response curve) when ``delta_per_query == 0``, otherwise
OpenDP's Gaussian calibrated to ``(e, delta_per_query)`` and charged by its ``rho``.

* basic: ``epsilon_budget / k`` (deltas add up: ``k * delta_per_query <= delta_budget``).
* advanced (Dwork, Rothblum & Vadhan 2010), shown for reference only (``enforced`` is
  false: no budget composes that way, so it is never recommended): the largest ``e``
  with ``e * sqrt(2k ln(1/d')) + k e (exp(e) - 1) <= epsilon_budget``,
  ``d' = delta_budget - k * delta_per_query``.
* rdp / pld: the largest per-query ``e`` that a budget of that composition accepts
  ``k`` times. For Laplace under PLD the search runs on the exact composition of ``k``
  randomized-response losses (a binomial sum, milliseconds even for 100,000 queries)
  and the answer is then checked, and if needed nudged down, with the budget's own
  dp-accounting PLD; Gaussian releases compose by ``k * rho`` in both.

The recommendation is the enforced method allowing the largest per-query epsilon;
``savings_pct`` is ``100 * (1 - basic / best)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import opendp.prelude as dp
from scipy.stats import binom

from veil.dp import accounting
from veil.dp.types import PrivacyEvent
from veil.dp.validation import check_delta, check_epsilon, check_positive_int
from veil.errors import InvalidInputError

MAX_QUERIES = 100_000
_ITERATIONS = 60
_SLACK = 1e-9  # the budget's own relative tolerance


def _bisect(fits: Callable[[float], bool], lo: float, hi: float) -> float:
    """Largest ``e`` in ``[lo, hi]`` with ``fits(e)`` (``fits(lo)`` must hold)."""
    if fits(hi):
        return hi
    for _ in range(_ITERATIONS):
        mid = (lo + hi) / 2.0
        if fits(mid):
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-7 * hi:
            break
    return lo


def _advanced(eps_budget: float, k: int, delta_slack: float) -> float:
    log_term = math.sqrt(2.0 * k * math.log(1.0 / delta_slack))
    return _bisect(lambda e: e * log_term + k * e * math.expm1(e) <= eps_budget, 0.0, eps_budget)


def _exact_pure_delta(e: float, k: int, eps_total: float) -> float:
    """Exact delta at ``eps_total`` of ``k`` composed randomized responses at ``e`` (a binomial sum)."""
    j = np.arange(k + 1)
    loss = (2 * j - k) * e
    over = loss > eps_total
    if not over.any():
        return 0.0
    p = 1.0 / (1.0 + math.exp(-e))
    log_pmf = binom.logpmf(j[over], k, p)
    return float(np.sum(np.exp(log_pmf) * -np.expm1(eps_total - loss[over])))


def _gaussian_epsilon(rho: float, delta: float) -> float:
    """Epsilon OpenDP certifies at ``delta`` for a Gaussian release that is ``rho``-zCDP."""
    scale = 1.0 / math.sqrt(2.0 * rho)
    gauss = dp.m.make_gaussian(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=scale)
    meas = dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(gauss), delta)
    return float(meas.map(1)[0])


def _fits(event: PrivacyEvent, k: int, kind: str, eps_budget: float, delta_budget: float) -> bool:
    """Whether a budget of this composition accepts ``k`` such releases (the budget's own test)."""
    eps, delta = accounting.compose_grouped([(event, k)], kind, delta_budget)
    return eps <= eps_budget * (1 + _SLACK) and delta <= delta_budget * (1 + _SLACK) + 1e-18


def _pure(kind: str, eps_budget: float, k: int, delta_budget: float) -> float:
    basic_e = eps_budget / k

    def fits(e: float) -> bool:
        return _fits(PrivacyEvent("laplace", e), k, kind, eps_budget, delta_budget)

    if kind == "rdp":
        return _bisect(fits, basic_e, eps_budget)
    exact = _bisect(lambda e: _exact_pure_delta(e, k, eps_budget) <= delta_budget, basic_e, eps_budget)
    e = exact
    step = 1e-7
    while e > basic_e and not fits(e):
        e = max(basic_e, exact * (1 - step))
        step *= 4
    return e


def _gaussian(eps_budget: float, k: int, delta_budget: float, dq: float) -> float | None:
    lo, hi = 1e-12, 1e6
    if accounting.zcdp_epsilon(lo * k, delta_budget) > eps_budget:
        return None
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if accounting.zcdp_epsilon(mid * k, delta_budget) <= eps_budget:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1 + 1e-9:
            break
    try:
        return _gaussian_epsilon(lo, dq)
    except dp.OpenDPException:
        return None


def _entry(per_query: float | None, k: int, total_delta: float | None, note: str | None = None,
           *, enforced: bool = True) -> dict[str, Any]:
    return {
        "per_query_epsilon": per_query,
        "total_epsilon_basic_equivalent": None if per_query is None else per_query * k,
        "total_delta": total_delta,
        "available": per_query is not None,
        "enforced": enforced,
        "note": note,
    }


def advise_composition(
    epsilon_budget: float, num_queries: int, delta_budget: float = 0.0, delta_per_query: float = 0.0
) -> dict[str, Any]:
    eps = check_epsilon(epsilon_budget, "epsilon_budget")
    k = check_positive_int(num_queries, "num_queries", maximum=MAX_QUERIES)
    delta = check_delta(delta_budget, "delta_budget")
    dq = check_delta(delta_per_query, "delta_per_query")
    if k * dq > delta * (1 + _SLACK):
        raise InvalidInputError(
            "num_queries * delta_per_query exceeds delta_budget", field="delta_per_query"
        )
    basic_e = eps / k
    methods: dict[str, dict[str, Any]] = {"basic": _entry(basic_e, k, k * dq)}
    slack = delta - k * dq
    if slack > 0:
        methods["advanced"] = _entry(_advanced(eps, k, slack), k, delta,
                                     "not enforced by budgets; shown for reference", enforced=False)
    else:
        methods["advanced"] = _entry(None, k, None, "needs delta_budget > num_queries * delta_per_query",
                                     enforced=False)
    for kind in ("rdp", "pld"):
        if delta <= 0:
            methods[kind] = _entry(None, k, None, "needs delta_budget > 0")
            continue
        best = _pure(kind, eps, k, delta) if dq == 0 else _gaussian(eps, k, delta, dq)
        methods[kind] = _entry(best, k, delta)
    if dq > 0:
        for kind in ("rdp", "pld"):
            methods[kind]["note"] = "gaussian releases compose by rho: rdp and pld budgets agree"
    for name in ("rdp", "pld"):
        entry = methods[name]
        if entry["per_query_epsilon"] is not None and entry["per_query_epsilon"] < basic_e:
            entry["note"] = "tighter than basic only for many queries; use basic here"
    best_name = max(
        (n for n in methods if methods[n]["enforced"] and methods[n]["per_query_epsilon"] is not None),
        key=lambda n: (methods[n]["per_query_epsilon"], n == "basic", n == "pld"),
    )
    best_e = float(methods[best_name]["per_query_epsilon"])
    savings = 100.0 * (1.0 - basic_e / best_e) if best_e > 0 else 0.0
    return {
        "epsilon_budget": eps,
        "delta_budget": delta,
        "num_queries": k,
        "delta_per_query": dq,
        "noise": "gaussian" if dq > 0 else "laplace",
        **methods,
        "recommendation": best_name,
        "recommended_per_query_epsilon": best_e,
        "savings_pct": max(savings, 0.0),
    }
