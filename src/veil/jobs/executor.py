"""Executors run jobs in the background. In-process threads by default; Dask when configured.

Lanes give each queue its own concurrency: ``default`` has ``VEIL_WORKERS`` threads,
``anonymize`` has ``VEIL_ANONYMIZE_CONCURRENCY`` (1: one anonymization at a time, FIFO).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

log = logging.getLogger("veil.jobs")


class Executor(Protocol):
    name: str

    def submit(self, job_id: str, queue: str) -> None: ...

    def cancel(self, job_id: str) -> None: ...

    def shutdown(self, wait: bool = False) -> None: ...

    def describe(self) -> dict[str, Any]: ...


class InProcessExecutor:
    name = "in-process"

    def __init__(self, run: Callable[[str], Any], lanes: dict[str, int]) -> None:
        self._run = run
        self._lanes = {
            lane: ThreadPoolExecutor(max_workers=size, thread_name_prefix=f"veil-{lane}")
            for lane, size in lanes.items()
        }
        self._futures: dict[str, Future[Any]] = {}
        self._closed = False

    def submit(self, job_id: str, queue: str) -> None:
        if self._closed:
            return
        pool = self._lanes.get(queue) or self._lanes["default"]
        fut = pool.submit(self._safe_run, job_id)
        self._futures[job_id] = fut
        fut.add_done_callback(self._forget(job_id))

    def _forget(self, job_id: str) -> Callable[[Future[Any]], None]:
        def done(_fut: Future[Any]) -> None:
            self._futures.pop(job_id, None)

        return done

    def _safe_run(self, job_id: str) -> None:
        try:
            self._run(job_id)
        except Exception:
            log.exception("executor failed to run job %s", job_id)

    def cancel(self, job_id: str) -> None:
        fut = self._futures.get(job_id)
        if fut is not None:
            fut.cancel()  # only prevents a not-yet-started run; running tasks poll their flag

    def shutdown(self, wait: bool = False) -> None:
        self._closed = True
        for pool in self._lanes.values():
            pool.shutdown(wait=wait, cancel_futures=True)

    def describe(self) -> dict[str, Any]:
        return {
            "executor": self.name,
            "status": "stopped" if self._closed else "ok",
            "lanes": {k: v._max_workers for k, v in self._lanes.items()},
            "active": len(self._futures),
        }
