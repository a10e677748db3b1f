"""Calibrated OpenDP releases: every noisy value Veil returns is drawn here.

OpenDP samples Laplace and Gaussian noise exactly on the floating-point (or integer)
lattice, so the released values do not leak through the low-order bits the way
``numpy.random.laplace`` does (Mironov 2012). Sensitivities come from OpenDP's
stability maps (the float sum's map includes the rounding slack), and each noise scale
is found with :func:`opendp.prelude.binary_search_param` so that OpenDP's own privacy
map certifies the requested ``epsilon`` (and ``delta``). Calibrations are cached: the
same query shape costs one search per process.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

import numpy as np
import opendp.prelude as dp

from veil.dp.types import NoiseType, PrivacyEvent
from veil.errors import InvalidInputError

dp.enable_features("contrib")

P = ParamSpec("P")
R = TypeVar("R")


def _calibration_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """OpenDP refuses scales it cannot represent (epsilon tiny for huge bounds): a 400, not a 500."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except dp.OpenDPException:
            raise InvalidInputError(
                "cannot calibrate the noise for these parameters (epsilon too small or too large "
                "for the bounds or sensitivity)",
                field="epsilon",
            ) from None

    return wrapper

_FLOAT_DOMAIN = dp.atom_domain(T=float, nan=False)
_INT_DOMAIN = dp.atom_domain(T=int)


def _laplace(domain: Any, metric: Any, scale: float) -> Any:
    return dp.m.make_laplace(domain, metric, scale=scale)


def _gaussian_approx(domain: Any, metric: Any, scale: float, delta: float) -> Any:
    zcdp = dp.m.make_gaussian(domain, metric, scale=scale)
    return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(zcdp), delta)


def _spaces(kind: str) -> tuple[Any, Any]:
    if kind == "float":
        return _FLOAT_DOMAIN, dp.absolute_distance(T=float)
    if kind == "int":
        return _INT_DOMAIN, dp.absolute_distance(T=int)
    if kind == "int_l1":
        return dp.vector_domain(_INT_DOMAIN), dp.l1_distance(T=int)
    if kind == "int_l2":
        return dp.vector_domain(_INT_DOMAIN), dp.l2_distance(T=int)
    raise ValueError(kind)


@_calibration_errors
@lru_cache(maxsize=4096)
def calibrated(
    kind: str, noise: str, sensitivity: float, epsilon: float, delta: float
) -> tuple[Any, PrivacyEvent, float]:
    """A measurement on ``kind`` values whose privacy map at ``sensitivity`` is within budget.

    ``kind`` is ``float``/``int`` (a scalar) or ``int_l1``/``int_l2`` (an integer vector).
    """
    if kind in ("int_l1", "int_l2"):
        kind = "int_l2" if noise == NoiseType.GAUSSIAN else "int_l1"
    domain, metric = _spaces(kind)
    d_in: float | int = math.ceil(sensitivity) if kind.startswith("int") else float(sensitivity)
    if noise == NoiseType.GAUSSIAN:
        scale = dp.binary_search_param(
            lambda s: _gaussian_approx(domain, metric, s, delta), d_in=d_in, d_out=(epsilon, delta)
        )
        meas = _gaussian_approx(domain, metric, scale, delta)
        eps, dlt = meas.map(d_in)
        rho = float(dp.m.make_gaussian(domain, metric, scale=scale).map(d_in))
        return meas, PrivacyEvent("gaussian", float(eps), float(dlt), rho=rho), float(scale)
    scale = dp.binary_search_param(lambda s: _laplace(domain, metric, s), d_in=d_in, d_out=epsilon)
    meas = _laplace(domain, metric, scale)
    return meas, PrivacyEvent("laplace", float(meas.map(d_in))), float(scale)


def noise_scale(kind: str, noise: str, sensitivity: float, epsilon: float, delta: float) -> float:
    """Standard deviation of the noise the calibrated measurement adds."""
    scale = calibrated(kind, noise, sensitivity, epsilon, delta)[2]
    return scale if noise == NoiseType.GAUSSIAN else scale * math.sqrt(2.0)


@_calibration_errors
def release_float(value: float, sensitivity: float, epsilon: float, delta: float, noise: str) -> tuple[float, PrivacyEvent]:
    meas, event, _ = calibrated("float", noise, float(sensitivity), epsilon, delta)
    return float(meas(float(value))), event


@_calibration_errors
def release_int(value: int, sensitivity: int, epsilon: float, delta: float, noise: str) -> tuple[int, PrivacyEvent]:
    meas, event, _ = calibrated("int", noise, float(sensitivity), epsilon, delta)
    return int(meas(int(value))), event


@_calibration_errors
def release_int_vector(
    values: np.ndarray, sensitivity: float, epsilon: float, delta: float, noise: str
) -> tuple[list[int], PrivacyEvent]:
    meas, event, _ = calibrated("int_l1", noise, float(sensitivity), epsilon, delta)
    return [int(v) for v in meas(np.ascontiguousarray(values, dtype=np.int32))], event


@lru_cache(maxsize=256)
def _bounded_sum(lower: float, upper: float) -> Any:
    space = dp.vector_domain(_FLOAT_DOMAIN), dp.symmetric_distance()
    return space >> dp.t.then_clamp((lower, upper)) >> dp.t.then_sum()


@lru_cache(maxsize=1024)
def sum_sensitivity(lower: float, upper: float, contributions: int = 1) -> float:
    """OpenDP's map of ``clamp >> sum`` at ``contributions`` added or removed rows."""
    return float(_bounded_sum(float(lower), float(upper)).map(int(contributions)))


@lru_cache(maxsize=64)
def count_sensitivity(contributions: int = 1) -> int:
    """OpenDP's map of ``make_count`` at ``contributions`` added or removed rows."""
    count = dp.t.make_count(dp.vector_domain(_FLOAT_DOMAIN), dp.symmetric_distance())
    return int(count.map(int(contributions)))


@_calibration_errors
def clamped_sum(values: np.ndarray, lower: float, upper: float, contributions: int = 1) -> tuple[float, float]:
    """OpenDP's clamped float sum of ``values`` and its sensitivity when a unit changes ``contributions`` rows."""
    trans = _bounded_sum(float(lower), float(upper))
    array = np.ascontiguousarray(values, dtype=np.float64)
    if not array.flags.writeable:  # pandas' copy-on-write views are read-only; OpenDP needs ctypes access
        array = array.copy()
    return float(trans(array)), sum_sensitivity(lower, upper, contributions)


@lru_cache(maxsize=256)
def _gumbel_max(scale: float, monotonic: bool) -> Any:
    domain = dp.vector_domain(_FLOAT_DOMAIN)
    metric = dp.linf_distance(T=float, monotonic=monotonic)
    return dp.m.make_noisy_max(domain, metric, dp.zero_concentrated_divergence(), scale=scale)


@_calibration_errors
def exponential_select(
    scores: np.ndarray, sensitivity: float, epsilon: float, *, monotonic: bool = False
) -> tuple[int, PrivacyEvent]:
    """Exponential mechanism: index ``i`` with probability proportional to ``exp(eps*u_i/(2*sens))``.

    Implemented as report-noisy-max with Gumbel noise (OpenDP ``make_noisy_max`` under
    zCDP), which has exactly the exponential mechanism's output distribution. OpenDP
    certifies ``rho``; the pure-DP guarantee is ``epsilon = sqrt(8 * rho)`` (McSherry &
    Talwar; Cesar & Rogers 2021). With a monotonic utility (counts) the factor 2 drops.
    """
    scale = (1.0 if monotonic else 2.0) * sensitivity / epsilon
    meas = _gumbel_max(scale, monotonic)
    rho = float(meas.map(float(sensitivity)))
    index = int(meas(np.ascontiguousarray(scores, dtype=np.float64)))
    return index, PrivacyEvent("exponential", math.sqrt(8.0 * rho), 0.0, rho=rho)


@lru_cache(maxsize=1024)
def _threshold_release(
    epsilon: float, delta: float, min_count: int, d_in: tuple[int, int, int]
) -> tuple[Any, int, PrivacyEvent]:
    """``d_in`` is the (groups, total rows, rows per group) one unit can change."""
    space = dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance()
    counts = space >> dp.t.then_count_by(TV=int)

    def chain(scale: float, threshold: int) -> Any:
        return dp.m.make_laplace_threshold(counts.output_domain, counts.output_metric, scale=scale,
                                           threshold=threshold)

    # The map's epsilon depends on the scale only and its delta on the threshold, so each
    # is searched on its own (OpenDP's search cannot order (epsilon, delta) pairs).
    probe = 1 << 30
    lo, hi = 1e-9, 1e9
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if chain(mid, probe).map(d_in)[0] <= epsilon:
            hi = mid
        else:
            lo = mid
        if hi / lo < 1 + 1e-12:
            break
    scale = hi
    t_lo, t_hi = 1, probe
    while t_lo < t_hi:
        t_mid = (t_lo + t_hi) // 2
        if chain(scale, t_mid).map(d_in)[1] <= delta:
            t_hi = t_mid
        else:
            t_lo = t_mid + 1
    threshold = max(t_lo, int(min_count))
    meas = counts >> chain(scale, threshold)
    eps, dlt = chain(scale, threshold).map(d_in)
    return meas, threshold, PrivacyEvent("threshold", float(eps), float(dlt))


def threshold_event(epsilon: float, delta: float, min_count: int, d_in: tuple[int, int, int]) -> PrivacyEvent:
    return _threshold_release(epsilon, delta, int(min_count), d_in)[2]


@_calibration_errors
def threshold_key_counts(
    keys: list[str], epsilon: float, delta: float, min_count: int, d_in: tuple[int, int, int] = (1, 1, 1)
) -> tuple[dict[str, int], int, PrivacyEvent]:
    """Noisy counts of the keys whose noisy count clears a DP threshold (Rogers 2023).

    A key held by a single unit is released with probability at most ``delta``; the
    threshold is the larger of that and ``min_count``.
    """
    meas, threshold, event = _threshold_release(epsilon, delta, int(min_count), d_in)
    released = meas(keys)
    return {str(k): int(v) for k, v in released.items()}, threshold, event
