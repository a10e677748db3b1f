"""The URI policy of veil.service.inputs (no database: a stand-in for Services)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from veil.errors import InvalidInputError
from veil.service.inputs import resolve_output_uri, resolve_uri
from veil.settings import Settings


def _services(auth: bool, prefixes: dict[str, list[str]] | None = None) -> Any:
    settings = Settings(_env_file=None, allowed_data_prefixes=prefixes or {},  # type: ignore[call-arg]
                        cloud_storage_options={"key": "k"})
    return SimpleNamespace(settings=settings, auth=SimpleNamespace(enabled=lambda: auth))


GRANTS = {"*": ["s3://shared/public/"], "alice": ["s3://acme/alice", "gs://acme-gcs/"], "bob": ["s3://acme/bob/"]}


@pytest.mark.parametrize(
    "uri",
    ["memory://x/y.csv", "MEMORY://x/y.csv", "http://169.254.169.254/", "https://example.org/a.csv",
     "ftp://h/a.csv", "simplecache::s3://acme/alice/a.csv", "zip://a.csv::s3://acme/alice/x.zip",
     "local:///etc/passwd", "/etc/passwd", "file:///etc/passwd", "relative/path.csv", "s3://", "s3:///",
     "s3://acme/alice/../bob/x.csv", "s3://acme\\alice/x.csv", ""],
)
def test_always_refused(uri: str) -> None:
    for services, who in ((_services(False), None), (_services(True, GRANTS), "alice")):
        with pytest.raises(InvalidInputError) as err:
            resolve_uri(services, who, uri, field="data")
        assert err.value.field == "data"


def test_auth_off_is_one_tenant_and_reads_any_cloud_uri() -> None:
    services = _services(False)
    loc = resolve_uri(services, None, "s3a://any/bucket/x.csv")
    assert loc.uri == "s3a://any/bucket/x.csv" and loc.storage_options == {"key": "k"}
    assert resolve_uri(services, "local", "azure://c/x.csv").uri == "az://c/x.csv"


def test_auth_on_only_granted_prefixes() -> None:
    services = _services(True, GRANTS)
    assert resolve_uri(services, "alice", "s3://acme/alice/x.csv").uri == "s3://acme/alice/x.csv"
    assert resolve_uri(services, "alice", "s3a://acme/alice/deep/x.csv").uri == "s3a://acme/alice/deep/x.csv"
    assert resolve_uri(services, "alice", "gcs://acme-gcs/x.parquet").uri == "gcs://acme-gcs/x.parquet"
    assert resolve_uri(services, "bob", "s3://shared/public/x.csv").uri  # "*" applies to everyone
    assert resolve_uri(services, None, "s3://shared/public/x.csv").uri  # unknown caller: "*" only
    for who, uri in (("alice", "s3://acme/bob/x.csv"), ("alice", "s3://acme/alice2/x.csv"),
                     ("alice", "s3://acme/x.csv"), ("bob", "s3://acme/alice/x.csv"), ("bob", "gs://acme-gcs/x"),
                     ("carol", "s3://acme/alice/x.csv"), (None, "s3://acme/alice/x.csv"),
                     ("alice", "az://acme/alice/x.csv")):
        with pytest.raises(InvalidInputError) as err:
            resolve_uri(services, who, uri, field="original_data")
        assert err.value.field == "original_data" and "prefixes" in str(err.value)


def test_output_uri_policy() -> None:
    services = _services(True, GRANTS)
    assert resolve_output_uri(services, "alice", None) is None
    assert resolve_output_uri(services, "alice", "s3://acme/alice/out.csv") is not None
    for uri in ("veil://uploads/abc", "memory://o/x.csv", "s3://acme/bob/out.csv"):
        with pytest.raises(InvalidInputError) as err:
            resolve_output_uri(services, "alice", uri)
        assert err.value.field == "output_uri"


def test_server_directories_only_when_granted(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "a.csv").write_text("x\n1\n")
    (tmp_path / "secret.csv").write_text("x\n1\n")
    (shared / "escape.csv").symlink_to(tmp_path / "secret.csv")
    services = _services(True, {"alice": [f"file://{shared}"]})
    assert resolve_uri(services, "alice", str(shared / "a.csv")).local
    assert resolve_uri(services, "alice", f"file://{shared}/a.csv").uri == str(shared / "a.csv")
    for who, uri in (("bob", str(shared / "a.csv")), ("alice", str(tmp_path / "secret.csv")),
                     ("alice", str(shared / "escape.csv")), ("alice", f"{shared}/../secret.csv"),
                     ("alice", f"{shared}2/a.csv")):
        with pytest.raises(InvalidInputError):
            resolve_uri(services, who, uri)
