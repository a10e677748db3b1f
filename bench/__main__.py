"""Run the benchmarks: ``python -m bench [name ...]`` (default: all of them, in order)."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ORDER = ["pprl_hash", "text_deid", "text_multilingual", "text_presidio_cases", "tabular", "tabular_io", "dp", "scale"]


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    available = [name for name in ORDER if (here / f"{name}.py").exists()]
    chosen = argv or available
    failed = []
    for name in chosen:
        print(f"\n=== bench/{name}.py  ({time.strftime('%Y-%m-%d %H:%M:%S')})", flush=True)
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception as exc:  # one broken benchmark must not hide the others
            print(f"FAILED: {type(exc).__name__}: {exc}", flush=True)
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
