from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class S3:
    endpoint_url: str
    bucket: str
    storage_options: dict[str, Any]

    def url(self, path: str) -> str:
        return f"s3://{self.bucket}/{path}"


@pytest.fixture(scope="session")
def _moto() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(_moto: str) -> S3:
    import boto3

    bucket = f"veil-tab-{uuid.uuid4().hex[:10]}"
    boto3.client("s3", endpoint_url=_moto, aws_access_key_id="testing", aws_secret_access_key="testing",
                 region_name="us-east-1").create_bucket(Bucket=bucket)
    return S3(_moto, bucket, {"endpoint_url": _moto, "key": "testing", "secret": "testing",
                              "client_kwargs": {"region_name": "us-east-1"}})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path, database_url: str, s3: S3) -> Iterator[str]:
    """The whole service in a real uvicorn server on loopback, reading s3:// through moto."""
    import uvicorn

    from tests.conftest import make_settings
    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, cloud_storage_options=s3.storage_options)
    services = Services(settings)
    app = create_app(settings, services=services)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        services.close()
