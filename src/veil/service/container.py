"""``Services``: everything stateful, built once from ``Settings`` and shared by the app and the workers."""

from __future__ import annotations

import json
import logging
from typing import Any

from veil.jobs.executor import InProcessExecutor
from veil.jobs.service import JobService
from veil.service.audit import AuditLog
from veil.service.auth import AuthService
from veil.settings import Settings
from veil.store.db import Database
from veil.store.objects import ObjectStore
from veil.store.secrets import SecretBox

log = logging.getLogger("veil")


class Services:
    def __init__(self, settings: Settings, *, start_executor: bool = True, migrate: bool = True) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(settings.resolved_database_url)
        if migrate:
            self.db.upgrade()
        self.store = ObjectStore(settings.resolved_storage_url, settings.storage_options)
        self.secrets = SecretBox.from_settings(settings)
        self.jobs = JobService(self.db)
        self.audit = AuditLog(self.db)
        self.auth = AuthService(self.db, settings)
        self.executor: Any = None
        if start_executor:
            self.start_executor()

    def settings_json(self) -> str:
        """Settings as JSON with secrets in clear, for rebuilding Services in a worker process."""
        data = self.settings.model_dump(mode="json")
        for name in ("master_key", "pseudonym_secret"):
            value = getattr(self.settings, name)
            data[name] = value.get_secret_value() if value is not None else None
        data["data_dir"] = str(self.settings.data_dir.resolve())
        return json.dumps(data, sort_keys=True)

    def start_executor(self) -> None:
        from veil.jobs.registry import load_task_modules
        from veil.jobs.runner import execute_job

        load_task_modules()
        if self.settings.dask_scheduler:
            from veil.jobs.dask_executor import DaskExecutor

            self.executor = DaskExecutor(self.settings.dask_scheduler, self.settings_json())
        else:
            self.executor = InProcessExecutor(
                lambda job_id: execute_job(job_id, self),
                {"default": self.settings.workers, "anonymize": self.settings.anonymize_concurrency},
            )
        self.jobs.attach_executor(self.executor)
        for job_id in self.jobs.recover(self.settings.job_recovery):
            self.executor.submit(job_id, self.jobs._queue_of(job_id))
        # a serving process also deletes expired uploads, even before its first upload
        from veil.service.uploads import ensure_sweeper

        ensure_sweeper(self)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False)
        self.db.dispose()
