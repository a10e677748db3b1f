"""Fixtures of the MLOps tests: a Veil app on a fresh SQLite database with MLflow tracking on
its embedded store, and a real ``mlflow server`` on loopback (started once per module)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.conftest import make_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def sqlite_url(tmp_path: Path, _sqlite_template: Path) -> str:
    target = tmp_path / "veil.db"
    shutil.copyfile(_sqlite_template, target)
    return f"sqlite:///{target}"


class App:
    """A Veil service in-process (Starlette TestClient) with the given settings."""

    def __init__(self, tmp_path: Path, database_url: str, **overrides: Any) -> None:
        from starlette.testclient import TestClient

        from veil.api import create_app
        from veil.service.container import Services

        self.settings = make_settings(tmp_path, database_url, **overrides)
        self.services = Services(self.settings)
        self.client = TestClient(create_app(self.settings, services=self.services), raise_server_exceptions=False)
        self.client.__enter__()

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.services.close()


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Any]:
    apps: list[App] = []

    def build(database_url: str, **overrides: Any) -> App:
        app = App(tmp_path, database_url, **overrides)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.close()


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``mlflow server`` on a free loopback port with its own SQLite store and proxied artifacts."""
    root = tmp_path_factory.mktemp("mlflow-server")
    port = free_port()
    mlflow_bin = Path(sys.executable).with_name("mlflow")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env["MLFLOW_DISABLE_TELEMETRY"] = "true"
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(mlflow_bin), "server", "--backend-store-uri", f"sqlite:///{root / 'server.db'}",
         "--artifacts-destination", str(root / "artifacts"), "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"mlflow server exited: {(root / 'server.log').read_text()[-2000:]}")
            try:
                if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx2.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("mlflow server did not become healthy in 120 s")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()
