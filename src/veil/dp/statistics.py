"""One private statistic over one array of values (the building blocks of a query).

Neighbouring datasets differ by one privacy unit, which after contribution bounding
(:mod:`veil.dp.units`) adds or removes at most ``contributions`` rows (1 when a row is
the unit). Sensitivities are OpenDP's stability maps at that distance: a count's is
``contributions``; a clamped float sum's is ``contributions`` times
``max(|lower|, |upper|)`` when the bounds have one sign, ``upper - lower`` when they
straddle zero, plus a little slack for floating-point rounding. Mean and variance do not
treat the row count as public: they release a noisy count and noisy sums of the values
centred on the middle of the bounds (so the count's noise barely moves the mean) and
divide (post-processing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from veil.dp import noise
from veil.dp.types import PrivacyEvent


@dataclass
class Release:
    value: Any
    events: list[PrivacyEvent] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def _label(event: PrivacyEvent, label: str) -> PrivacyEvent:
    return PrivacyEvent(event.kind, event.epsilon, event.delta, event.rho, label)


def private_count(n: int, epsilon: float, delta: float, noise_type: str, contributions: int = 1) -> Release:
    sens = noise.count_sensitivity(contributions)
    value, event = noise.release_int(int(n), sens, epsilon, delta, noise_type)
    std = noise.noise_scale("int", noise_type, float(sens), epsilon, delta)
    return Release(max(value, 0), [_label(event, "count")], {"noise_std": std})


def private_sum(
    values: np.ndarray, bounds: tuple[float, float], epsilon: float, delta: float, noise_type: str,
    contributions: int = 1,
) -> Release:
    lower, upper = bounds
    total, sensitivity = noise.clamped_sum(values, lower, upper, contributions)
    value, event = noise.release_float(total, sensitivity, epsilon, delta, noise_type)
    std = noise.noise_scale("float", noise_type, sensitivity, epsilon, delta)
    return Release(value, [_label(event, "sum")], {"sensitivity": sensitivity, "noise_std": std})


def private_mean(
    values: np.ndarray, bounds: tuple[float, float], epsilon: float, delta: float, noise_type: str,
    contributions: int = 1,
) -> Release:
    """``mid + noisy_sum(x - mid) / noisy_count``; half the budget each."""
    lower, upper = bounds
    mid, radius = (lower + upper) / 2.0, (upper - lower) / 2.0
    centred = values - mid
    total, sensitivity = noise.clamped_sum(centred, -radius, radius, contributions)
    count_sens = noise.count_sensitivity(contributions)
    half_eps, half_delta = epsilon / 2.0, delta / 2.0
    noisy_total, e_sum = noise.release_float(total, sensitivity, half_eps, half_delta, noise_type)
    noisy_n, e_count = noise.release_int(int(values.size), count_sens, half_eps, half_delta, noise_type)
    mean = mid + noisy_total / max(noisy_n, 1)
    mean = float(min(max(mean, lower), upper))
    details = {
        "noisy_count": max(noisy_n, 0),
        "sum_noise_std": noise.noise_scale("float", noise_type, sensitivity, half_eps, half_delta),
        "count_noise_std": noise.noise_scale("int", noise_type, float(count_sens), half_eps, half_delta),
    }
    return Release(mean, [_label(e_sum, "mean.sum"), _label(e_count, "mean.count")], details)


def private_variance(
    values: np.ndarray, bounds: tuple[float, float], epsilon: float, delta: float, noise_type: str,
    contributions: int = 1,
) -> Release:
    """Population variance from a noisy count and noisy centred first and second moments (a third each)."""
    lower, upper = bounds
    mid, radius = (lower + upper) / 2.0, (upper - lower) / 2.0
    centred = np.clip(values, lower, upper) - mid
    third_eps, third_delta = epsilon / 3.0, delta / 3.0
    s1, sens1 = noise.clamped_sum(centred, -radius, radius, contributions)
    s2, sens2 = noise.clamped_sum(centred * centred, 0.0, radius * radius, contributions)
    noisy_s1, e1 = noise.release_float(s1, sens1, third_eps, third_delta, noise_type)
    noisy_s2, e2 = noise.release_float(s2, sens2, third_eps, third_delta, noise_type)
    noisy_n, e0 = noise.release_int(
        int(values.size), noise.count_sensitivity(contributions), third_eps, third_delta, noise_type
    )
    n = max(noisy_n, 1)
    variance = noisy_s2 / n - (noisy_s1 / n) ** 2
    variance = float(min(max(variance, 0.0), radius * radius))
    events = [_label(e0, "variance.count"), _label(e1, "variance.sum"), _label(e2, "variance.sum_squares")]
    return Release(variance, events, {"noisy_count": max(noisy_n, 0)})


def histogram_edges(bins: int, value_range: tuple[float, float]) -> np.ndarray:
    return np.linspace(value_range[0], value_range[1], bins + 1)


def private_numeric_histogram(
    values: np.ndarray, bins: int, value_range: tuple[float, float], epsilon: float, delta: float, noise_type: str,
    contributions: int = 1,
) -> Release:
    """Counts over ``bins`` equal-width bins of the public ``value_range``; values outside go to the end bins."""
    lower, upper = value_range
    index = np.floor((values - lower) / (upper - lower) * bins)
    index = np.clip(index, 0, bins - 1).astype(np.int64)
    counts = np.bincount(index, minlength=bins)
    noisy, event = noise.release_int_vector(counts, contributions, epsilon, delta, noise_type)
    edges = [float(e) for e in histogram_edges(bins, value_range)]
    value = {"edges": edges, "counts": [max(c, 0) for c in noisy]}
    std = noise.noise_scale("int_l1", noise_type, float(contributions), epsilon, delta)
    return Release(value, [_label(event, "histogram")], {"noise_std": std})


def private_category_histogram(
    labels: pd.Series, categories: list[str], epsilon: float, delta: float, noise_type: str,
    contributions: int = 1,
) -> Release:
    """Counts of public ``categories``; ``labels`` holds the category each row matched (typed, NaN: none)."""
    counts = labels.dropna().value_counts().reindex(categories, fill_value=0).to_numpy(dtype=np.int64)
    noisy, event = noise.release_int_vector(counts, contributions, epsilon, delta, noise_type)
    value = {"categories": list(categories), "counts": [max(c, 0) for c in noisy]}
    std = noise.noise_scale("int_l1", noise_type, float(contributions), epsilon, delta)
    return Release(value, [_label(event, "histogram")], {"noise_std": std})


def private_open_histogram(
    labels: pd.Series, epsilon: float, delta: float, min_count: int, contributions: int = 1
) -> Release:
    """Counts of categories not known in advance: only those clearing a DP threshold are released."""
    keys = labels.dropna().astype(str).tolist()
    k = int(contributions)
    counts, threshold, event = noise.threshold_key_counts(keys, epsilon, delta, min_count, (k, k, k))
    ordered = sorted(counts)
    value = {"categories": ordered, "counts": [counts[k] for k in ordered]}
    return Release(value, [_label(event, "histogram.threshold")], {"threshold": threshold})


def private_selection(
    candidates: list[Any], scores: np.ndarray, sensitivity: float, epsilon: float, *, monotonic: bool
) -> Release:
    index, event = noise.exponential_select(scores, sensitivity, epsilon, monotonic=monotonic)
    return Release(candidates[index], [_label(event, "exponential")], {"index": index})
