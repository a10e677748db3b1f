"""The SDK (sync and async) against the in-process app, and the ``veil text deid`` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from veil.client.text import AsyncTextClient, TextClient

KEY = "<customer key>"


def test_sync_client(client: Any) -> None:
    tc = TextClient(http_client=client)
    res = tc.deidentify("Hi John, my name is Grace.", key=KEY)
    assert res["result"] == "Hi [NAME_1], my name is [NAME_2]."
    batch = tc.deidentify(["My password is: 4XDX63F8O1", "Hi"], key=KEY, enabled_classes=["PASSWORD"])
    assert [r["result"] for r in batch] == ["My password is: [PASSWORD_1]", "Hi"]
    assert tc.get_usage(KEY) == 3
    assert tc.healthz()["success"] is True
    assert any(t["name"] == "NAME" for t in tc.entity_types())


def test_sync_client_errors(client: Any) -> None:
    from veil.client.exceptions import APIError

    tc = TextClient(http_client=client)
    with pytest.raises(APIError) as err:
        tc.deidentify("Hi", key=KEY, marker_format="nope")
    assert "marker_format" in str(err.value) or getattr(err.value, "field", None) == "marker_format"


async def test_async_client(app: Any) -> None:
    async with AsyncTextClient("http://test", transport=httpx2.ASGITransport(app=app)) as tc:
        res = await tc.deidentify("Hello Xavier, Rudolph here.", key=KEY, block_list={"CUSTOMER_NAME": "Rudolph"})
        assert res["result"] == "Hello [NAME_1], [CUSTOMER_NAME_1] here."
        assert await tc.get_usage(KEY) == 1
        assert (await tc.healthz())["last_auth_call_successful"] is True


def test_cli_deid_stdin_and_file(tmp_path: Path) -> None:
    from veil.cli.main import app

    runner = CliRunner()
    r = runner.invoke(app, ["text", "deid", "-"], input="Hi John, my name is Grace.")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "Hi [NAME_1], my name is [NAME_2]."
    path = tmp_path / "msg.txt"
    path.write_text("Call me at 415-555-2671, John.", encoding="utf-8")
    r = runner.invoke(app, ["text", "deid", str(path), "--json", "--classes", "PHONE_NUMBER"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["result"] == "Call me at [PHONE_NUMBER_1], John."
    r = runner.invoke(app, ["text", "deid", str(path), "--fake"])
    assert r.exit_code == 0 and "415-555-2671" not in r.stdout


def test_cli_bad_input_exits_2(tmp_path: Path) -> None:
    from veil.cli.main import app

    runner = CliRunner()
    r = runner.invoke(app, ["text", "deid", "-", "--classes", "SHOE_SIZE"], input="Hi")
    assert r.exit_code == 2
    r = runner.invoke(app, ["text", "deid", str(tmp_path / "missing.txt")])
    assert r.exit_code == 2
