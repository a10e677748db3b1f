"""Runs inside .peers/diffprivlib: times diffprivlib's mean on a .npy file; JSON in, JSON out."""

import json
import sys
import time
import warnings

import numpy as np


def main() -> None:
    request = json.load(sys.stdin)
    from diffprivlib.tools import mean

    values = np.load(request["path"])
    lower, upper = request["bounds"]
    times, results = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mean(values, epsilon=request["epsilon"], bounds=(lower, upper))  # warm-up
        for _ in range(request["repeats"]):
            start = time.perf_counter()
            results.append(float(mean(values, epsilon=request["epsilon"], bounds=(lower, upper))))
            times.append(time.perf_counter() - start)
    json.dump({"seconds": sorted(times)[len(times) // 2], "result": results[-1]}, sys.stdout)


if __name__ == "__main__":
    main()
