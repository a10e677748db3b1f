"""Background execution: the durable job table, the task registry and the executors."""

from veil.jobs.context import JobContext
from veil.jobs.registry import register_task
from veil.jobs.service import JobService, job_to_dict

__all__ = ["JobContext", "JobService", "job_to_dict", "register_task"]
