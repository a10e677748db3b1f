"""Scale-out on Dask: 1,000,000-row CLK hashing and k-anonymity of Adult x30 (~905,000 rows),
each with 1 and then 2 Dask workers (one thread each) on this machine; prints the speed-ups.

Run: ``.venv/bin/python -m bench scale``.

The scheduler and workers are real ``dask scheduler`` / ``dask worker`` processes on
loopback. Work is split the way the service splits it (``ctx.map`` over partitions whose
data sit in storage, here a temporary directory): each piece reads its partition, does the
per-row work and writes its output; only counts travel back.

* Hashing: the partition's rows go through ``veil.pprl.hash_chunk`` (the pprl library's
  chunk function); CLKs are written one per line.
* k-anonymity: ``veil.tabular.anonymize`` has no partitioned entry point yet, so the
  benchmark runs (1) the library on the whole table in one process (baseline, and the
  source of the optimal levels), then (2) the per-row phases on the cluster: class counts
  per partition, combined on the driver to decide suppression globally, and the chosen
  generalization applied per partition. (2) is checked row for row against (1). Adult x30
  with k=150 has the same optimum as Adult with k=5 (every class is 30 times larger).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ADULT = ROOT.parent / "shared" / "datasets" / "adult"
QIS = [
    "sex",
    "age",
    "race",
    "marital-status",
    "education",
    "native-country",
    "workclass",
    "occupation",
    "salary-class",
]
N_HASH = 1_000_000
HASH_PARTS = 20
ADULT_COPIES = 30
K = 5 * ADULT_COPIES
KANON_PARTS = 12
SECRET = "bench secret"


# --------------------------------------------------------------------------- cluster
@contextmanager
def dask_cluster(n_workers: int, workdir: Path) -> Iterator[Any]:
    """A scheduler and ``n_workers`` single-threaded workers; yields a connected Client."""
    from distributed import Client

    dask = str(Path(sys.executable).with_name("dask"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
    sched_file = workdir / f"scheduler-{n_workers}-{time.monotonic_ns()}.json"
    procs: list[subprocess.Popen[bytes]] = []
    logs = []
    try:
        log = open(workdir / f"scheduler-{n_workers}.log", "wb")  # noqa: SIM115
        logs.append(log)
        procs.append(
            subprocess.Popen(
                [
                    dask,
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--no-dashboard",
                    "--scheduler-file",
                    str(sched_file),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 60
        while not (sched_file.exists() and sched_file.read_text().strip()):
            if time.monotonic() > deadline:
                raise RuntimeError("scheduler did not start")
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(n_workers):
            log = open(workdir / f"worker-{n_workers}-{i}.log", "wb")  # noqa: SIM115
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [
                        dask,
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--memory-limit",
                        "0",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        client = Client(address, set_as_default=False, timeout=30)
        client.wait_for_workers(n_workers, timeout=120)
        try:
            yield client
        finally:
            client.close()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        for log in logs:
            log.close()


def run_pieces(client: Any, fn: Any, items: list[Any]) -> tuple[float, list[Any]]:
    """Submit every piece, wait for all; wall time and results in order."""
    t0 = time.perf_counter()
    futures = [client.submit(fn, item, pure=False) for item in items]
    results = client.gather(futures)
    return time.perf_counter() - t0, results


def warm(client: Any, fn: Any, item: Any) -> None:
    """Import the libraries on every worker before timing."""
    client.run(lambda: None)
    client.gather(
        [client.submit(fn, item, pure=False, workers=[w]) for w in client.scheduler_info()["workers"]]
    )


# --------------------------------------------------------------------------- hashing pieces
@lru_cache(maxsize=4)
def _encoder(schema_json: str, secret: str) -> Any:
    from veil.pprl import ClkEncoder

    return ClkEncoder(json.loads(schema_json), secret=secret)


def hash_part(item: dict[str, Any]) -> tuple[int, float]:
    """Read one partition's CSV rows, hash them, write the CLKs (one per line).
    Returns the row count and the seconds the piece itself took."""
    from veil.pprl import hash_chunk

    t0 = time.perf_counter()
    encoder = _encoder(item["schema"], item["secret"])
    with open(item["in"], newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    results = hash_chunk(encoder, rows, item["start"])
    with open(item["out"], "w", encoding="ascii") as out:
        out.writelines((r.clk or "") + "\n" for r in results)
    return len(results), time.perf_counter() - t0


def make_people(n: int, seed: int = 7) -> list[list[str]]:
    """Rows like the seed's fake-data.csv (name, date of birth, gender) drawn from Faker's
    US name frequencies, like ``bench.pprl_hash.make_seed_records`` but vectorised."""
    import numpy as np
    from faker.providers.person.en_US import Provider

    rng = np.random.default_rng(seed)

    def draw(pool: dict[str, float], size: int) -> Any:
        names = np.array(list(pool), dtype=object)
        weights = np.array(list(pool.values()), dtype=float)
        return rng.choice(names, size=size, p=weights / weights.sum())

    gender = rng.choice(np.array(["M", "F"], dtype=object), size=n)
    first = np.where(gender == "M", draw(Provider.first_names_male, n), draw(Provider.first_names_female, n))
    last = draw(Provider.last_names, n)
    year, month, day = rng.integers(1920, 2011, n), rng.integers(1, 13, n), rng.integers(1, 29, n)
    return [
        [f"{f} {s}", f"{y}/{m:02d}/{d:02d}", g]
        for f, s, y, m, d, g in zip(first, last, year, month, day, gender, strict=True)
    ]


def _hash_items(workdir: Path) -> tuple[list[dict[str, Any]], float]:
    from bench.pprl_hash import SEED_SCHEMA

    t0 = time.perf_counter()
    rows = make_people(N_HASH)
    gen = time.perf_counter() - t0
    size = N_HASH // HASH_PARTS
    items = []
    schema = json.dumps(SEED_SCHEMA, sort_keys=True)
    for p in range(HASH_PARTS):
        path = workdir / f"hash-in-{p:03d}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows[p * size : (p + 1) * size])
        items.append(
            {
                "in": str(path),
                "out": str(workdir / f"hash-out-{p:03d}.txt"),
                "start": p * size,
                "schema": schema,
                "secret": SECRET,
            }
        )
    return items, gen


# --------------------------------------------------------------------------- k-anonymity pieces
@lru_cache(maxsize=16)
def _level_map(column: str, level: int) -> dict[str, str]:
    path = ADULT / f"adult_hierarchy_{column}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return {row[0]: row[level] for row in csv.reader(fh, delimiter=";") if row}


def count_part(item: dict[str, Any]) -> Any:
    """Class counts of one partition: size of each combination of generalized QI values."""
    import pandas as pd

    frame = pd.read_parquet(item["in"])
    gen = _generalize(frame, item["levels"])
    return gen.groupby(QIS, sort=False).size()


def apply_part(item: dict[str, Any]) -> int:
    """Apply the chosen generalization to one partition, suppress the globally small classes."""
    import pandas as pd

    frame = pd.read_parquet(item["in"])
    gen = _generalize(frame, item["levels"])
    if item["suppress"]:
        small = pd.MultiIndex.from_tuples([tuple(t) for t in item["suppress"]], names=QIS)
        mask = pd.MultiIndex.from_frame(gen[QIS]).isin(small)
        gen.loc[mask, QIS] = "*"
    gen.to_parquet(item["out"], index=False)
    return int(gen.shape[0])


def _generalize(frame: Any, levels: dict[str, int]) -> Any:
    out = frame.copy()
    for col in QIS:
        out[col] = frame[col].map(_level_map(col, int(levels[col])))
    return out


def _kanon_baseline() -> tuple[Any, dict[str, int], float, Any]:
    import pandas as pd

    from veil.tabular.anonymize import anonymize

    adult = pd.read_csv(ADULT / "adult.csv", sep=";", dtype=str, keep_default_na=False)
    big = pd.concat([adult] * ADULT_COPIES, ignore_index=True)
    attrs = [
        {"name": c, "type": "quasi_identifier", "hierarchy": str(ADULT / f"adult_hierarchy_{c}.csv")}
        for c in QIS
    ]
    t0 = time.perf_counter()
    res = anonymize(big, attrs, k=K, max_suppression=0.0)
    return big, dict(res.levels), time.perf_counter() - t0, res


def _kanon_distributed(
    client: Any, parts: list[str], levels: dict[str, int], workdir: Path, tag: str
) -> dict[str, Any]:
    import pandas as pd

    t_count, counts = run_pieces(client, count_part, [{"in": p, "levels": levels} for p in parts])
    t0 = time.perf_counter()
    combined = pd.concat(counts).groupby(level=list(range(len(QIS)))).sum()
    suppress = [list(idx) for idx in combined[combined < K].index]
    t_combine = time.perf_counter() - t0
    items = [
        {
            "in": p,
            "out": str(workdir / f"kanon-out-{tag}-{i:03d}.parquet"),
            "levels": levels,
            "suppress": suppress,
        }
        for i, p in enumerate(parts)
    ]
    t_apply, rows = run_pieces(client, apply_part, items)
    return {
        "count": t_count,
        "combine": t_combine,
        "apply": t_apply,
        "rows": sum(rows),
        "suppressed_classes": len(suppress),
        "outputs": [i["out"] for i in items],
    }


# --------------------------------------------------------------------------- main
def main() -> None:
    import pandas as pd

    from veil.pprl import ClkEncoder, hash_records

    with tempfile.TemporaryDirectory(prefix="veil-bench-scale-") as tmp:
        workdir = Path(tmp)
        print(f"machine: {os.cpu_count()} cores; workers are single-threaded Dask worker processes")

        # ---- CLK hashing
        items, gen_s = _hash_items(workdir)
        print(
            f"\nCLK hashing, {N_HASH:,} rows (seed schema, {HASH_PARTS} partitions; data generated in {gen_s:.1f}s)"
        )
        rows = []
        for item in items:
            with open(item["in"], newline="", encoding="utf-8") as fh:
                rows.extend(csv.reader(fh))
        from bench.pprl_hash import SEED_SCHEMA

        t0 = time.perf_counter()
        local = hash_records(rows, ClkEncoder(SEED_SCHEMA, secret=SECRET))
        t_local = time.perf_counter() - t0
        del rows
        print(f"  in memory, one process: {t_local:7.2f}s  {N_HASH / t_local:10,.0f} rows/s  (hashing only)")
        t0 = time.perf_counter()
        for item in items:
            hash_part(item)
        t_pieces = time.perf_counter() - t0
        print(
            f"  same pieces, no Dask:   {t_pieces:7.2f}s  {N_HASH / t_pieces:10,.0f} rows/s  (read CSV, hash, write)"
        )
        hash_times: dict[int, float] = {}
        for n in (1, 2):
            with dask_cluster(n, workdir) as client:
                warm(client, hash_part, items[0])
                wall, counts = run_pieces(client, hash_part, items)
                assert sum(c for c, _ in counts) == N_HASH
                hash_times[n] = wall
                busy = sum(t for _, t in counts)
                print(
                    f"  Dask, {n} worker{'s' if n > 1 else ' '}:         {wall:7.2f}s  {N_HASH / wall:10,.0f} rows/s  (pieces busy {busy:.2f}s in all)"
                )
        clks = [line for it in items for line in Path(it["out"]).read_text(encoding="ascii").splitlines()]
        assert clks == [r.clk or "" for r in local], "distributed CLKs differ from the local ones"
        del clks, local
        print(
            f"  speed-up 1 -> 2 workers: {hash_times[1] / hash_times[2]:.2f}x   (CLKs identical to the local run)"
        )
        print(f"  per-row cost: {hash_times[1] / N_HASH * 1e6:.2f} us/row on one worker")

        # ---- k-anonymity
        big, levels, t_base, res = _kanon_baseline()
        n_rows = int(big.shape[0])
        print(
            f"\nk-anonymity, Adult x{ADULT_COPIES} = {n_rows:,} rows, {len(QIS)} QIs, k={K}, no suppression"
        )
        print(f"  veil.tabular.anonymize, one process: {t_base:7.2f}s  levels {levels}")
        size = -(-n_rows // KANON_PARTS)
        parts = []
        for i in range(KANON_PARTS):
            path = workdir / f"kanon-in-{i:03d}.parquet"
            big.iloc[i * size : (i + 1) * size].to_parquet(path, index=False)
            parts.append(str(path))
        expected = res.data[QIS].value_counts().sort_index()
        kan_times: dict[int, float] = {}
        for n in (1, 2):
            with dask_cluster(n, workdir) as client:
                warm(client, count_part, {"in": parts[0], "levels": levels})
                out = _kanon_distributed(client, parts, levels, workdir, str(n))
                total = out["count"] + out["combine"] + out["apply"]
                kan_times[n] = total
                print(
                    f"  Dask, {n} worker{'s' if n > 1 else ' '}: counts {out['count']:6.2f}s + combine "
                    f"{out['combine']:5.2f}s + apply {out['apply']:6.2f}s = {total:6.2f}s"
                )
                got = pd.concat([pd.read_parquet(p) for p in out["outputs"]])[QIS].value_counts().sort_index()
                assert got.equals(expected), "distributed anonymization differs from the library's"
        print(
            f"  speed-up 1 -> 2 workers (per-row phases): {kan_times[1] / kan_times[2]:.2f}x"
            "   (output identical to veil.tabular.anonymize)"
        )
        print(
            f"  per-row cost: {kan_times[1] / n_rows * 1e6:.2f} us/row on one worker (counts + apply); "
            f"library end to end {t_base / n_rows * 1e6:.2f} us/row"
        )
