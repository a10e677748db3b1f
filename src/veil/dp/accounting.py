"""Composition of :class:`~veil.dp.types.PrivacyEvent` lists under basic, RDP or PLD accounting.

Each event carries what OpenDP's privacy map certified for the measurement that ran:
a pure ``epsilon`` (Laplace on integers or floats, the exponential mechanism, the
Laplace part of a key threshold) or ``rho``-zCDP (Gaussian). Accounting never assumes
more than that:

* **pure epsilon** events are composed through the privacy curve of the *worst*
  ``epsilon``-DP mechanism, randomized response with ``p = e^eps / (1 + e^eps)``: its
  privacy loss is ``+-epsilon``. That is exactly the privacy loss of the discrete
  Laplace mechanism at sensitivity 1 (the noise Veil adds to counts, histograms, group
  sizes and key thresholds) and an upper bound for every other ``epsilon``-DP release,
  including OpenDP's float Laplace (itself a discrete Laplace on a fine lattice). The
  continuous-Laplace curve would under-count these releases.
* **Gaussian** events are composed by their ``rho`` (RDP curve ``alpha * rho``).
* a **threshold** event's own ``delta`` (the chance a key held by one unit appears) is
  added outside RDP; under PLD the event is the tight ``(epsilon, delta)`` curve.

``basic`` adds epsilons and deltas. ``rdp`` sums the Rényi curves over dp-accounting's
orders and converts with ``dp_accounting.rdp.compute_epsilon``. ``pld`` composes
dp-accounting privacy-loss distributions (pessimistic discretisation, so the reported
epsilon is an upper bound); zCDP events are converted on their own and the two parts
are joined by basic composition over the best split of ``delta``. Every guarantee holds
at once, so the smallest epsilon whose delta fits is reported.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from veil.dp.types import Composition, PrivacyEvent

_ORDERS = np.asarray(
    [1.05, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0, 2.25, 2.5, 2.75, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0,
     10.0, 12.0, 14.0, 16.0, 20.0, 24.0, 28.0, 32.0, 40.0, 48.0, 56.0, 64.0, 80.0, 96.0, 128.0, 192.0,
     256.0, 384.0, 512.0, 768.0, 1024.0, 2048.0, 4096.0]
)
PLD_INTERVAL = 1e-4
_MIN_STEPS = 32
_PLD_SPLITS = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98)


def basic(events: Iterable[PrivacyEvent]) -> tuple[float, float]:
    eps = 0.0
    delta = 0.0
    for e in events:
        eps += e.epsilon
        delta += e.delta
    return eps, delta


# ---- Rényi curves ------------------------------------------------------------------------------


def pure_rdp(epsilon: float, orders: np.ndarray = _ORDERS) -> np.ndarray:
    """Rényi divergence of randomized response at ``epsilon``: the tight curve of any epsilon-DP release."""
    if epsilon <= 0:
        return np.zeros_like(orders)
    log_p = -math.log1p(math.exp(-epsilon))  # log(e^eps / (1 + e^eps))
    log_q = -math.log1p(math.exp(epsilon))
    a = orders
    with np.errstate(over="ignore"):
        mix = np.logaddexp(a * log_p + (1 - a) * log_q, a * log_q + (1 - a) * log_p)
    return np.minimum(mix / (a - 1), epsilon)


def _event_rdp(event: PrivacyEvent) -> np.ndarray:
    if event.kind == "gaussian":
        assert event.rho is not None
        return _ORDERS * event.rho
    curve = pure_rdp(event.epsilon)
    if event.rho is not None:  # the exponential mechanism is also rho-zCDP: both curves hold
        curve = np.minimum(curve, _ORDERS * event.rho)
    return curve


def rdp_to_epsilon(curve: np.ndarray, delta: float) -> float:
    from dp_accounting.rdp import rdp_privacy_accountant as rdp_lib

    eps, _ = rdp_lib.compute_epsilon(list(_ORDERS), list(curve), delta)
    return float(eps)


def zcdp_epsilon(rho: float, delta: float) -> float:
    """Epsilon at ``delta`` of a ``rho``-zCDP total (through its RDP curve)."""
    if rho <= 0:
        return 0.0
    return rdp_to_epsilon(_ORDERS * rho, delta)


Grouped = list[tuple[PrivacyEvent, int]]


def grouped(events: Iterable[PrivacyEvent]) -> Grouped:
    """Identical releases with their multiplicity (composition cost grows with distinct events only)."""
    counts = Counter((e.kind, e.epsilon, e.delta, e.rho) for e in events)
    return [(PrivacyEvent(kind, eps, dlt, rho), n) for (kind, eps, dlt, rho), n in counts.items()]


def _basic_grouped(groups: Grouped) -> tuple[float, float]:
    return sum(e.epsilon * n for e, n in groups), sum(e.delta * n for e, n in groups)


def rdp_grouped(groups: Grouped, delta_budget: float) -> tuple[float, float]:
    if not groups:
        return 0.0, 0.0
    basic_eps, basic_delta = _basic_grouped(groups)
    extra_delta = sum(e.delta * n for e, n in groups if e.kind == "threshold")
    conversion_delta = delta_budget - extra_delta
    if conversion_delta <= 0:
        return basic_eps, basic_delta
    curve = np.zeros_like(_ORDERS)
    for event, count in groups:
        curve += count * _event_rdp(event)
    eps = rdp_to_epsilon(curve, conversion_delta)
    if not math.isfinite(eps) or (basic_eps <= eps and basic_delta <= delta_budget):
        return basic_eps, basic_delta
    return eps, delta_budget


def rdp(events: list[PrivacyEvent], delta_budget: float) -> tuple[float, float]:
    """``(epsilon, delta)`` of ``events`` under RDP, spending at most ``delta_budget`` in total."""
    return rdp_grouped(grouped(events), delta_budget)


# ---- privacy-loss distributions ------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _pld_of(epsilon: float, delta: float, count: int, interval: float) -> object:
    from dp_accounting.pld import common
    from dp_accounting.pld import privacy_loss_distribution as pld_lib

    params = common.DifferentialPrivacyParameters(epsilon, delta)
    single = pld_lib.from_privacy_parameters(params, value_discretization_interval=interval)
    return single.self_compose(count) if count > 1 else single


def _interval(events: Sequence[PrivacyEvent]) -> float:
    """Discretisation step: at least 32 steps per the smallest loss, which is then exact on the grid.

    Pessimistic discretisation rounds every loss up to the grid; a step of the order of
    epsilon itself would overstate small-epsilon releases by up to a step each.
    """
    smallest = min(e.epsilon for e in events)
    return smallest / max(_MIN_STEPS, math.ceil(smallest / PLD_INTERVAL))


def _pld_part(groups: Grouped) -> object | None:
    if not groups:
        return None
    interval = _interval([e for e, _ in groups])
    composed = None
    for event, count in sorted(groups, key=lambda g: (g[0].epsilon, g[0].delta, g[1])):
        part = _pld_of(event.epsilon, event.delta, count, interval)
        composed = part if composed is None else composed.compose(part)  # type: ignore[attr-defined]
    return composed


def pld_grouped(groups: Grouped, delta_budget: float) -> tuple[float, float]:
    if not groups:
        return 0.0, 0.0
    basic_eps, basic_delta = _basic_grouped(groups)
    if delta_budget <= 0:
        return basic_eps, basic_delta
    pure = [(e, n) for e, n in groups if e.kind != "gaussian"]
    rho = sum(float(e.rho or 0.0) * n for e, n in groups if e.kind == "gaussian")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dist = _pld_part(pure)
        if dist is None:
            eps = zcdp_epsilon(rho, delta_budget)
        elif rho == 0:
            eps = float(dist.get_epsilon_for_delta(delta_budget))  # type: ignore[attr-defined]
        else:
            eps = min(
                float(dist.get_epsilon_for_delta(s * delta_budget))  # type: ignore[attr-defined]
                + zcdp_epsilon(rho, (1 - s) * delta_budget)
                for s in _PLD_SPLITS
            )
    if not math.isfinite(eps) or (basic_eps <= eps and basic_delta <= delta_budget):
        return basic_eps, basic_delta
    return eps, delta_budget


def pld(events: list[PrivacyEvent], delta_budget: float) -> tuple[float, float]:
    """``(epsilon, delta)`` of ``events`` under PLD accounting at ``delta_budget``."""
    return pld_grouped(grouped(events), delta_budget)


def compose_grouped(groups: Grouped, composition: Composition | str, delta_budget: float) -> tuple[float, float]:
    rule = Composition(composition)
    if rule == Composition.RDP:
        return rdp_grouped(groups, delta_budget)
    if rule == Composition.PLD:
        return pld_grouped(groups, delta_budget)
    return _basic_grouped(groups)


def compose(events: list[PrivacyEvent], composition: Composition | str, delta_budget: float) -> tuple[float, float]:
    if Composition(composition) == Composition.BASIC:
        return basic(events)
    return compose_grouped(grouped(events), composition, delta_budget)
