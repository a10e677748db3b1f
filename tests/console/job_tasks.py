"""A job task for the console's jobs view: runs (reporting progress) until it is cancelled."""

from __future__ import annotations

import time
from typing import Any

from veil.jobs import JobContext, register_task


def wait_until_cancelled(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + float(params.get("seconds", 30))
    step = 0
    while time.monotonic() < deadline:
        ctx.check_cancelled()
        step += 1
        ctx.progress(min(90.0, step * 5.0), step="waiting", message=f"tick {step}")
        time.sleep(0.2)
    return {"ticks": step}


register_task("console_test.wait", "tests.console.job_tasks:wait_until_cancelled")
