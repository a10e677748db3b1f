"""Test tasks for the Dask tests. Workers import this module with ``--preload tests.scale.tasks``."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from veil.errors import InvalidInputError
from veil.jobs import JobContext, register_task

KIND_MAP = "scale.map"
KIND_SLOW_MAP = "scale.slow_map"
KIND_LANE = "scale.lane"
KIND_FAIL = "scale.fail"
KIND_WRITE = "scale.write"
KIND_HASH = "scale.hash"
KIND_KANON = "scale.kanon"
ADULT = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "adult"
QIS = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"]


def square(item: int) -> int:
    return item * item


def slow_piece(item: dict[str, Any]) -> dict[str, Any]:
    """Sleeps, then leaves a marker file (so a test can count the pieces that ran)."""
    time.sleep(float(item["sleep"]))
    Path(item["dir"], f"piece-{item['i']}").write_text(str(os.getpid()))
    return {"i": item["i"], "pid": os.getpid()}


def bad_piece(item: int) -> int:
    if item == 3:
        raise InvalidInputError("piece 3 is bad", field="items[3]")
    return item


def map_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    fn = params.get("fn", "tests.scale.tasks:square")
    out = ctx.map(fn, list(params["items"]), start=0, end=100, step="mapping")
    return {"results": out, "pid": os.getpid()}


def slow_map_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    ctx.progress(1, step="started", message=f"pid={os.getpid()}", force=True)
    items = [{"i": i, "sleep": params["sleep"], "dir": params["dir"]} for i in range(params["n"])]
    out = ctx.map("tests.scale.tasks:slow_piece", items, start=1, end=100, step="mapping")
    return {"count": len(out), "pids": sorted({r["pid"] for r in out}), "pid": os.getpid()}


def lane_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    started = time.time()
    time.sleep(float(params.get("sleep", 0.5)))
    ctx.check_cancelled()
    return {"started": started, "ended": time.time()}


def fail_task(ctx: JobContext, params: dict[str, Any]) -> None:
    raise InvalidInputError("the test task refuses", field="params.x")


def write_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    key = f"jobs/{ctx.job_id}/result.txt"
    ctx.store.put(key, str(params.get("text", "ok")).encode())
    return {"result_path": ctx.store.uri(key), "bytes": len(str(params.get("text", "ok")))}


def hash_piece(item: dict[str, Any]) -> list[str | None]:
    """CLK hashing of one chunk of CSV rows with the pprl library's chunk function."""
    from veil.pprl import ClkEncoder, hash_chunk

    encoder = ClkEncoder(item["schema"], secret=item["secret"])
    return [r.clk for r in hash_chunk(encoder, item["rows"], item["start"])]


def hash_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Like a hashing job: CSV in the store, chunks spread with ctx.map, CLKs in the store."""
    import csv
    import io
    import json

    rows = list(csv.reader(io.StringIO(ctx.store.get(params["input_key"]).decode())))[1:]
    size = int(params["chunk_size"])
    items = [
        {"schema": params["schema"], "secret": params["secret"], "rows": rows[i : i + size], "start": i}
        for i in range(0, len(rows), size)
    ]
    clks = [c for chunk in ctx.map("tests.scale.tasks:hash_piece", items, step="hashing") for c in chunk]
    key = f"jobs/{ctx.job_id}/clks.json"
    ctx.store.put(key, json.dumps(clks).encode())
    return {"result_path": ctx.store.uri(key), "count": len(clks), "chunks": len(items)}


def _generalize(frame: Any, levels: dict[str, int]) -> Any:
    import csv

    out = frame.copy()
    for col in QIS:
        with open(ADULT / f"adult_hierarchy_{col}.csv", newline="", encoding="utf-8") as fh:
            mapping = {row[0]: row[int(levels[col])] for row in csv.reader(fh, delimiter=";") if row}
        out[col] = frame[col].map(mapping)
    return out


def kanon_count_piece(item: dict[str, Any]) -> list[list[Any]]:
    """Class counts of one partition at the chosen levels: [[*values, count], ...]."""
    import io

    import pandas as pd

    frame = pd.read_csv(io.StringIO(item["csv"]), dtype=str, keep_default_na=False)
    counts = _generalize(frame, item["levels"]).groupby(QIS, sort=False).size()
    return [[*idx, int(n)] for idx, n in counts.items()]


def kanon_apply_piece(item: dict[str, Any]) -> list[list[str]]:
    """The generalization applied to one partition, globally small classes suppressed."""
    import io

    import pandas as pd

    frame = pd.read_csv(io.StringIO(item["csv"]), dtype=str, keep_default_na=False)
    gen = _generalize(frame, item["levels"])
    small = {tuple(t) for t in item["suppress"]}
    rows = gen[QIS].values.tolist()
    return [["*"] * len(QIS) if tuple(r) in small else r for r in rows]


def kanon_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Partitioned k-anonymity: levels from the library's search, class counts per partition
    combined to decide suppression globally, generalization applied per partition."""
    import io
    from collections import Counter

    import pandas as pd

    from veil.tabular.anonymize import anonymize

    frame = pd.read_csv(io.BytesIO(ctx.store.get(params["input_key"])), dtype=str, keep_default_na=False)
    attrs = [
        {"name": c, "type": "quasi_identifier", "hierarchy": str(ADULT / f"adult_hierarchy_{c}.csv")}
        for c in QIS
    ]
    res = anonymize(frame[QIS], attrs, k=params["k"], max_suppression=params["max_suppression"])
    levels = dict(res.levels)
    size = -(-len(frame) // params["partitions"])
    parts = [frame.iloc[i : i + size][QIS].to_csv(index=False) for i in range(0, len(frame), size)]
    counted = ctx.map(
        "tests.scale.tasks:kanon_count_piece",
        [{"csv": p, "levels": levels} for p in parts],
        end=50,
        step="counts",
    )
    total: Counter[tuple[str, ...]] = Counter()
    for piece in counted:
        for *values, n in piece:
            total[tuple(values)] += n
    suppress = [list(k) for k, n in total.items() if n < params["k"]]
    applied = ctx.map(
        "tests.scale.tasks:kanon_apply_piece",
        [{"csv": p, "levels": levels, "suppress": suppress} for p in parts],
        start=50,
        step="apply",
    )
    rows = [r for piece in applied for r in piece]
    expected = res.data[QIS].astype(str).values.tolist()
    return {
        "levels": levels,
        "rows": len(rows),
        "identical": rows == expected,
        "suppressed": res.suppressed_count,
    }


register_task(KIND_MAP, "tests.scale.tasks:map_task")
register_task(KIND_SLOW_MAP, "tests.scale.tasks:slow_map_task")
register_task(KIND_LANE, "tests.scale.tasks:lane_task", queue="anonymize")
register_task(KIND_FAIL, "tests.scale.tasks:fail_task")
register_task(KIND_WRITE, "tests.scale.tasks:write_task")
register_task(KIND_HASH, "tests.scale.tasks:hash_task")
register_task(KIND_KANON, "tests.scale.tasks:kanon_task", queue="anonymize")


def forget_services() -> int:
    """Run on each worker after a test: close the per-test database pools."""
    from veil.jobs import dask_executor

    n = 0
    with dask_executor._WORKER_LOCK:
        for services in dask_executor._WORKER_SERVICES.values():
            services.db.dispose()
            n += 1
        dask_executor._WORKER_SERVICES.clear()
    return n
