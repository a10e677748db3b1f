"""Shared fixtures. Every test that touches storage runs on SQLite AND PostgreSQL.

* ``database_url`` is parametrized over ``sqlite`` and ``postgresql``. Each test gets its own
  fresh database, cloned from a template migrated once per session (a file copy for
  SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL), and dropped afterwards.
* PostgreSQL comes from ``VEIL_TEST_POSTGRES_URL`` (default: the local trust-auth server).
  If it is unreachable the PostgreSQL variants are skipped, unless
  ``VEIL_TEST_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which makes that a failure.
* ``settings`` / ``services`` / ``app`` / ``client`` build the whole service on that database
  with a temporary data directory; ``client`` is a Starlette TestClient (in-process).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("VEIL_TEST_POSTGRES_URL", DEFAULT_PG)
REQUIRE_PG = os.environ.get("VEIL_TEST_REQUIRE_POSTGRES", "") == "1"
BACKENDS = ["sqlite", "postgresql"]


def _pg_admin() -> sa.Engine:
    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


def _with_db(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from veil.store.db import Database

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


class _PgDatabases:
    """Fresh PostgreSQL databases cloned from the session's template by a background thread.

    ``CREATE DATABASE ... TEMPLATE`` and ``DROP DATABASE`` take about 0.1 s each, mostly the
    server's I/O; done here, one database ahead, they overlap with the tests instead of adding
    to each one's setup and teardown. A test's database is dropped after it, never reused.
    """

    def __init__(self, template: str) -> None:
        self.template = template
        self.admin = _pg_admin()
        self.ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=1)
        self.to_drop: queue.Queue[str | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-test-databases", daemon=True)
        self._thread.start()

    def _create(self) -> str:
        name = f"veil_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return name

    def _drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._drain_drops()
            try:
                made: str | BaseException = self._create()
            except Exception as exc:  # handed to the test that takes it
                made = exc
            while not self._stop.is_set():
                try:
                    self.ready.put(made, timeout=0.05)
                    break
                except queue.Full:
                    self._drain_drops()
            else:
                if isinstance(made, str):
                    self._drop(made)

    def _drain_drops(self) -> None:
        while True:
            try:
                name = self.to_drop.get_nowait()
            except queue.Empty:
                return
            if name is not None:
                with contextlib.suppress(Exception):
                    self._drop(name)

    def take(self) -> str:
        made = self.ready.get(timeout=120)
        if isinstance(made, BaseException):
            raise made
        return made

    def release(self, name: str) -> None:
        self.to_drop.put(name)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        self._drain_drops()
        with contextlib.suppress(queue.Empty):
            while True:
                made = self.ready.get_nowait()
                if isinstance(made, str):
                    self._drop(made)
        self.admin.dispose()


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[_PgDatabases | None]:
    from veil.store.db import Database

    try:
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (VEIL_TEST_REQUIRE_POSTGRES=1) but unreachable: {exc}")
        yield None
        return
    name = f"veil_tpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    db = Database(_with_db(PG_URL, name))
    db.upgrade()
    db.dispose()
    databases = _PgDatabases(name)
    try:
        yield databases
    finally:
        databases.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        target = tmp_path / "veil.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    databases: _PgDatabases | None = request.getfixturevalue("_pg_template")
    if databases is None:
        pytest.skip("PostgreSQL not reachable (set VEIL_TEST_REQUIRE_POSTGRES=1 to fail instead)")
    name = databases.take()
    try:
        yield _with_db(PG_URL, name)
    finally:
        databases.release(name)


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


def make_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Any:
    from veil.settings import Settings

    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "workers": 2,
        "auth": "auto",
        "api_keys": None,
        "log_format": "console",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Any:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def services(settings: Any) -> Iterator[Any]:
    from veil.service.container import Services

    svc = Services(settings)
    yield svc
    svc.close()


@pytest.fixture
def app(settings: Any, services: Any) -> Any:
    from veil.api import create_app

    return create_app(settings, services=services)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from starlette.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


#: directories whose tests share an expensive session/package fixture (a Dask cluster, a browser
#: and live servers, an ``mlflow server``, the no-500 battery's world): under ``pytest -n 2 --dist
#: loadgroup`` (``make test``) each runs on one worker, so the fixture is built once.
_GROUPED = {"scale", "console", "mlops"}
_GROUPED_FILES = {"test_no_500.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(__file__).parent
    for item in items:
        path = Path(str(item.fspath))
        try:
            top = path.relative_to(root).parts[0]
        except ValueError:
            continue
        if top in _GROUPED:
            item.add_marker(pytest.mark.xdist_group(top))
        elif path.name in _GROUPED_FILES:
            item.add_marker(pytest.mark.xdist_group(path.stem))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's VEIL_* environment (except the test database URLs)."""
    for name in list(os.environ):
        if name.startswith("VEIL_") and not name.startswith("VEIL_TEST_"):
            monkeypatch.delenv(name, raising=False)
