"""What a running task sees: progress reporting, the cancel flag, storage and settings."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from veil.errors import JobCancelledError

if TYPE_CHECKING:
    from veil.jobs.service import JobService
    from veil.service.container import Services


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

    def parameters(self) -> dict[str, Any]:
        return self._jobs.get_parameters(self.job_id)
