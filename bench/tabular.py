"""Tabular anonymization on Adult: Veil vs anjana (own venv) in one run, plus l-diversity /
t-closeness relative to k-anonymity and a 1,000,000 x 10 memory run.

Run: ``.venv/bin/python -m bench tabular``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ADULT = ROOT.parent / "shared" / "datasets" / "adult"
QIS = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation", "salary-class"]
ANJANA_PY = ROOT / ".peers" / "anjana" / "bin" / "python"


def _attrs(types: dict[str, str] | None = None) -> list[dict[str, Any]]:
    types = types or {}
    return [{"name": c, "type": types.get(c, "quasi_identifier"), "hierarchy": str(ADULT / f"adult_hierarchy_{c}.csv")}
            for c in QIS]


def _time(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _anjana(supp_percent: float) -> dict[str, Any] | None:
    if not ANJANA_PY.exists():
        return None
    req = {"data": str(ADULT / "adult.csv"), "qis": QIS, "k": 5, "supp_level": supp_percent,
           "hierarchies": {c: str(ADULT / f"adult_hierarchy_{c}.csv") for c in QIS}}
    proc = subprocess.run([str(ANJANA_PY), str(Path(__file__).with_name("tabular_anjana_driver.py"))],
                          input=json.dumps(req), capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        print(f"  anjana failed: {proc.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(proc.stdout)


def _memory_run() -> None:
    code = r"""
import resource, time, numpy as np, pandas as pd
import veil.tabular as vt
rng = np.random.default_rng(7)
n = 1_000_000
df = pd.DataFrame({
    "age": rng.integers(17, 91, n), "zip": rng.integers(10000, 10999, n).astype(str),
    "sex": rng.choice(["F", "M"], n), "country": rng.choice([f"c{i}" for i in range(40)], n),
    "education": rng.choice([f"e{i}" for i in range(16)], n), "marital": rng.choice([f"m{i}" for i in range(7)], n),
    "work": rng.choice([f"w{i}" for i in range(8)], n), "occupation": rng.choice([f"o{i}" for i in range(14)], n),
    "children": rng.integers(0, 6, n), "income": rng.integers(0, 200, n) * 1000,
})
attrs = [
    {"name": "age", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 5}},
    {"name": "zip", "type": "quasi_identifier", "hierarchy": {"type": "masking"}},
    {"name": "sex", "type": "quasi_identifier"},
    {"name": "country", "type": "quasi_identifier", "hierarchy": {"type": "ordering", "fanout": 4}},
    {"name": "education", "type": "quasi_identifier", "hierarchy": {"type": "ordering", "fanout": 4}},
    {"name": "marital", "type": "quasi_identifier"},
    {"name": "work", "type": "quasi_identifier", "hierarchy": {"type": "ordering", "fanout": 2}},
    {"name": "occupation", "type": "quasi_identifier", "hierarchy": {"type": "ordering", "fanout": 4}},
    {"name": "children", "type": "quasi_identifier", "hierarchy": {"type": "ordering", "fanout": 2}},
    {"name": "income", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 10000}},
]
t0 = time.perf_counter()
res = vt.anonymize(df, attrs, k=5, max_suppression=0.02, time_limit=120)
el = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
print(f"{el:.1f} {peak:.2f} {res.search['method']} {res.search['lattice_size']} {res.search['nodes_evaluated']} {res.suppressed_count}")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3000, cwd=ROOT)
    if proc.returncode != 0:
        print(f"  1M x 10 run failed: {proc.stderr.strip().splitlines()[-1:]}")
        return
    el, peak, method, size, evaluated, supp = proc.stdout.split()
    print(f"1,000,000 rows x 10 QIs, k=5, 2 %: {el} s, peak RSS {peak} GB (limit 24 GB), "
          f"search={method}, lattice={size}, nodes evaluated={evaluated}, suppressed={supp}")


def main() -> None:
    import veil.tabular as vt

    if not (ADULT / "adult.csv").exists():
        print(f"Adult data set not found at {ADULT}")
        return
    data = pd.read_csv(ADULT / "adult.csv", sep=";")
    path = str(ADULT / "adult.csv")
    print("Adult (30,162 x 9 QIs), ARX hierarchies; times are best of 3 and include reading the CSV")
    t0, r0 = _time(lambda: vt.anonymize(path, _attrs(), k=5, max_suppression=0.0))
    t4, r4 = _time(lambda: vt.anonymize(path, _attrs(), k=5, max_suppression=0.04))
    print(f"veil  k=5  0 %: {t0:.3f} s  levels={list(r0.levels.values())}  (target <= 0.5 s)")
    print(f"veil  k=5  4 %: {t4:.3f} s  levels={list(r4.levels.values())}  suppressed={r4.suppressed_count}  (target <= 3 s)")
    for supp, tv in ((0, t0), (4, t4)):
        a = _anjana(supp)
        if a is None:
            print(f"anjana k=5 {supp} %: not available (.peers/anjana missing)")
        else:
            print(f"anjana k=5 {supp} %: {a['seconds']:.3f} s  classes={a['classes']} min={a['min_class']}  "
                  f"-> veil is {a['seconds'] / tv:.1f}x faster")
    # l-diversity and t-closeness vs k-anonymity on the same 8 QIs (occupation sensitive)
    sens = _attrs({"occupation": "sensitive"})
    for supp in (0.0, 0.04):
        tk, _ = _time(lambda s=supp: vt.anonymize(data, sens, k=5, max_suppression=s))
        rows = [("l-diversity distinct l=3", {"privacy_model": "l-diversity", "l": 3}),
                ("l-diversity entropy l=3", {"privacy_model": "l-diversity", "l": 3, "diversity_type": "entropy"}),
                ("t-closeness equal t=0.2", {"privacy_model": "t-closeness", "t": 0.2}),
                ("t-closeness hierarchical t=0.2", {"privacy_model": "t-closeness", "t": 0.2,
                                                    "distance_metric": "hierarchical"})]
        print(f"occupation sensitive, k=5, {supp:.0%} suppression: k-anonymity alone {tk:.3f} s")
        for label, kw in rows:
            tm, _ = _time(lambda s=supp, kw=kw: vt.anonymize(data, sens, k=5, max_suppression=s, **kw), repeat=2)
            print(f"  {label:32s} {tm:.3f} s  ratio {tm / tk:.2f}x  (target <= 2x)")
    _memory_run()
    print(f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
