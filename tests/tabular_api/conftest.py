from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests._servers import make_bucket, moto_s3, s3_options, serve_service


@dataclass
class S3:
    endpoint_url: str
    bucket: str
    storage_options: dict[str, Any]

    def url(self, path: str) -> str:
        return f"s3://{self.bucket}/{path}"


@pytest.fixture(scope="session")
def _moto() -> Iterator[str]:
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture
def s3(_moto: str) -> S3:
    return S3(_moto, make_bucket(_moto, "veil-tab"), s3_options(_moto))


@pytest.fixture
def live_server(tmp_path: Path, database_url: str, s3: S3) -> Iterator[str]:
    """The whole service in a real uvicorn server on loopback, reading s3:// through moto."""
    from tests.conftest import make_settings

    with serve_service(make_settings(tmp_path, database_url, cloud_storage_options=s3.storage_options)) as url:
        yield url
