"""Fixtures: the service with two API keys (two principals), in-process and on a real uvicorn."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._servers import moto_s3, serve_service
from tests.conftest import make_settings

KEY_A = "veil-test-key-a-0123456789"
KEY_B = "veil-test-key-b-0123456789"


def principal_id(key: str) -> str:
    from veil.store.secrets import hash_api_key

    return f"env-{hash_api_key(key)[:12]}"


@pytest.fixture
def two_keys(tmp_path: Path, database_url: str) -> Iterator[tuple[Any, Any]]:
    """(TestClient, services) with auth on and two keys."""
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, api_keys=f"{KEY_A},{KEY_B}", max_upload_bytes=200_000)
    services = Services(settings)
    with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as client:
        yield client, services
    services.close()


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    """The whole service on uvicorn (loopback, SQLite, auth off) for the SDK and the CLI."""
    with serve_service(make_settings(tmp_path, f"sqlite:///{tmp_path / 'live.db'}")) as url:
        yield url


def people_csv(n: int = 400) -> str:
    """A table whose zip codes have leading zeros."""
    rows = ["zip,age,sex,disease"]
    rows += [f"0{2130 + i % 7},{20 + i % 40},{'MF'[i % 2]},d{i % 3}" for i in range(n)]
    return "\n".join(rows) + "\n"


ATTRS = [
    {"name": "zip", "type": "quasi_identifier", "hierarchy": {"type": "masking"}},
    {"name": "age", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 10}},
    {"name": "sex", "type": "insensitive"},
    {"name": "disease", "type": "insensitive"},
]


def wait_done(services: Any, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (job := services.jobs.get(job_id))["status"] not in ("completed", "failed", "cancelled"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    return job


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """moto's S3 server on loopback."""
    with moto_s3() as endpoint:
        yield endpoint
