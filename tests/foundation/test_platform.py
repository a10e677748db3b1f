"""Migrations and drift on both databases, layering, settings docs, logging scrubbing, object store."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from veil.logs import ScrubbingFormatter, scrub
from veil.settings import Settings, is_loopback_host
from veil.store.db import Database
from veil.store.objects import ObjectStore

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_upgrade_and_no_drift(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.upgrade()  # idempotent on an already migrated database
        assert db.drift() == []
    finally:
        db.dispose()


def test_migrations_from_empty_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/fresh.db")
    db.upgrade()
    assert db.drift() == []
    db.dispose()


DOMAIN_PACKAGES = ["veil.text", "veil.tabular", "veil.dp", "veil.pprl"]
BLOCKED = [
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "dask",
    "distributed",
    "uvicorn",
    "veil.api",
    "veil.store",
    "veil.jobs",
    "veil.service",
    "veil.client",
    "veil.cli",
]


@pytest.mark.parametrize("package", DOMAIN_PACKAGES)
def test_domain_packages_import_without_web_db_or_jobs(package: str) -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        f"for name in {BLOCKED!r}: sys.modules[name] = None\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text()
    missing = [f"VEIL_{name.upper()}" for name in Settings.model_fields if f"VEIL_{name.upper()}" not in doc]
    assert missing == []


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VEIL_PORT", "9001")
    monkeypatch.setenv("VEIL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VEIL_STORAGE_OPTIONS", '{"endpoint_url": "http://127.0.0.1:1"}')
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.port == 9001 and s.data_dir == tmp_path
    assert s.storage_options == {"endpoint_url": "http://127.0.0.1:1"}
    assert s.resolved_database_url.startswith("sqlite:///")
    assert is_loopback_host("127.0.0.1") and is_loopback_host("::1") and is_loopback_host("localhost")
    assert not is_loopback_host("0.0.0.0") and not is_loopback_host("10.1.2.3")


@pytest.mark.parametrize(
    "raw",
    [
        "POST /projects/p?key1=correct&key2=horse HTTP/1.1",
        '{"secret": "horse", "api_key": "abc"}',
        "Authorization: Bearer veil_abcdefghijklmnopqrstuvwxyz0123",
        "X-API-Key: battery-staple",
        "token=horse password=horse",
    ],
)
def test_scrub_removes_secret_values(raw: str) -> None:
    cleaned = scrub(raw)
    for secret in ("correct", "horse", 'abc"', "battery", "abcdefghijklmnop"):
        assert secret not in cleaned


def test_log_records_are_scrubbed_json() -> None:
    record = logging.LogRecord("veil", logging.INFO, __file__, 1, "GET /x?key1=%s", ("hunter2",), None)
    line = ScrubbingFormatter("json").format(record)
    assert "hunter2" not in line
    assert json.loads(line)["msg"] == "GET /x?key1=***"


def test_request_logs_carry_no_query_secrets(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        client.get("/v1/jobs", params={"key1": "correct-horse"})
    text = " ".join(ScrubbingFormatter("json").format(r) for r in caplog.records)
    assert "correct-horse" not in text


def test_object_store_is_atomic(tmp_path: Path) -> None:
    store = ObjectStore(str(tmp_path / "objects"))
    store.put("a/b.txt", b"hello")
    assert store.get("a/b.txt") == b"hello" and store.exists("a/b.txt")
    with pytest.raises(RuntimeError), store.writer("a/c.txt") as fh:
        fh.write(b"half")
        raise RuntimeError("interrupted")
    assert not store.exists("a/c.txt")
    assert store.list("a") == ["a/b.txt"]
    store.delete_prefix("a")
    assert store.list() == []
    store.put("../../escape", b"x")  # normalised inside the root, never above it
    assert not (tmp_path / "escape").exists() and store.exists("escape")


def test_master_key_file_is_private(tmp_path: Path) -> None:
    from veil.store.secrets import SecretBox

    box = SecretBox.from_settings(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    token = box.encrypt("horse")
    assert "horse" not in token and box.decrypt(token) == "horse"
    assert oct(os.stat(tmp_path / "master.key").st_mode & 0o777) == "0o600"
    again = SecretBox.from_settings(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    assert again.decrypt(token) == "horse"


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make serve" in readme and "make test" in readme
    assert re.search(r"curl .*127\.0\.0\.1:8000/health", readme)
