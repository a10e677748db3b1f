"""SDK core error mapping (sync and async, in-process), the CLI, and `veil serve` as a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from veil.cli.main import app as cli
from veil.client import (
    AnonymizationConnectionError,
    APIError,
    AsyncClient,
    SyncClient,
    TierRestrictionError,
    ValidationError,
)
from veil.client.jobs import VeilClient

from . import job_tasks  # noqa: F401
from .test_jobs import wait_for


def test_sync_client_maps_errors(client: Any, services: Any) -> None:
    core = SyncClient(http_client=client)
    assert core._request("GET", "/health")["status"] == "ok"
    with pytest.raises(APIError) as e:
        core._request("GET", "/v1/jobs/nope")
    assert e.value.status_code == 404 and e.value.field == "job_id"
    with pytest.raises(ValidationError) as v:
        core._request("GET", "/v1/jobs", params={"limit": 0})
    assert v.value.field == "limit"
    key = services.auth.create_key("limited", features=["text"])["key"]
    with pytest.raises(TierRestrictionError) as t:
        SyncClient(http_client=client, api_key=key)._request("GET", "/v1/jobs")
    assert t.value.feature == "jobs" and t.value.required_tier == "free"


async def test_async_client_in_process(app: Any, services: Any) -> None:
    job = services.jobs.submit("test.quick", {"value": 5}, "local")
    wait_for(services, job["job_id"])
    async with AsyncClient("http://veil.test", transport=httpx2.ASGITransport(app=app)) as core:
        status = await core._request("GET", f"/v1/jobs/{job['job_id']}")
        assert status["context"]["result"] == {"value": 10}
        with pytest.raises(APIError):
            await core._request("POST", f"/v1/jobs/{job['job_id']}/cancel")


def test_connection_error() -> None:
    with pytest.raises(AnonymizationConnectionError):
        SyncClient("http://127.0.0.1:9", timeout=2)._request("GET", "/health")


def test_cli_keys_lifecycle(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["keys", "create", "ci-bot", "--tier", "standard", "--data-dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    key = r.stdout.strip().splitlines()[-1]
    assert key.startswith("veil_")
    listed = runner.invoke(cli, ["keys", "list", "--data-dir", str(tmp_path)])
    assert "ci-bot" in listed.stdout and key not in listed.stdout
    assert runner.invoke(cli, ["keys", "revoke", "ci-bot", "--data-dir", str(tmp_path)]).exit_code == 0
    bad = runner.invoke(cli, ["keys", "create", "x", "--tier", "platinum", "--data-dir", str(tmp_path)])
    assert bad.exit_code == 2 and "unknown tier" in bad.output


def test_cli_refuses_public_bind_without_auth(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert r.exit_code == 2
    assert "refusing" in r.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path) -> Any:
    """`veil serve` in a subprocess on loopback, stopped after the test."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEIL_")}
    env.update(VEIL_PORT=str(port), VEIL_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "veil.cli.main", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx2.get(url + "/health", timeout=1).status_code == 200:
                break
        except httpx2.TransportError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise AssertionError(proc.stdout.read().decode() if proc.stdout else "server did not start")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.slow
def test_serve_health_cli_and_sdk_against_real_server(live_server: str, tmp_path: Path) -> None:
    health = httpx2.get(live_server + "/health").json()
    assert health["status"] == "ok"
    assert health["components"]["database"]["status"] == "ok"
    assert health["components"]["storage"]["status"] == "ok"
    assert (tmp_path / "data" / "veil.db").exists()
    client = VeilClient(live_server)
    assert client.list_jobs()["total"] == 0
    client.close()
    runner = CliRunner()
    r = runner.invoke(cli, ["jobs", "list", "--json", "--url", live_server])
    assert r.exit_code == 0 and '"total": 0' in r.stdout
    r = runner.invoke(cli, ["audit", "list", "--url", live_server])
    assert r.exit_code == 0 and "list_jobs" in r.stdout
    r = runner.invoke(cli, ["jobs", "cancel", "nope", "--url", live_server])
    assert r.exit_code == 1 and "not found" in r.output
