"""Statistical checks of the released noise.

OpenDP draws its noise from the operating system's CSPRNG, so runs cannot be seeded; the
data are seeded and each check repeats a release many times. Tolerances are at least
four standard errors of the estimator (false-failure probability below 1e-4 per check)
while a noise scale off by sqrt(2) or more (e.g. a wrong sensitivity or a forgotten
epsilon split) falls far outside them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from veil.dp import compute
from veil.dp import noise as dpnoise
from veil.dp.stream import TreeAggregator, levels_for

RUNS = 400
# Relative standard error of a sample std over RUNS draws: sqrt((kurtosis - 1) / (4 * RUNS)).
LAPLACE_TOL = 4 * math.sqrt(5 / (4 * RUNS))  # ~0.22
GAUSS_TOL = 4 * math.sqrt(2 / (4 * RUNS))  # ~0.14


def _discrete_laplace_std(scale: float) -> float:
    a = math.exp(-1.0 / scale)
    return math.sqrt(2 * a) / (1 - a)


@pytest.fixture(scope="module")
def symmetric_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    half = rng.uniform(0, 50, 500)
    # Mean exactly the midpoint of the bounds, so the count noise does not move the mean.
    return pd.DataFrame({"v": np.concatenate([50 - half, 50 + half])})


def _errors(fn, truth: float, runs: int = RUNS) -> np.ndarray:
    return np.array([fn() - truth for _ in range(runs)])


def test_mean_error_matches_laplace_scale(symmetric_frame: pd.DataFrame) -> None:
    n, eps, (lo, hi) = len(symmetric_frame), 1.0, (0.0, 100.0)
    truth = float(symmetric_frame["v"].mean())
    errors = _errors(
        lambda: compute(symmetric_frame, mechanism="mean", column="v", bounds=(lo, hi), epsilon=eps).private_value,
        truth,
    )
    # Centred sum at epsilon / 2. OpenDP's float-sum map charges hi - lo (not (hi - lo) / 2)
    # when the bounds straddle zero, so the Laplace scale is (hi - lo) / (eps / 2).
    expected = math.sqrt(2) * (hi - lo) / (eps / 2) / n
    assert abs(errors.std() / expected - 1) < LAPLACE_TOL
    assert abs(errors.mean()) < 5 * expected / math.sqrt(RUNS)


def test_sum_error_matches_laplace_scale(symmetric_frame: pd.DataFrame) -> None:
    eps, bounds = 0.5, (0.0, 100.0)
    truth = float(symmetric_frame["v"].sum())
    errors = _errors(
        lambda: compute(symmetric_frame, mechanism="sum", column="v", bounds=bounds, epsilon=eps).private_value,
        truth,
    )
    expected = math.sqrt(2) * 100.0 / eps
    assert abs(errors.std() / expected - 1) < LAPLACE_TOL
    assert abs(errors.mean()) < 5 * expected / math.sqrt(RUNS)


def test_sum_clamps_values_to_bounds() -> None:
    frame = pd.DataFrame({"v": [1000.0] * 200})
    values = [compute(frame, mechanism="sum", column="v", bounds=(0, 10), epsilon=5.0).private_value for _ in range(50)]
    assert abs(np.mean(values) - 2000.0) < 5 * math.sqrt(2) * 10 / 5.0


def test_count_error_matches_discrete_laplace() -> None:
    frame = pd.DataFrame({"v": np.arange(5000)})
    eps = 0.2
    errors = _errors(lambda: compute(frame, mechanism="count", epsilon=eps).private_value, 5000.0)
    expected = _discrete_laplace_std(1 / eps)
    assert abs(errors.std() / expected - 1) < LAPLACE_TOL
    assert np.all(errors == np.round(errors))  # integer counts


def test_gaussian_mean_uses_delta_and_calibrated_sigma(symmetric_frame: pd.DataFrame) -> None:
    import dp_accounting

    eps, delta, (lo, hi) = 1.0, 1e-6, (0.0, 100.0)
    n = len(symmetric_frame)
    truth = float(symmetric_frame["v"].mean())
    first = compute(symmetric_frame, mechanism="mean", column="v", bounds=(lo, hi), epsilon=eps,
                    delta=delta, noise_type="gaussian")
    assert first.delta_spent == pytest.approx(delta, rel=1e-6)
    assert first.epsilon_spent <= eps * (1 + 1e-9)
    sigma = first.details["sum_noise_std"]
    sens = hi - lo  # OpenDP's map for the centred sum (see test_mean_error_matches_laplace_scale)
    # Between the optimal (analytic) Gaussian and the classical bound for (eps/2, delta/2).
    assert dp_accounting.get_sigma_gaussian(eps / 2, delta / 2) * sens <= sigma
    assert sigma <= math.sqrt(2 * math.log(1.25 / (delta / 2))) * sens / (eps / 2) * 1.01
    errors = _errors(
        lambda: compute(symmetric_frame, mechanism="mean", column="v", bounds=(lo, hi), epsilon=eps,
                        delta=delta, noise_type="gaussian").private_value,
        truth,
    )
    assert abs(errors.std() / (sigma / n) - 1) < GAUSS_TOL + 0.02
    assert stats.kurtosis(errors) < 1.5  # Gaussian (excess 0), not Laplace (excess 3)


def test_histogram_counts_match_noise_scale() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"v": rng.uniform(0, 100, 4000)})
    truth = np.histogram(frame["v"], bins=8, range=(0, 100))[0]
    eps = 0.25
    errors = np.array([
        np.array(compute(frame, mechanism="histogram", column="v", bins=8, histogram_range=(0, 100),
                         epsilon=eps).private_value["counts"]) - truth
        for _ in range(RUNS // 4)
    ]).ravel()  # 8 bins x 100 runs
    expected = _discrete_laplace_std(1 / eps)
    assert abs(errors.std() / expected - 1) < LAPLACE_TOL
    assert abs(errors.mean()) < 5 * expected / math.sqrt(errors.size)


def test_category_histogram_unknown_category_stays_near_zero() -> None:
    frame = pd.DataFrame({"c": ["a"] * 300 + ["b"] * 100})
    out = compute(frame, mechanism="histogram", column="c", categories=["a", "b", "z"], epsilon=2.0).private_value
    assert out["categories"] == ["a", "b", "z"]
    assert abs(out["counts"][0] - 300) < 25 and abs(out["counts"][1] - 100) < 25 and out["counts"][2] < 25


def test_exponential_mechanism_selection_frequencies() -> None:
    scores = np.array([0.0, 1.0, 2.0, 4.0])
    eps, sens, draws = 1.0, 1.0, 3000
    picks = np.array([
        dpnoise.exponential_select(scores, sens, eps)[0] for _ in range(draws)
    ])
    observed = np.bincount(picks, minlength=4)
    weights = np.exp(eps * scores / (2 * sens))
    expected = weights / weights.sum() * draws
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    assert chi2 < stats.chi2.ppf(1 - 1e-6, df=3)
    # The same draws are far from the distribution without the factor 2 (a common bug).
    wrong = np.exp(eps * scores / sens)
    wrong = wrong / wrong.sum() * draws
    assert float(((observed - wrong) ** 2 / wrong).sum()) > 10 * stats.chi2.ppf(1 - 1e-6, df=3)


def test_exponential_through_compute_reports_epsilon() -> None:
    out = compute(pd.DataFrame({"x": [1]}), mechanism="exponential", candidates=["a", "b"],
                  utility_scores=[0.0, 50.0], sensitivity=1.0, epsilon=1.0)
    assert out.private_value == "b"  # exp(-25) chance of "a"
    assert out.epsilon_spent == pytest.approx(1.0)


def test_binary_tree_error_is_polylog() -> None:
    """A release at step t sums popcount(t) noisy blocks, each calibrated to levels / epsilon."""
    horizon, eps, runs, steps = 64, 1.0, 120, 63
    levels = levels_for(horizon)
    block_std = _discrete_laplace_std(levels / eps)
    normalised: list[float] = []
    at_32, at_63 = [], []
    for _ in range(runs):
        tree = TreeAggregator(levels, 1.0, eps, 0.0, "laplace", True)
        total = 0
        for t in range(1, steps + 1):
            total += 3
            err = tree.step(3.0) - total
            normalised.append(err / math.sqrt(bin(t).count("1")))
            if t == 32:
                at_32.append(err)
        at_63.append(err)
    # Pooled over all steps (about runs * steps / 2 independent blocks): std = one block's.
    assert abs(np.std(normalised) / block_std - 1) < 0.15
    # One block at t=32, six at t=63: the error does not grow with t, only with popcount(t).
    ratio = np.std(at_63) / np.std(at_32)
    assert 0.6 * math.sqrt(6) < ratio < 1.6 * math.sqrt(6)
    # Hence the worst error bound, sqrt(levels) blocks of scale levels / eps, is
    # O(log(T)^1.5): 256 times more releases cost less than 3 times the error, where
    # summing one independent noisy increment per release would cost 16 times.
    def worst(t: int) -> float:
        return levels_for(t) ** 1.5

    assert worst(2**16) / worst(2**8) < 3 < math.sqrt(2**16 / 2**8)


def test_group_counts_public_keys_and_threshold() -> None:
    frame = pd.DataFrame({"g": ["big"] * 400 + ["lonely"]})
    for _ in range(200):
        out = compute(frame, mechanism="count", group_by="g", epsilon=1.0, delta=1e-6)
        assert "lonely" not in out.results  # released with probability <= delta per run
        assert abs(out.results["big"] - 400) < 40
    public = compute(frame, mechanism="count", group_by="g", group_keys=["big", "lonely", "absent"],
                     epsilon=1.0, min_group_size=1)
    assert set(public.results) <= {"big", "lonely", "absent"} and "big" in public.results
