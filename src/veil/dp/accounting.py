"""Composition of :class:`~veil.dp.types.PrivacyEvent` lists under basic or RDP accounting.

Basic composition adds epsilons and deltas. RDP composition (Google's ``dp_accounting``
``RdpAccountant``) maps each event to its Rényi curve: a Laplace release with privacy
loss ``epsilon`` is ``LaplaceDpEvent(1 / epsilon)``; Gaussian and exponential releases
are ``rho``-zCDP, i.e. ``ZCDpEvent(rho)``; a DP key threshold is a Laplace release plus
its own ``delta``, which is added outside the RDP conversion. The conversion to
``(epsilon, delta)`` uses the budget's remaining ``delta``. Both guarantees hold at
once, so the smaller epsilon is reported when its delta also fits.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

from veil.dp.types import Composition, PrivacyEvent


def basic(events: Iterable[PrivacyEvent]) -> tuple[float, float]:
    eps = 0.0
    delta = 0.0
    for e in events:
        eps += e.epsilon
        delta += e.delta
    return eps, delta


def _rdp_event(event: PrivacyEvent) -> object:
    import dp_accounting

    if event.kind in ("laplace", "threshold"):
        return dp_accounting.LaplaceDpEvent(1.0 / event.epsilon)
    if event.rho is not None:
        return dp_accounting.ZCDpEvent(event.rho)
    if event.kind == "exponential":
        return dp_accounting.ZCDpEvent(event.epsilon**2 / 8.0)
    # A generic pure-epsilon release is (epsilon^2 / 2)-zCDP (Bun & Steinke 2016).
    return dp_accounting.ZCDpEvent(event.epsilon**2 / 2.0)


def rdp(events: list[PrivacyEvent], delta_budget: float) -> tuple[float, float]:
    """``(epsilon, delta)`` of ``events`` under RDP, spending at most ``delta_budget`` in total."""
    if not events:
        return 0.0, 0.0
    from dp_accounting import rdp as rdp_lib

    extra_delta = sum(e.delta for e in events if e.kind == "threshold")
    conversion_delta = delta_budget - extra_delta
    basic_eps, basic_delta = basic(events)
    if conversion_delta <= 0:
        return basic_eps, basic_delta
    accountant = rdp_lib.RdpAccountant()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for event in events:
            accountant.compose(_rdp_event(event))  # type: ignore[arg-type]
        eps = float(accountant.get_epsilon(conversion_delta))
    if not math.isfinite(eps):
        return basic_eps, basic_delta
    if basic_eps <= eps and basic_delta <= delta_budget:
        return basic_eps, basic_delta
    return eps, delta_budget


def compose(events: list[PrivacyEvent], composition: Composition | str, delta_budget: float) -> tuple[float, float]:
    if Composition(composition) == Composition.RDP:
        return rdp(events, delta_budget)
    return basic(events)
