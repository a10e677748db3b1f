"""Fixtures for the scale-out tests: a real Dask cluster (scheduler + workers as separate
processes on loopback) and an S3 server (moto) on loopback.

``s3_server`` is reusable by other test directories::

    from tests.scale.conftest import _moto_endpoint, s3_server  # noqa: F401  (pytest fixtures)
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests._servers import make_bucket, moto_s3, s3_options

REPO = Path(__file__).resolve().parents[2]
DASK = str(Path(sys.executable).with_name("dask"))


@dataclass
class DaskCluster:
    """A scheduler and workers started with the ``dask`` CLI; workers preload the test tasks."""

    workdir: Path
    address: str = ""
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _logs: list[Any] = field(default_factory=list)
    _client: Any = None
    _wanted: int = 0
    _sched_file: Path | None = None

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("VEIL_") or k.startswith("VEIL_TEST_")}
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO), str(REPO / "src"), env.get("PYTHONPATH")) if p
        )
        env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "3"
        return env

    def _spawn(self, args: list[str], log_name: str) -> subprocess.Popen[bytes]:
        log = open(self.workdir / log_name, "wb")  # noqa: SIM115 (kept open for the process's life)
        self._logs.append(log)
        return subprocess.Popen(args, cwd=REPO, env=self._env(), stdout=log, stderr=subprocess.STDOUT)

    def launch(self, n_workers: int) -> None:
        """Start the scheduler and the workers without waiting for them (see ``ready``)."""
        self._wanted = n_workers
        sched_file = self.workdir / "scheduler.json"
        self.scheduler = self._spawn(
            [
                DASK,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(sched_file),
            ],
            "scheduler.log",
        )
        self._sched_file = sched_file

    def ready(self) -> None:
        """Wait until the scheduler is up and the launched workers have joined it."""
        if self.address:
            return
        sched_file = self._sched_file
        assert self.scheduler is not None and sched_file is not None
        deadline = time.monotonic() + 60
        while not sched_file.exists() or not sched_file.read_text().strip():
            if time.monotonic() > deadline or self.scheduler.poll() is not None:
                raise RuntimeError("the Dask scheduler did not start: " + self.log("scheduler.log"))
            time.sleep(0.1)
        self.address = json.loads(sched_file.read_text())["address"]
        for _ in range(self._wanted):
            self.add_worker()
        self.wait_workers(self._wanted)

    def add_worker(self) -> subprocess.Popen[bytes]:
        i = len(self.workers)
        proc = self._spawn(
            [
                DASK,
                "worker",
                self.address,
                "--host",
                "127.0.0.1",
                "--nthreads",
                "2",
                "--no-nanny",
                "--no-dashboard",
                "--memory-limit",
                "0",
                "--death-timeout",
                "60",
                "--name",
                f"w{i}",
                "--preload",
                "tests.scale.tasks",
            ],
            f"worker-{i}.log",
        )
        self.workers.append(proc)
        return proc

    def live_workers(self) -> list[subprocess.Popen[bytes]]:
        return [w for w in self.workers if w.poll() is None]

    def client(self) -> Any:
        """One client for the fixture's own checks (the services under test make their own)."""
        from distributed import Client

        if self._client is None:
            self._client = Client(self.address, set_as_default=False, timeout=20)
        return self._client

    def wait_workers(self, n: int, timeout: float = 60) -> None:
        self.client().wait_for_workers(n, timeout=timeout)

    def ensure_workers(self, n: int) -> None:
        while len(self.live_workers()) < n:
            self.add_worker()
        self.wait_workers(n)

    def kill(self, pid: int) -> None:
        proc = next(w for w in self.workers if w.pid == pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def forget_services(self) -> None:
        """Dispose the workers' per-test database pools (PostgreSQL test databases get dropped)."""
        from tests.scale.tasks import forget_services

        self.client().run(forget_services)

    def log(self, name: str) -> str:
        path = self.workdir / name
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        """Kill our processes: workers and scheduler hold no state worth a graceful close."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close(timeout=2)
        for proc in [*self.workers, self.scheduler]:
            if proc is not None and proc.poll() is None:
                proc.kill()
        for proc in [*self.workers, self.scheduler]:
            if proc is not None:
                proc.wait(timeout=10)
        for log in self._logs:
            log.close()


def _uses_cluster(item: pytest.Item) -> bool:
    return "cluster" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of this directory that need the Dask cluster run after the others, so that the
    cluster (launched at the start of the session) comes up while the others run."""
    mine = [i for i in items if Path(str(i.fspath)).parent == Path(__file__).parent]
    if not mine:
        return
    first = items.index(mine[0])
    ordered = [i for i in mine if not _uses_cluster(i)] + [i for i in mine if _uses_cluster(i)]
    rest = [i for i in items if i not in mine]
    items[:] = rest[:first] + ordered + rest[first:]


@pytest.fixture(scope="session")
def dask_cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DaskCluster | None]:
    """The session's cluster (see :func:`_early_cluster` for when it is launched); stopped at the end."""
    if not any(_uses_cluster(i) for i in request.session.items):
        yield None
        return
    cluster = DaskCluster(tmp_path_factory.mktemp("dask"))
    try:
        cluster.launch(2)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session", autouse=True)
def _early_cluster(request: pytest.FixtureRequest) -> None:
    """In a serial run the cluster is launched at the start of the session, so that it comes up
    while the other tests run. Under pytest-xdist every worker collects every test but runs only
    some: there the cluster is launched by the first test that needs it, on that worker only."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        request.getfixturevalue("dask_cluster")


@pytest.fixture
def cluster(dask_cluster: DaskCluster | None) -> Iterator[DaskCluster]:
    """The session cluster with two live workers; worker caches are cleaned after the test."""
    assert dask_cluster is not None
    dask_cluster.ready()
    dask_cluster.ensure_workers(2)
    yield dask_cluster
    dask_cluster.forget_services()


@pytest.fixture
def dask_services(tmp_path: Path, database_url: str, cluster: DaskCluster) -> Iterator[Any]:
    """``Services`` with ``VEIL_DASK_SCHEDULER`` pointing at the test cluster (both databases)."""
    import tests.scale.tasks  # noqa: F401  (registers the test kinds in this process too)
    from tests.conftest import make_settings
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, dask_scheduler=cluster.address)
    services = Services(settings)
    yield services
    services.close()


# --------------------------------------------------------------------------- S3 (moto)
@dataclass
class S3Server:
    endpoint_url: str
    bucket: str
    storage_options: dict[str, Any]

    def url(self, path: str = "") -> str:
        return f"s3://{self.bucket}/{path}".rstrip("/")


@pytest.fixture(scope="session")
def _moto_endpoint() -> Iterator[str]:
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture
def s3_server(_moto_endpoint: str) -> S3Server:
    """moto's S3 server on loopback with a fresh bucket: endpoint, bucket and fsspec storage options."""
    return S3Server(
        endpoint_url=_moto_endpoint, bucket=make_bucket(_moto_endpoint), storage_options=s3_options(_moto_endpoint)
    )
