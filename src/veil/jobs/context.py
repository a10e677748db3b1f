"""What a running task sees: progress reporting, the cancel flag, storage and settings."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from veil.errors import JobCancelledError

if TYPE_CHECKING:
    from veil.jobs.service import JobService
    from veil.service.container import Services


def resolve_target(target: str) -> Callable[[Any], Any]:
    """Import ``"module:function"``."""
    module_name, _, attr = target.partition(":")
    fn: Callable[[Any], Any] = getattr(importlib.import_module(module_name), attr)
    return fn


class JobContext:
    """Handed to every task. Progress writes are throttled; the cancel flag is polled.

    Tasks call ``ctx.progress(...)`` and ``ctx.check_cancelled()`` between chunks of work.
    """

    PROGRESS_INTERVAL = 0.5
    CANCEL_INTERVAL = 0.2

    def __init__(self, job_id: str, services: Services, jobs: JobService) -> None:
        self.job_id = job_id
        self.services = services
        self.settings = services.settings
        self.db = services.db
        self.store = services.store
        self.secrets = services.secrets
        self._jobs = jobs
        self._last_progress = 0.0
        self._last_step: str | None = None
        self._last_cancel_check = 0.0
        self._cancelled = False

    def progress(
        self, pct: float, step: str | None = None, message: str | None = None, *, force: bool = False
    ) -> None:
        """Record progress (0-100). Written at most every 0.5 s unless the step changes or ``force``."""
        now = time.monotonic()
        if not force and step == self._last_step and now - self._last_progress < self.PROGRESS_INTERVAL:
            return
        self._last_progress = now
        self._last_step = step
        self._jobs.record_progress(self.job_id, max(0.0, min(100.0, float(pct))), step, message)

    @property
    def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._last_cancel_check >= self.CANCEL_INTERVAL:
            self._last_cancel_check = now
            self._cancelled = self._jobs.cancel_requested(self.job_id)
        return self._cancelled

    def check_cancelled(self) -> None:
        """Raise :class:`JobCancelledError` if someone cancelled this job."""
        if self.cancelled:
            raise JobCancelledError("job cancelled", field="job_id")

    def map(
        self,
        fn: str,
        items: Sequence[Any],
        *,
        start: float = 0.0,
        end: float = 100.0,
        step: str | None = None,
    ) -> list[Any]:
        """Run the top-level function ``fn`` (``"module:function"``) on each item; results in order.

        In-process it runs the items one after another in this worker; when the executor can
        spread work (Dask, ``executor.map_chunks``) the items run on the cluster's workers.
        Either way progress moves from ``start`` to ``end`` as items finish and cancellation is
        honoured between items (outstanding remote work is cancelled).
        """
        if not items:
            return []
        executor = getattr(self.services, "executor", None)
        if executor is not None and hasattr(executor, "map_chunks"):
            results: list[Any] = executor.map_chunks(self, fn, list(items), start=start, end=end, step=step)
            return results
        func = resolve_target(fn)
        out: list[Any] = []
        for i, item in enumerate(items):
            self.check_cancelled()
            out.append(func(item))
            self.progress(start + (end - start) * (i + 1) / len(items), step=step)
        return out

    def parameters(self) -> dict[str, Any]:
        return self._jobs.get_parameters(self.job_id)
