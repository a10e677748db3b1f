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

import os
import shutil
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


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str | None]:
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
    yield name
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
    tpl = request.getfixturevalue("_pg_template")
    if tpl is None:
        pytest.skip("PostgreSQL not reachable (set VEIL_TEST_REQUIRE_POSTGRES=1 to fail instead)")
    name = f"veil_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{tpl}"'))
    try:
        yield _with_db(PG_URL, name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's VEIL_* environment (except the test database URLs)."""
    for name in list(os.environ):
        if name.startswith("VEIL_") and not name.startswith("VEIL_TEST_"):
            monkeypatch.delenv(name, raising=False)
