"""CLK hashing throughput: Veil vs clkhash 0.18.3 (max_workers=1) on the same records and schema.

Run: ``.venv/bin/python -m bench pprl_hash`` (needs ``make peers`` for .peers/clkhash0183).
Prints records/s for both, the ratio, Veil's speed-up with 2 worker processes, and the peak
memory growth while streaming a 1,000,000-row CSV.
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from veil.pprl import ClkEncoder, hash_records

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / ".peers" / "clkhash0183" / "bin" / "python"
N_RECORDS = 100_000
N_STREAM = 1_000_000
SECRET = "bench secret"

SEED_SCHEMA = json.loads((ROOT / "tests" / "pprl" / "data" / "seed_schema.json").read_text())

MIXED_SCHEMA: dict[str, Any] = {
    "version": 3,
    "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256", "keySize": 64}},
    "features": [
        {"identifier": "rec_id", "ignored": True},
        {
            "identifier": "given_name",
            "format": {"type": "string", "encoding": "utf-8"},
            "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 200}},
        },
        {
            "identifier": "surname",
            "format": {"type": "string", "encoding": "utf-8"},
            "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 200}},
        },
        {
            "identifier": "dob",
            "format": {"type": "date", "format": "%Y-%m-%d"},
            "hashing": {
                "comparison": {"type": "ngram", "n": 1, "positional": True},
                "strategy": {"bitsPerFeature": 200},
            },
        },
        {
            "identifier": "gender",
            "format": {"type": "enum", "values": ["M", "F"]},
            "hashing": {"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 30}},
        },
        {
            "identifier": "postcode",
            "format": {"type": "integer", "minimum": 0},
            "hashing": {
                "comparison": {"type": "ngram", "n": 1, "positional": True},
                "strategy": {"bitsPerFeature": 100},
                "hash": {"type": "doubleHash"},
            },
        },
        {
            "identifier": "phone",
            "format": {"type": "string", "pattern": "[0-9]{10}"},
            "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 10}},
        },
    ],
}

PEER_SCRIPT = r"""
import json, sys, time
from clkhash import schema as s
from clkhash.clk import generate_clks
from clkhash.serialization import serialize_bitarray
job = json.load(sys.stdin)
schema = s.from_json_dict(job["schema"])
rows = [tuple(r) for r in job["rows"]]
t, c = time.perf_counter(), time.process_time()
clks = generate_clks(rows, schema, job["secret"], validate=True, max_workers=1)
out = [serialize_bitarray(c) for c in clks]
elapsed, cpu = time.perf_counter() - t, time.process_time() - c
json.dump({"seconds": elapsed, "cpu": cpu, "first": out[:50], "last": out[-1]}, sys.stdout)
"""


def _pool(names: dict[str, float]) -> tuple[list[str], list[float]]:
    return list(names), list(names.values())


def make_seed_records(n: int, seed: int = 7) -> list[list[str]]:
    """Rows like the seed's fake-data.csv: full name, date of birth, gender (Faker's US name lists)."""
    from faker.providers.person.en_US import Provider

    rng = random.Random(seed)
    male, female, last = (_pool(Provider.first_names_male), _pool(Provider.first_names_female),
                          _pool(Provider.last_names))
    rows = []
    for _ in range(n):
        gender = rng.choice("MF")
        first = rng.choices(*(male if gender == "M" else female))[0]
        rows.append([
            f"{first} {rng.choices(*last)[0]}",
            f"{rng.randint(1920, 2010)}/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}",
            gender,
        ])
    return rows


def make_mixed_records(n: int, seed: int = 7) -> list[list[str]]:
    """Seed-like people plus a record id (ignored), a postcode and a unique 10-digit phone number."""
    rng = random.Random(seed + 1)
    rows = []
    for i, (name, dob, gender) in enumerate(make_seed_records(n, seed)):
        first, _, last = name.partition(" ")
        rows.append([f"rec-{i}", first, last, dob.replace("/", "-"), gender, str(rng.randint(2000, 7999)),
                     "".join(rng.choice("0123456789") for _ in range(10))])
    return rows


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _veil_rate(schema: dict[str, Any], rows: list[list[str]], workers: int) -> tuple[float, list[str], float]:
    """records/s (wall clock), the CLKs, and the CPU seconds of the busiest process."""
    encoder = ClkEncoder(schema, secret=SECRET)  # fresh caches for every measurement
    parent, children = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    results = hash_records(rows, encoder, workers=workers)
    elapsed = time.perf_counter() - t
    parent = _cpu(resource.RUSAGE_SELF) - parent
    per_worker = (_cpu(resource.RUSAGE_CHILDREN) - children) / workers if workers > 1 else 0.0
    return len(rows) / elapsed, [r.clk or "" for r in results], max(parent, per_worker)


def _peer_rate(schema: dict[str, Any], rows: list[list[str]]) -> tuple[float, float, list[str]]:
    """records/s by wall clock and by CPU time, and a sample of the CLKs."""
    proc = subprocess.run(
        [str(PEER), "-c", PEER_SCRIPT],
        input=json.dumps({"schema": schema, "rows": rows, "secret": SECRET}),
        capture_output=True, text=True, check=True,
    )
    peer = json.loads(proc.stdout)
    return len(rows) / peer["seconds"], len(rows) / peer["cpu"], [*peer["first"], peer["last"]]


STREAM_SCRIPT = r"""
import json, resource, sys, time
from veil.pprl import ClkEncoder, iter_csv_clks
schema = json.loads(sys.argv[2])
encoder = ClkEncoder(schema, secret="bench secret")
t = time.perf_counter()
count = 0
with open(sys.argv[1], newline="") as fh:
    for result in iter_csv_clks(fh, encoder, chunk_size=10_000, workers=int(sys.argv[3])):
        count += 1
elapsed = time.perf_counter() - t
print(json.dumps({"rows": count, "rate": count / elapsed,
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _stream(path: str, workers: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", STREAM_SCRIPT, path, json.dumps(SEED_SCHEMA), str(workers)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _write_csv(path: str, n: int) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([f["identifier"] for f in SEED_SCHEMA["features"]])
        for start in range(0, n, 100_000):
            writer.writerows(make_seed_records(min(100_000, n - start), seed=start))


def _compare(label: str, schema: dict[str, Any], rows: list[list[str]]) -> None:
    print(f"-- {label}: {len(rows):,} records")
    veil1, clks, cpu1 = _veil_rate(schema, rows, 1)
    veil2, clks2, cpu2 = _veil_rate(schema, rows, 2)
    assert clks2 == clks, "2-process results differ from 1-process results"
    print(f"veil, 1 process:                {veil1:10,.0f} records/s")
    print(f"veil, 2 processes:              {veil2:10,.0f} records/s  (speed-up x{veil2 / veil1:.2f} wall clock; "
          f"x{cpu1 / cpu2:.2f} by the busiest process's CPU time, i.e. on idle cores)")
    if not PEER.exists():
        print(f"clkhash peer missing at {PEER}: run `make peers`")
        return
    peer, peer_cpu, peer_clks = _peer_rate(schema, rows)
    same = peer_clks == [*clks[:50], clks[-1]]
    print(f"clkhash 0.18.3, max_workers=1:  {peer:10,.0f} records/s  (identical CLKs: {same})")
    print(f"RATIO veil/clkhash, wall clock: x{veil1 / peer:.1f} (1 process), x{veil2 / peer:.1f} (2 processes)")
    veil_cpu_rate = len(rows) / cpu1
    print(f"RATIO veil/clkhash, CPU time (robust on a busy machine): x{veil_cpu_rate / peer_cpu:.1f} "
          f"({veil_cpu_rate:,.0f} vs {peer_cpu:,.0f} records per CPU-second)")


def main() -> None:
    _compare("seed 000 schema (v1, doubleHash; name/dob/gender)", SEED_SCHEMA, make_seed_records(N_RECORDS))
    _compare("v3 schema (blakeHash + doubleHash, 6 features incl. unique phone)", MIXED_SCHEMA,
             make_mixed_records(N_RECORDS))
    with tempfile.TemporaryDirectory() as tmp:
        small, big = os.path.join(tmp, "100k.csv"), os.path.join(tmp, "1m.csv")
        _write_csv(small, N_RECORDS)
        _write_csv(big, N_STREAM)
        for workers in (1, 2):
            a, b = _stream(small, workers), _stream(big, workers)
            print(f"streaming CSV, {workers} process(es): 100k rows peak RSS {a['max_rss_mib']:.0f} MiB, "
                  f"1M rows peak RSS {b['max_rss_mib']:.0f} MiB ({b['rate']:,.0f} records/s)")


if __name__ == "__main__":
    main()
