"""DP mean over 1,000,000 values: Veil (``veil.dp.compute``) vs a direct OpenDP call vs diffprivlib.

The direct OpenDP call runs the same mechanism as Veil (a noisy centred clamped sum and a
noisy count, half the epsilon each) on a ready float64 array with pre-built
measurements, so the ratio is Veil's own overhead (DataFrame column extraction,
validation, calibration-cache lookup). Also shown: OpenDP's textbook sized mean (row
count treated as public, a weaker guarantee) and diffprivlib's mean (which also treats
the count as public), from its own environment in ``.peers/diffprivlib``.
Target: Veil <= 2x the direct OpenDP call.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

N = 1_000_000
BOUNDS = (0.0, 120.0)
EPSILON = 1.0
REPEATS = 7
ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / ".peers" / "diffprivlib" / "bin" / "python"

# Runs inside .peers/diffprivlib (its own numpy/scikit-learn): JSON request in, JSON out.
_DRIVER = """
import json, sys, time, warnings
import numpy as np
from diffprivlib.tools import mean

request = json.load(sys.stdin)
values = np.load(request["path"])
bounds = tuple(request["bounds"])
times, result = [], None
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    mean(values, epsilon=request["epsilon"], bounds=bounds)  # warm-up
    for _ in range(request["repeats"]):
        start = time.perf_counter()
        result = float(mean(values, epsilon=request["epsilon"], bounds=bounds))
        times.append(time.perf_counter() - start)
json.dump({"seconds": sorted(times)[len(times) // 2], "result": result}, sys.stdout)
"""


def _median_time(fn: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    fn()  # warm-up (calibration caches, imports)
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _direct_opendp(values: np.ndarray) -> Callable[[], float]:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    lower, upper = BOUNDS
    mid, radius = (lower + upper) / 2, (upper - lower) / 2
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance()
    summed = space >> dp.t.then_clamp((-radius, radius)) >> dp.t.then_sum()
    scale = dp.binary_search_param(lambda s: summed >> dp.m.then_laplace(scale=s), d_in=1, d_out=EPSILON / 2)
    noisy_sum = summed >> dp.m.then_laplace(scale=scale)
    counted = space >> dp.t.then_count()
    c_scale = dp.binary_search_param(lambda s: counted >> dp.m.then_laplace(scale=s), d_in=1, d_out=EPSILON / 2)
    noisy_count = counted >> dp.m.then_laplace(scale=c_scale)

    def run() -> float:
        centred = values - mid
        return mid + noisy_sum(centred) / max(noisy_count(values), 1)

    return run


def _textbook_opendp(values: np.ndarray) -> Callable[[], float]:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False), size=values.size), dp.symmetric_distance()
    chain = space >> dp.t.then_clamp(BOUNDS) >> dp.t.then_mean()
    scale = dp.binary_search_param(lambda s: chain >> dp.m.then_laplace(scale=s), d_in=2, d_out=EPSILON)
    meas = chain >> dp.m.then_laplace(scale=scale)
    return lambda: float(meas(values))


def _diffprivlib(values: np.ndarray) -> dict[str, Any] | None:
    if not PEER.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.npy"
        np.save(path, values)
        request = {"path": str(path), "bounds": list(BOUNDS), "epsilon": EPSILON, "repeats": REPEATS}
        proc = subprocess.run(
            [str(PEER), "-c", _DRIVER],
            input=json.dumps(request), capture_output=True, text=True, timeout=600, check=True,
        )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main() -> None:
    from veil.dp import compute

    values = np.random.default_rng(2026).uniform(*BOUNDS, N)
    frame = pd.DataFrame({"age": values})
    truth = float(values.mean())

    veil_s, veil_out = _median_time(
        lambda: compute(frame, mechanism="mean", column="age", bounds=BOUNDS, epsilon=EPSILON).private_value
    )
    raw_s, raw_out = _median_time(_direct_opendp(values))
    book_s, book_out = _median_time(_textbook_opendp(values))
    peer = _diffprivlib(values)

    print(f"DP mean of {N:,} values, epsilon={EPSILON}, bounds={BOUNDS}, median of {REPEATS} runs; true mean {truth:.4f}")
    print(f"  veil.dp.compute             {veil_s * 1000:8.1f} ms   result {veil_out:.4f}")
    print(f"  OpenDP direct (same mech.)  {raw_s * 1000:8.1f} ms   result {raw_out:.4f}")
    print(f"  OpenDP sized mean (n public){book_s * 1000:8.1f} ms   result {book_out:.4f}")
    if peer is None:
        print("  diffprivlib                 skipped: .peers/diffprivlib missing (run `make peers`)")
    else:
        print(f"  diffprivlib 0.6.6 (n public){peer['seconds'] * 1000:8.1f} ms   result {peer['result']:.4f}")
    ratio = veil_s / raw_s
    verdict = "meets" if ratio <= 2.0 else "MISSES"
    print(f"  Veil overhead over direct OpenDP: {ratio:.2f}x ({verdict} the <= 2x target)")
    if peer is not None:
        print(f"  Veil vs diffprivlib: {veil_s / peer['seconds']:.2f}x the time")
    _user_level(frame)
    _advise()


def _user_level(frame: pd.DataFrame) -> None:
    """Contribution bounding cost: the same mean with 10,000 users of 100 rows, one kept per user."""
    from veil.dp import compute

    users = frame.assign(user_id=np.arange(len(frame)) % 10_000)
    row_s, _ = _median_time(lambda: compute(users, mechanism="mean", column="age", bounds=BOUNDS, epsilon=EPSILON))
    unit_s, out = _median_time(lambda: compute(users, mechanism="mean", column="age", bounds=BOUNDS,
                                               epsilon=EPSILON, privacy_unit="user_id", max_contributions=1))
    print(f"User-level mean ({len(frame):,} rows, 10,000 users, max_contributions=1): {unit_s * 1000:.1f} ms "
          f"({unit_s / row_s:.1f}x the row-level query); noisy count {out.details['noisy_count']}")


def _advise() -> None:
    """The composition advisor at its limit: 100,000 queries (the issue measured 24 s before)."""
    from veil.dp.advisor import advise_composition

    for k in (100, 100_000):
        start = time.perf_counter()  # cold: the first call of this process for k
        out = advise_composition(1.0, k, delta_budget=1e-5)
        seconds = time.perf_counter() - start
        print(f"advise_composition(1.0, {k:,}, delta 1e-5): {seconds:.2f} s; per-query eps basic "
              f"{out['basic']['per_query_epsilon']:.3g}, rdp {out['rdp']['per_query_epsilon']:.3g}, "
              f"pld {out['pld']['per_query_epsilon']:.3g} (recommended {out['recommendation']})")


if __name__ == "__main__":
    main()
