"""Tasks used by the foundation tests (registered under ``test.*`` kinds)."""

from __future__ import annotations

import threading
import time
from typing import Any

from veil.errors import InvalidInputError
from veil.jobs import JobContext, register_task

#: Set by tests to release a ``test.block`` task.
RELEASE = threading.Event()


def quick(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    for i in range(4):
        ctx.check_cancelled()
        ctx.progress(25 * (i + 1), step=f"chunk {i + 1}", force=True)
    key = ctx.store.put(f"jobs/{ctx.job_id}/out.txt", b"done")
    return {"value": params.get("value", 0) * 2, "result_path": ctx.store.uri(key)}


def slow(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + float(params.get("seconds", 10))
    while time.monotonic() < deadline:
        ctx.check_cancelled()
        ctx.progress(10, step="waiting")
        time.sleep(0.02)
    return {"slept": True}


def block(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    RELEASE.wait(timeout=30)
    return {"released": True}


def bad_input(ctx: JobContext, params: dict[str, Any]) -> None:
    raise InvalidInputError("k is larger than the number of rows", field="k")


def crash(ctx: JobContext, params: dict[str, Any]) -> None:
    raise RuntimeError("secret-value-that-must-not-leak")


register_task("test.quick", "tests.foundation.job_tasks:quick")
register_task("test.slow", "tests.foundation.job_tasks:slow")
register_task("test.block", "tests.foundation.job_tasks:block", queue="anonymize")
register_task("test.slow_lane", "tests.foundation.job_tasks:slow", queue="anonymize")
register_task("test.bad_input", "tests.foundation.job_tasks:bad_input")
register_task("test.crash", "tests.foundation.job_tasks:crash")
