"""Real servers on loopback for tests: the Veil app on uvicorn and moto's S3."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any, Literal


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_app(app: Any, *, lifespan: Literal["auto", "on", "off"] = "on", timeout: float = 30) -> Iterator[str]:
    """Run ``app`` on uvicorn in a daemon thread; yields its base URL and stops it on exit."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout)


@contextlib.contextmanager
def moto_s3() -> Iterator[str]:
    """moto's S3 server on a free loopback port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@contextlib.contextmanager
def serve_service(settings: Any, *, lifespan: Literal["auto", "on", "off"] = "on") -> Iterator[str]:
    """The whole Veil service for ``settings`` on uvicorn (see :func:`serve_app`); yields its
    base URL, then stops the server and closes the services."""
    from veil.api import create_app
    from veil.service.container import Services

    services = Services(settings)
    try:
        with serve_app(create_app(settings, services=services), lifespan=lifespan) as url:
            yield url
    finally:
        services.close()


def s3_options(endpoint: str) -> dict[str, Any]:
    """fsspec (s3fs) storage options for moto's S3 at ``endpoint``."""
    return {"endpoint_url": endpoint, "key": "testing", "secret": "testing",
            "client_kwargs": {"region_name": "us-east-1"}}


def make_bucket(endpoint: str, prefix: str = "veil") -> str:
    """A new bucket with a random name on moto's S3 at ``endpoint``; returns its name."""
    import uuid

    import boto3

    bucket = f"{prefix}-{uuid.uuid4().hex[:10]}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
                 region_name="us-east-1").create_bucket(Bucket=bucket)
    return bucket
