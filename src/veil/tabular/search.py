"""Search of the generalization lattice for the optimal full-domain transformation.

Exact search (the default while the lattice has at most ``max_lattice_size`` nodes):
a best-first branch and bound in the spirit of ARX's Flash:

1. every node gets a closed-form lower bound of the target metric (Loss, Precision,
   Entropy, Height: the generalization-only value, which suppression can only raise);
   nodes are visited in increasing bound order, so the search stops at the first node
   whose bound exceeds the best value found;
2. Discernibility and AECS have no closed form: nodes are visited bottom-up and the
   class structure of an evaluated node bounds all its successors (merging classes
   only raises ``sum |E|^2`` and lowers the class count);
3. when the privacy model is monotonic (k-anonymity and distinct l-diversity, or any
   model without suppression), a node that fails tags all its predecessors as failing
   and a node that passes tags its successors as passing (predictive tagging), so most
   nodes are never grouped.

Ties are broken as ARX does (lower sum of levels), then by the lexicographically
smallest level vector. Above ``max_lattice_size`` nodes, or when ``time_limit`` runs
out before an optimum is proven, a greedy top-down heuristic (repeatedly take the
best feasible predecessor) returns a best-effort node and ``optimal`` is False.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from veil.errors import InvalidInputError
from veil.tabular.evaluation import Evaluator, NodeResult
from veil.tabular.metrics import MetricName, objective_key, rank_vector

_REL_TOL = 1e-12


@dataclass
class SearchResult:
    best: NodeResult
    optimal: bool
    nodes_total: int
    nodes_evaluated: int
    method: str
    elapsed: float


def _better(a: NodeResult, b: NodeResult | None, metric: str) -> bool:
    if b is None:
        return True
    va, vb = a.metrics[metric], b.metrics[metric]
    tol = _REL_TOL * max(1.0, abs(va), abs(vb))
    if va < vb - tol:
        return True
    if va > vb + tol:
        return False
    la, lb = sum(a.levels), sum(b.levels)
    if la != lb:
        return la < lb
    return a.levels < b.levels


def lattice_size(heights: np.ndarray) -> int:
    return int(np.prod(heights.astype(object) + 1))


def search(
    ev: Evaluator,
    metric: MetricName,
    *,
    aggregate: str | None = None,
    use_lattice_search: bool = True,
    max_lattice_size: int = 250_000,
    time_limit: float | None = None,
    progress: Callable[[float], None] | None = None,
) -> SearchResult:
    """The optimal transformation for ``metric`` (under ``aggregate`` for a multi-dimensional
    metric; ``None`` = the metric's default). ``rank`` runs :func:`_rank_search`."""
    if aggregate == "rank":
        return _rank_search(
            ev, metric, use_lattice_search=use_lattice_search, max_lattice_size=max_lattice_size,
            time_limit=time_limit, progress=progress,
        )
    return _search(
        ev, objective_key(metric, aggregate), use_lattice_search=use_lattice_search,
        max_lattice_size=max_lattice_size, time_limit=time_limit, progress=progress,
    )


def _rank_search(
    ev: Evaluator,
    metric: MetricName,
    *,
    use_lattice_search: bool,
    max_lattice_size: int,
    time_limit: float | None,
    progress: Callable[[float], None] | None,
) -> SearchResult:
    """ARX's RANK aggregate: lexicographic order of the per-attribute values sorted in
    descending order. Exact in two phases: (1) the usual search on the ``max`` aggregate
    gives ``M*``, the least worst-attribute value of a feasible node; the rank optimum has
    that maximum, hence a max-bound <= ``M*``; (2) every feasible node whose max-bound is at
    most ``M*`` is evaluated and the lexicographically smallest vector wins (ties: lower sum
    of levels, then the smaller level vector)."""
    start = time.perf_counter()
    kept: dict[str, Any] = {}
    first = _search(
        ev, objective_key(metric, "max"), use_lattice_search=use_lattice_search,
        max_lattice_size=max_lattice_size, time_limit=time_limit, progress=progress, keep=kept,
    )
    if not first.optimal:
        return first
    best_max = first.best.metrics[objective_key(metric, "max")]
    heights = ev.heights
    d = heights.shape[0]
    nodes = np.indices(tuple(int(h) + 1 for h in heights)).reshape(d, -1).T.astype(np.int64)
    per = ev.attribute_bounds(nodes, metric)
    assert per is not None
    tol = _REL_TOL * max(1.0, abs(best_max))
    cand = np.flatnonzero(per.max(axis=1) <= best_max + tol)
    # per-node bound vectors sorted descending; visited in lexicographic order, so the walk
    # stops at the first bound vector above the best vector found (v >= b componentwise
    # implies sorted(v) >= sorted(b) lexicographically)
    bvec = np.round(-np.sort(-per[cand], axis=1), 10)
    sub = nodes[cand]
    # keys, least significant first: level vector, sum of levels, then the bound vector
    order = np.lexsort((*tuple(sub[:, j] for j in range(d - 1, -1, -1)), sub.sum(axis=1),
                        *tuple(bvec[:, j] for j in range(d - 1, -1, -1))))
    exact = ev.max_outliers == 0  # nothing suppressed: every value equals its bound
    best_key: tuple[Any, ...] | None = None
    best_levels = first.best.levels
    # phase 1's tags (same enumeration order); monotonic models tag more as we go
    state = np.asarray(kept.get("state", np.zeros(nodes.shape[0], dtype=np.int8))).copy()
    for pos in order:
        if best_key is not None and tuple(float(v) for v in bvec[pos]) > best_key[0]:
            break
        idx = cand[pos]
        if state[idx] == -1:
            continue
        levels = tuple(int(x) for x in nodes[idx])
        if exact and state[idx] == 1:
            vec = [float(v) for v in bvec[pos]]  # nothing suppressed: the bounds are the values
        else:
            cl = ev.classes(levels)
            if round(float(cl.sizes[~cl.ok].sum())) > ev.max_outliers:
                if ev.monotonic:
                    state[(nodes <= nodes[idx]).all(axis=1)] = -1
                continue
            if ev.monotonic:
                state[(nodes >= nodes[idx]).all(axis=1) & (state == 0)] = 1
            vec = rank_vector(ev.attribute_values(levels, (~cl.ok)[cl.inv], metric))
        key = (tuple(round(v, 10) for v in vec), sum(levels), levels)
        if best_key is None or key < best_key:
            best_key, best_levels = key, levels
        if exact:
            break  # the first feasible node in (bound vector, level sum, levels) order wins
    best = ev.evaluate(best_levels, metrics=(metric,))
    return SearchResult(best, True, first.nodes_total, ev.evaluations, first.method, time.perf_counter() - start)


def _search(
    ev: Evaluator,
    metric: str,
    *,
    use_lattice_search: bool = True,
    max_lattice_size: int = 250_000,
    time_limit: float | None = None,
    progress: Callable[[float], None] | None = None,
    keep: dict[str, Any] | None = None,
) -> SearchResult:
    """The search; ``keep`` (a dict) receives the lattice's feasibility tags (``state``:
    1 feasible, -1 infeasible, 0 unknown, indexed like the lattice enumeration)."""
    start = time.perf_counter()
    heights = ev.heights
    total = lattice_size(heights)
    if not use_lattice_search or total > max_lattice_size:
        greedy = _greedy(ev, metric, progress)
        return SearchResult(greedy, False, total, ev.evaluations, "greedy", time.perf_counter() - start)
    d = heights.shape[0]
    nodes = np.indices(tuple(int(h) + 1 for h in heights)).reshape(d, -1).T.astype(np.int64)
    strides = np.ones(d, dtype=np.int64)
    for j in range(d - 2, -1, -1):
        strides[j] = strides[j + 1] * (heights[j + 1] + 1)
    level_sum = nodes.sum(axis=1)
    bounds = ev.lower_bounds(nodes, metric)
    dynamic = bounds is None
    if bounds is None:
        bounds = np.zeros(total)
    # state: 1 = known feasible, -1 = known infeasible, 0 = unknown
    state = np.zeros(total, dtype=np.int8)
    # necessary-condition state for non-monotonic models (k part, t-closeness transport mass):
    # -1 = the condition fails here and below, 1 = it holds here and above
    nc_state = np.zeros(total, dtype=np.int8)
    dyn = np.zeros(total)  # bounds learnt from evaluated predecessors (dynamic metrics)
    if dynamic:
        order = np.lexsort((*tuple(nodes[:, ::-1].T), level_sum))
    else:
        rounded = np.round(bounds, 12)
        order = np.lexsort((*tuple(nodes[:, ::-1].T), level_sum, rounded))
    best: NodeResult | None = None
    timed_out = False
    closed_exact = not dynamic and ev.max_outliers == 0
    # DM* and Height never decrease under generalization: with a monotonic privacy model a
    # node above a feasible node can neither beat it nor win the tie-break (higher level)
    skip_above_feasible = ev.monotonic and metric in ("discernibility", "height")
    results: dict[int, NodeResult] = {}

    def record(i: int, res: NodeResult) -> None:
        nonlocal best
        results[i] = res
        if res.feasible:
            state[i] = 1
            if ev.monotonic:
                state[(nodes >= nodes[i]).all(axis=1) & (state == 0)] = 1
            if _better(res, best, metric):
                best = res
        else:
            state[i] = -1
            if ev.monotonic:
                state[(nodes <= nodes[i]).all(axis=1)] = -1
        if not ev.monotonic:
            if res.doomed:
                below = (nodes <= nodes[i]).all(axis=1)
                state[below] = -1
                nc_state[below] = -1
            else:
                nc_state[(nodes >= nodes[i]).all(axis=1) & (nc_state == 0)] = 1

    def check_path(i: int, tags: np.ndarray, passes: Callable[[NodeResult], bool]) -> None:
        """Flash-style: walk up through untagged nodes, then binary-search the path for the
        lowest node passing a monotonic predicate (feasibility, or the necessary condition)."""
        path = [i]
        cur = i
        while True:
            own = nodes[cur]
            nxt = [cur + strides[j] for j in range(d) if own[j] < heights[j] and tags[cur + strides[j]] == 0]
            if not nxt:
                break
            cur = min(nxt, key=lambda x: (bounds[x], x))
            path.append(cur)
        lo, hi = 0, len(path) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            node_i = path[mid]
            if tags[node_i] != 0:
                if tags[node_i] == 1:
                    hi = mid - 1
                else:
                    lo = mid + 1
                continue
            res = results.get(node_i) or ev.evaluate(tuple(int(x) for x in nodes[node_i]), metrics=(metric,))
            record(node_i, res)
            if passes(res):
                hi = mid - 1
            else:
                lo = mid + 1

    for pos, idx in enumerate(order):
        if time_limit is not None and (pos & 31) == 0 and time.perf_counter() - start > time_limit:
            timed_out = True
            break
        if progress is not None and (pos & 255) == 0:
            progress(pos / total)
        lb = float(bounds[idx])
        if dynamic:
            own = nodes[idx]
            preds = [idx - strides[j] for j in range(d) if own[j] > 0]
            if preds:
                dyn[idx] = max(dyn[idx], float(dyn[preds].max()))
            lb = max(lb, float(dyn[idx]))
        if best is not None:
            bv = best.metrics[metric]
            tol = _REL_TOL * max(1.0, abs(bv), abs(lb))
            if lb > bv + tol:
                if dynamic:
                    continue
                break
            if abs(lb - bv) <= tol and level_sum[idx] > sum(best.levels):
                continue
        if state[idx] == -1:
            continue
        if state[idx] == 0 and ev.monotonic:
            check_path(idx, state, lambda r: r.feasible)
            if state[idx] == -1:
                continue
        if not ev.monotonic and nc_state[idx] == 0 and idx not in results:
            check_path(idx, nc_state, lambda r: not r.doomed)
            if state[idx] == -1:
                continue
        if idx in results:
            res = results[idx]
        elif skip_above_feasible and state[idx] == 1:
            continue
        elif closed_exact and state[idx] == 1:
            # nothing is suppressed: the metric equals its closed-form bound
            res = NodeResult(tuple(int(x) for x in nodes[idx]), True, 0, 0, 0, {metric: lb})
            if _better(res, best, metric):
                best = res
            continue
        else:
            res = ev.evaluate(tuple(int(x) for x in nodes[idx]), metrics=(metric,))
            record(idx, res)
        if dynamic:
            dyn[idx] = max(dyn[idx], res.dm_star if metric == "discernibility" else float(ev.n) / res.all_classes)
    if best is not None and best.n_classes == 0:
        best = ev.evaluate(best.levels, metrics=(metric,))
    if best is None:
        if timed_out:
            best = _greedy(ev, metric, progress)
            return SearchResult(best, False, total, ev.evaluations, "greedy", time.perf_counter() - start)
        raise InvalidInputError(
            "no generalization satisfies the privacy model within max_suppression",
            field="max_suppression",
        )
    if keep is not None:
        keep["state"] = state
    method = "lattice-timeout" if timed_out else "lattice"
    return SearchResult(best, not timed_out, total, ev.evaluations, method, time.perf_counter() - start)


def _greedy(ev: Evaluator, metric: str, progress: Callable[[float], None] | None = None) -> NodeResult:
    """Top-down: from the most general node, keep moving to the best feasible predecessor."""
    top = max(int(ev.heights.sum()), 1)
    current = ev.evaluate(tuple(int(h) for h in ev.heights), metrics=(metric,))
    if not current.feasible:
        raise InvalidInputError(
            "no generalization satisfies the privacy model within max_suppression",
            field="max_suppression",
        )
    while True:
        if progress is not None:
            progress(1.0 - sum(current.levels) / top)
        best: NodeResult | None = None
        for j in range(len(current.levels)):
            if current.levels[j] == 0:
                continue
            cand = list(current.levels)
            cand[j] -= 1
            res = ev.evaluate(tuple(cand), metrics=(metric,))
            if res.feasible and _better(res, best, metric):
                best = res
        if best is None:
            return current
        current = best
