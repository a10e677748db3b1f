"""How much epsilon each of ``num_queries`` queries may use within a total budget.

* basic: ``epsilon_budget / k`` (deltas add up: ``k * delta_per_query <= delta_budget``).
* advanced (Dwork, Rothblum & Vadhan 2010): the largest ``e`` with
  ``e * sqrt(2k ln(1/d')) + k e (exp(e) - 1) <= epsilon_budget`` where
  ``d' = delta_budget - k * delta_per_query`` must be positive.
* rdp / pld: the largest per-query ``e`` such that ``k`` mechanisms, each calibrated to
  ``e`` (Laplace with scale ``1/e`` when ``delta_per_query == 0``; otherwise the analytic
  Gaussian for ``(e, delta_per_query)``), compose to at most ``epsilon_budget`` at
  ``delta_budget`` under Google's RDP or privacy-loss-distribution accountant.

Each per-query epsilon is found by bisection (the composed epsilon grows with ``e``).
The recommendation is the method allowing the largest per-query epsilon (least noise);
``savings_pct`` is the share of the budget it saves against basic composition for the
same per-query epsilon: ``100 * (1 - basic / best)``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

from veil.dp.validation import check_delta, check_epsilon, check_positive_int
from veil.errors import InvalidInputError

MAX_QUERIES = 100_000
_ITERATIONS = 40


def _bisect(composed: Callable[[float], float], budget: float, lo: float, hi: float) -> float:
    """Largest ``e`` in ``[lo, hi]`` with ``composed(e) <= budget`` (``composed(lo)`` must fit)."""
    if composed(hi) <= budget:
        return hi
    for _ in range(_ITERATIONS):
        mid = (lo + hi) / 2.0
        if composed(mid) <= budget:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-4 * hi:
            break
    return lo


def _advanced(eps_budget: float, k: int, delta_slack: float) -> float:
    log_term = math.sqrt(2.0 * k * math.log(1.0 / delta_slack))

    def total(e: float) -> float:
        return e * log_term + k * e * math.expm1(e)

    return _bisect(total, eps_budget, 0.0, eps_budget)


def _event(e: float, delta_per_query: float) -> Any:
    import dp_accounting

    if delta_per_query > 0:
        return dp_accounting.GaussianDpEvent(dp_accounting.get_sigma_gaussian(e, delta_per_query))
    return dp_accounting.LaplaceDpEvent(1.0 / e)


def _accountant_epsilon(kind: str, e: float, k: int, delta_per_query: float, delta_budget: float) -> float:
    from dp_accounting import pld, rdp

    accountant: Any
    if kind == "rdp":
        accountant = rdp.RdpAccountant()
    else:
        accountant = pld.PLDAccountant(value_discretization_interval=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        accountant.compose(_event(e, delta_per_query), k)
        return float(accountant.get_epsilon(delta_budget))


def _entry(per_query: float | None, k: int, total_delta: float | None, note: str | None = None) -> dict[str, Any]:
    return {
        "per_query_epsilon": per_query,
        "total_epsilon_basic_equivalent": None if per_query is None else per_query * k,
        "total_delta": total_delta,
        "available": per_query is not None,
        "note": note,
    }


def advise_composition(
    epsilon_budget: float, num_queries: int, delta_budget: float = 0.0, delta_per_query: float = 0.0
) -> dict[str, Any]:
    eps = check_epsilon(epsilon_budget, "epsilon_budget")
    k = check_positive_int(num_queries, "num_queries", maximum=MAX_QUERIES)
    delta = check_delta(delta_budget, "delta_budget")
    dq = check_delta(delta_per_query, "delta_per_query")
    if k * dq > delta:
        raise InvalidInputError(
            "num_queries * delta_per_query exceeds delta_budget", field="delta_per_query"
        )
    basic_e = eps / k
    methods: dict[str, dict[str, Any]] = {"basic": _entry(basic_e, k, k * dq)}
    slack = delta - k * dq
    if slack > 0:
        methods["advanced"] = _entry(_advanced(eps, k, slack), k, delta)
    else:
        methods["advanced"] = _entry(None, k, None, "needs delta_budget > num_queries * delta_per_query")
    for kind in ("rdp", "pld"):
        if delta <= 0:
            methods[kind] = _entry(None, k, None, "needs delta_budget > 0")
            continue

        def composed(e: float, kind: str = kind) -> float:
            return _accountant_epsilon(kind, e, k, dq, delta)

        # The per-query epsilon can exceed basic's but never the whole budget; PLD is at
        # least as tight as RDP, so RDP's answer is a valid lower end for PLD's search.
        hi = eps if dq == 0 else min(eps, 50.0)
        lo = basic_e
        rdp_e = methods.get("rdp", {}).get("per_query_epsilon")
        if kind == "pld" and rdp_e is not None and composed(rdp_e) <= eps:
            lo = rdp_e
        best = _bisect(composed, eps, lo, hi) if composed(lo) <= eps else None
        methods[kind] = _entry(best, k, delta)
    for name in ("advanced", "rdp", "pld"):
        entry = methods[name]
        if entry["per_query_epsilon"] is not None and entry["per_query_epsilon"] < basic_e:
            entry["note"] = "tighter than basic only for many queries; use basic here"
    best_name = max(
        (n for n in methods if methods[n]["per_query_epsilon"] is not None),
        key=lambda n: (methods[n]["per_query_epsilon"], n == "basic"),
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
