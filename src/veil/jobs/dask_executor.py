"""Run jobs on a Dask ``distributed`` cluster (``VEIL_DASK_SCHEDULER=tcp://host:8786``).

How it fits together:

* The service process holds one :class:`DaskExecutor`. ``submit`` puts the job id in a
  per-lane FIFO queue; a dispatcher thread sends queued jobs to the cluster while their
  lane has room (``anonymize``: ``VEIL_ANONYMIZE_CONCURRENCY`` at a time; ``default``:
  no local limit, the scheduler queues them on the workers' threads).
* Each job is one Dask task, :func:`run_job_on_worker`, which rebuilds ``Services`` from
  the settings JSON once per worker process and calls
  :func:`veil.jobs.runner.execute_job`: job state lives only in the database.
* A task that calls ``ctx.map(fn, items)`` fans the items out as further Dask tasks
  (``fn`` is a ``"module:function"`` name resolved on the worker), secedes from the
  worker's thread pool while it waits, aggregates progress, polls the cancel flag and
  cancels outstanding pieces, and returns the results in order.

Worker loss: Dask reschedules a task whose worker died. The re-run finds its job still
``running`` (the dead attempt claimed it), puts it back to ``pending`` and claims it again;
after ``MAX_ATTEMPTS`` claims the job fails with a clear reason. If the scheduler gives
up on the task (``KilledWorker``) or the future disappears (scheduler restart), the
dispatcher fails or re-queues the job, so a job never stays ``running`` forever while its
future is gone.
"""

from __future__ import annotations

import itertools
import json
import logging
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from veil.errors import JobCancelledError, VeilError
from veil.jobs.context import resolve_target
from veil.jobs.service import CANCELLED, FAILED, PENDING, RUNNING, TERMINAL, JobService
from veil.store.db import Database
from veil.store.models import Job, utcnow

if TYPE_CHECKING:
    from distributed import Client, Future

    from veil.jobs.context import JobContext

log = logging.getLogger("veil.jobs")

#: A job is claimed at most this many times (first run + re-runs after lost workers).
MAX_ATTEMPTS = 3
#: Retries of one ``ctx.map`` piece after an unexpected exception (worker loss is retried by Dask itself).
MAP_RETRIES = 2
#: How often waiting loops poll the cancel flag and their futures (seconds).
POLL_INTERVAL = 0.2


# --------------------------------------------------------------------------- shared helpers
def requeue_orphan(jobs: JobService, job_id: str, reason: str, *, max_attempts: int = MAX_ATTEMPTS) -> str:
    """A job left ``running`` by a lost attempt: put it back to pending, or end it.

    Returns the job's status afterwards (``pending``, ``failed``, ``cancelled`` or the
    unchanged status when it was not ``running``).
    """
    with jobs.db.session() as s:
        job = s.get(Job, job_id)
        if job is None:
            return "missing"
        if job.status != RUNNING:
            return job.status
        cancel, attempts = bool(job.cancel_requested), int(job.attempts or 0)
    if cancel:
        jobs.finish(job_id, CANCELLED, message="cancelled (its worker was lost)")
        return CANCELLED
    if attempts >= max_attempts:
        jobs.finish(
            job_id,
            FAILED,
            error=f"the Dask worker running this job was lost {attempts} times; giving up",
        )
        return FAILED
    now = utcnow()
    with jobs.db.session() as s:
        res = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == RUNNING)
            .values(status=PENDING, progress=0.0, step="queued", message=reason, updated_at=now)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            job = s.get(Job, job_id)
            assert job is not None
            jobs._append_event(s, job)
    return PENDING


def _call_target(target: str, item: Any) -> tuple[bool, Any]:
    """Run one ``ctx.map`` piece on a worker. A ``VeilError`` is returned, not raised,
    so that Dask's retries are spent only on unexpected failures."""
    try:
        return True, resolve_target(target)(item)
    except VeilError as exc:
        return False, exc


def map_on_cluster(
    client: Client,
    ctx: JobContext,
    fn: str,
    items: Sequence[Any],
    *,
    start: float,
    end: float,
    step: str | None,
    retries: int = MAP_RETRIES,
) -> list[Any]:
    """Submit ``fn(item)`` for every item, aggregate progress, honour cancellation; results in order."""
    n = len(items)
    if n == 0:
        return []
    token = uuid.uuid4().hex[:12]
    futures = [
        client.submit(
            _call_target, fn, item, key=f"veil-map-{ctx.job_id}-{token}-{i}", retries=retries, pure=False
        )
        for i, item in enumerate(items)
    ]
    position = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * n
    pending: set[Future] = set(futures)
    ready: queue.Queue[Future] = queue.Queue()
    for fut in futures:  # callbacks run on the client's own thread: no default client needed
        fut.add_done_callback(ready.put)
    finished = 0
    try:
        while pending:
            if ctx.cancelled:
                raise JobCancelledError("job cancelled", field="job_id")
            try:
                done = [ready.get(timeout=POLL_INTERVAL)]
            except queue.Empty:
                continue
            while True:
                try:
                    done.append(ready.get_nowait())
                except queue.Empty:
                    break
            for fut in done:
                if fut not in pending:
                    continue
                pending.discard(fut)
                if fut.status == "cancelled":
                    raise JobCancelledError("a piece of the job was cancelled", field="job_id")
                ok, value = fut.result()  # re-raises an unexpected error after the retries
                if not ok:
                    raise value
                results[position[fut.key]] = value
                finished += 1
            ctx.progress(start + (end - start) * finished / n, step=step, force=finished == n)
    finally:
        if pending:
            client.cancel(list(pending))
    return results


class WorkerMapper:
    """``services.executor`` inside a worker: lets ``ctx.map`` spread over the cluster."""

    name = "dask-worker"

    def __init__(self, retries: int = MAP_RETRIES) -> None:
        self.retries = retries

    def map_chunks(
        self,
        ctx: JobContext,
        fn: str,
        items: Sequence[Any],
        *,
        start: float = 0.0,
        end: float = 100.0,
        step: str | None = None,
    ) -> list[Any]:
        from distributed import worker_client

        # worker_client() secedes this task from the worker's thread pool while it waits,
        # so the pieces can run on this worker too (no deadlock with one thread).
        with worker_client() as client:
            return map_on_cluster(
                client, ctx, fn, items, start=start, end=end, step=step, retries=self.retries
            )

    def submit(self, job_id: str, queue: str) -> None:
        raise RuntimeError("jobs are submitted by the service's DaskExecutor, not from a worker")

    def cancel(self, job_id: str) -> None:
        return None

    def shutdown(self, wait: bool = False) -> None:
        return None

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "status": "ok"}


# --------------------------------------------------------------------------- worker side
_WORKER_SERVICES: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


def worker_services(settings_json: str) -> Any:
    """``Services`` for this worker process, built once per settings (no executor, no migrations)."""
    from veil.service.container import Services
    from veil.settings import Settings

    with _WORKER_LOCK:
        services = _WORKER_SERVICES.get(settings_json)
        if services is None:
            settings = Settings(_env_file=None, **json.loads(settings_json))  # type: ignore[call-arg]
            services = Services(settings, start_executor=False, migrate=False)
            services.executor = WorkerMapper()
            _WORKER_SERVICES[settings_json] = services
    return services


def run_job_on_worker(job_id: str, settings_json: str) -> str:
    """The Dask task of one job. Same as ``veil.jobs.runner.run_job_remote`` plus two things:
    ``ctx.map`` spreads over the cluster, and a re-run after a lost worker takes the job over."""
    from veil.jobs.runner import execute_job

    services = worker_services(settings_json)
    status = requeue_orphan(services.jobs, job_id, "re-running: the Dask worker running it was lost")
    if status in TERMINAL:
        return "skipped"
    return execute_job(job_id, services)


# --------------------------------------------------------------------------- service side
class DaskExecutor:
    """The ``Executor`` for a Dask cluster. See the module docstring."""

    name = "dask"

    def __init__(
        self,
        scheduler_address: str,
        settings_json: str,
        *,
        connect_timeout: float = 10.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        from veil.settings import Settings

        self.scheduler_address = scheduler_address
        self._settings_json = settings_json
        settings = Settings(_env_file=None, **json.loads(settings_json))  # type: ignore[call-arg]
        self._db = Database(settings.resolved_database_url)
        self._jobs = JobService(self._db)
        self._limits: dict[str, int | None] = {
            "default": None,
            "anonymize": settings.anonymize_concurrency,
        }
        self._connect_timeout = connect_timeout
        self._max_attempts = max_attempts
        self._cond = threading.Condition()
        self._queues: dict[str, deque[str]] = {lane: deque() for lane in self._limits}
        self._running: dict[str, int] = {lane: 0 for lane in self._limits}
        self._futures: dict[str, Future] = {}
        self._lane_of: dict[str, str] = {}
        self._done: deque[tuple[str, Future]] = deque()
        self._retries: list[tuple[float, Any]] = []
        self._client: Client | None = None
        self._status = "connecting"
        self._error: str | None = None
        self._closed = False
        self._counter = itertools.count()
        self._connect_once()  # usually ready at once; otherwise the dispatcher keeps trying
        self._thread = threading.Thread(target=self._loop, name="veil-dask-dispatch", daemon=True)
        self._thread.start()

    # --- Executor protocol
    def submit(self, job_id: str, queue: str) -> None:
        lane = queue if queue in self._queues else "default"
        with self._cond:
            if self._closed:
                return
            self._queues[lane].append(job_id)
            self._cond.notify_all()

    def cancel(self, job_id: str) -> None:
        """Drop a queued job; cancel the job's future (and so its pieces) if it was sent."""
        with self._cond:
            for q in self._queues.values():
                if job_id in q:
                    q.remove(job_id)
            fut = self._futures.get(job_id)
        if fut is not None and self._client is not None:
            try:
                self._client.cancel([fut])
            except Exception:  # the scheduler may be unreachable; the job flag still stops the task
                log.warning("could not cancel the Dask future of job %s", job_id)

    def shutdown(self, wait: bool = False) -> None:
        with self._cond:
            self._closed = True
            self._status = "stopped"
            self._error = None
            self._cond.notify_all()
        if wait:
            self._thread.join(timeout=10)
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close(timeout=5)
            except Exception:
                log.debug("error closing the Dask client", exc_info=True)
        self._db.dispose()

    def describe(self) -> dict[str, Any]:
        with self._cond:
            out: dict[str, Any] = {
                "executor": self.name,
                "status": self._status,
                "scheduler": self.scheduler_address,
                "lanes": {k: ("cluster" if v is None else v) for k, v in self._limits.items()},
                "active": len(self._futures),
                "queued": sum(len(q) for q in self._queues.values()),
            }
            client = self._client
        if self._error:
            out["error"] = self._error
        if client is not None and self._status == "ok":
            try:
                info = client.scheduler_info(n_workers=0)  # totals only, cheap with many workers
                out["workers"] = int(info.get("n_workers", len(info.get("workers", {}))))
                out["threads"] = int(info.get("total_threads", 0))
            except Exception:
                out["status"] = "error"
        return out

    # --- for JobContext.map when a task runs in this process
    def map_chunks(
        self,
        ctx: JobContext,
        fn: str,
        items: Sequence[Any],
        *,
        start: float = 0.0,
        end: float = 100.0,
        step: str | None = None,
    ) -> list[Any]:
        client = self._wait_client()
        return map_on_cluster(client, ctx, fn, items, start=start, end=end, step=step)

    # --- internals
    def _wait_client(self) -> Client:
        with self._cond:
            while self._client is None and not self._closed:
                self._cond.wait(POLL_INTERVAL)
            if self._client is None:
                raise RuntimeError("the Dask executor is stopped")
            return self._client

    def _connect_once(self) -> bool:
        from distributed import Client

        try:
            client = Client(self.scheduler_address, set_as_default=False, timeout=self._connect_timeout)
        except Exception as exc:  # OSError, TimeoutError: keep trying, report it in /health
            with self._cond:
                if not self._closed:
                    self._status = "unavailable"
                    self._error = f"cannot reach the Dask scheduler: {type(exc).__name__}"
            log.warning("cannot reach the Dask scheduler at %s; retrying", self.scheduler_address)
            return False
        with self._cond:
            if self._closed:
                client.close()
                return True
            self._client = client
            self._status = "ok"
            self._error = None
            self._cond.notify_all()
        return True

    def _connect(self) -> None:
        """Connect (first try in ``__init__``, then retries with back-off here)."""
        delay = 1.0
        while not self._closed and self._client is None:
            if self._connect_once():
                return
            with self._cond:
                self._cond.wait(delay)
            delay = min(delay * 2, 30.0)

    def _loop(self) -> None:
        self._connect()
        while True:
            with self._cond:
                while not self._closed and not self._done and not self._launchable():
                    if self._retries:
                        self._cond.wait(max(0.0, min(t for t, _ in self._retries) - time.monotonic()))
                        if min(t for t, _ in self._retries) <= time.monotonic():
                            break
                    else:
                        self._cond.wait(1.0)
                if self._closed:
                    return
                finished = list(self._done)
                self._done.clear()
                to_launch = self._take_launchable()
            try:
                for job_id, fut in finished:
                    lane = self._release(job_id, fut)
                    self._reconcile_safely(job_id, fut, lane, tries=0)
                for lane, job_id in to_launch:
                    self._launch(lane, job_id)
                self._run_due_retries()
            except Exception:  # the dispatcher must outlive any single failure
                log.exception("error in the Dask dispatcher")

    # --- retries of bookkeeping that failed (database hiccups must not kill the dispatcher)
    def _retry_later(self, action: Any, delay: float = 1.0) -> None:
        with self._cond:
            self._retries.append((time.monotonic() + delay, action))
            self._cond.notify_all()

    def _run_due_retries(self) -> None:
        now = time.monotonic()
        with self._cond:
            due = [a for t, a in self._retries if t <= now]
            self._retries = [(t, a) for t, a in self._retries if t > now]
        for action in due:
            action()

    def _reconcile_safely(self, job_id: str, fut: Future, lane: str, tries: int) -> None:
        try:
            self._reconcile(job_id, fut, lane)
        except Exception:
            if tries >= 60:
                log.error("giving up reconciling job %s after a finished Dask task", job_id)
                return
            log.warning("could not reconcile job %s (attempt %d); will retry", job_id, tries + 1)
            self._retry_later(
                lambda: self._reconcile_safely(job_id, fut, lane, tries + 1), delay=min(30.0, 1.0 + tries)
            )

    def _launchable(self) -> bool:
        return any(
            q and (self._limits[lane] is None or self._running[lane] < (self._limits[lane] or 0))
            for lane, q in self._queues.items()
        )

    def _take_launchable(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for lane, q in self._queues.items():
            limit = self._limits[lane]
            while q and (limit is None or self._running[lane] < limit):
                job_id = q.popleft()
                if job_id in self._futures:  # already on the cluster
                    continue
                self._running[lane] += 1
                self._lane_of[job_id] = lane
                out.append((lane, job_id))
        return out

    def _launch(self, lane: str, job_id: str) -> None:
        client = self._client
        assert client is not None
        try:
            fut = client.submit(
                run_job_on_worker,
                job_id,
                self._settings_json,
                key=f"veil-job-{job_id}-{next(self._counter)}-{uuid.uuid4().hex[:8]}",
                pure=False,
            )
        except Exception as exc:
            log.error("could not send job %s to Dask: %s", job_id, type(exc).__name__)
            self._release_slot(lane, job_id)
            self._retry_later(lambda: self.submit(job_id, lane), delay=5.0)
            return
        with self._cond:
            self._futures[job_id] = fut

        def done(f: Future) -> None:
            with self._cond:
                self._done.append((job_id, f))
                self._cond.notify_all()

        fut.add_done_callback(done)

    def _release(self, job_id: str, fut: Future) -> str:
        """A job future ended: forget it and free its lane slot. Returns the lane."""
        with self._cond:
            if self._futures.get(job_id) is fut:
                del self._futures[job_id]
            lane = self._lane_of.pop(job_id, "default")
            self._running[lane] = max(0, self._running[lane] - 1)
            self._cond.notify_all()
        return lane

    def _release_slot(self, lane: str, job_id: str) -> None:
        with self._cond:
            self._lane_of.pop(job_id, None)
            self._running[lane] = max(0, self._running[lane] - 1)

    def _reconcile(self, job_id: str, fut: Future, lane: str) -> None:
        """Make sure a job whose future ended is not left running (fail, cancel or re-queue it)."""
        if self._closed:
            return
        status = fut.status
        try:
            job = self._jobs.get(job_id)
        except VeilError:
            return
        if job["status"] in TERMINAL:
            return
        if status == "finished":
            # The task returned without ending the job: a re-run put it back to pending just as
            # the task gave up (or it could not be claimed). Send it again; claims are bounded.
            if job["status"] == PENDING:
                self.submit(job_id, lane)
            return
        if status == "error":
            exc = fut.exception()
            if type(exc).__name__ == "KilledWorker":
                self._jobs.finish(
                    job_id, FAILED, error="the Dask workers running this job died repeatedly; giving up"
                )
            else:
                self._jobs.finish(
                    job_id, FAILED, error=f"internal error on a Dask worker: {type(exc).__name__}"
                )
            return
        # cancelled: by us (job cancel) or lost with the scheduler
        if self._jobs.cancel_requested(job_id):
            self._jobs.finish(job_id, CANCELLED)
            return
        after = requeue_orphan(
            self._jobs, job_id, "re-queued: its Dask task was lost", max_attempts=self._max_attempts
        )
        if after == PENDING:
            self.submit(job_id, lane)
