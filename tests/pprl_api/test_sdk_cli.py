"""The seed vectors through the SDK (sync and async) and the CLI; the CLI's error paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from veil.cli.main import app as cli
from veil.client import APIError
from veil.client.pprl import AsyncPprlClient, PprlClient

from .test_api import KEYS, SEED_CLKS, SEED_CSV, SEED_SCHEMA

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "pprl" / "data" / "seed_schema.json"


def test_sync_sdk(client: Any, tmp_path: Path) -> None:
    sdk = PprlClient(http_client=client)
    for keys_in in ("headers", "query", "body"):
        out = sdk.create_project(f"p-{keys_in}", SEED_SCHEMA, keys_in=keys_in, **KEYS)  # type: ignore[arg-type]
        assert out["mode"] == "two-key"
    assert sdk.list_projects() == ["p-body", "p-headers", "p-query"]
    assert [e["hash"] for e in sdk.hash_csv("p-headers", SEED_CSV)] == SEED_CLKS
    path = tmp_path / "seed.csv"
    path.write_text(SEED_CSV)
    assert sdk.upload_clks("p-headers", path) == {"clk_number": 2, "clk_start_index": 2}
    with open(path, "rb") as fh:
        assert sdk.upload_clks("p-query", fh)["clk_number"] == 2
    sdk.wait_for_clks("p-headers", timeout=30)
    assert sdk.clks_status("p-headers") == [{"index": 0, "count": 4, "status": "done"}]
    assert [e["hash"] for e in sdk.get_clks("p-headers", 2, 2)] == SEED_CLKS
    sdk.delete_clks("p-headers", 0, 2)
    assert [e["index"] for e in sdk.get_clks("p-headers", 0, 4)] == [2, 3]
    with pytest.raises(APIError) as info:
        sdk.create_project("p-body", SEED_SCHEMA, **KEYS)
    assert info.value.status_code == 409
    with pytest.raises(APIError) as info:
        sdk.get_clks("nope", 0, 1)
    assert info.value.status_code == 404
    sdk.delete_project("p-body")
    assert "p-body" not in sdk.list_projects()


async def test_async_sdk(client: Any, app: Any) -> None:
    async with AsyncPprlClient("http://veil.test", transport=httpx2.ASGITransport(app=app)) as sdk:
        await sdk.create_project("a", SEED_SCHEMA, key1="correct", key2="horse")
        assert await sdk.list_projects() == ["a"]
        assert [e["hash"] for e in await sdk.hash_csv("a", SEED_CSV.encode(), timeout=30)] == SEED_CLKS
        assert (await sdk.clks_status("a"))[0]["status"] == "done"
        await sdk.delete_clks("a", 0, 1)
        assert [e["index"] for e in await sdk.get_clks("a", 0, 2)] == [1]
        await sdk.delete_project("a")
        assert await sdk.list_projects() == []


def test_cli_hash_matches_seed(tmp_path: Path) -> None:
    data = tmp_path / "seed.csv"
    data.write_text(SEED_CSV)
    out = tmp_path / "clks.json"
    runner = CliRunner()
    result = runner.invoke(cli, ["pprl", "hash", str(data), str(SCHEMA_PATH), "--keys", "correct", "horse",
                                 "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == {"clks": SEED_CLKS}
    no_header = tmp_path / "rows.csv"
    no_header.write_text(SEED_CSV.split("\n", 1)[1])
    result = runner.invoke(cli, ["pprl", "hash", str(no_header), str(SCHEMA_PATH), "--keys", "correct", "horse",
                                 "--no-header", "-o", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == {"clks": SEED_CLKS}
    result = runner.invoke(cli, ["pprl", "hash", str(data), str(SCHEMA_PATH), "-o", str(out)],
                           env={"VEIL_PPRL_SECRET": "chicken"})
    assert result.exit_code == 0 and len(json.loads(out.read_text())["clks"]) == 2


def test_cli_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    data = tmp_path / "bad.csv"
    data.write_text(SEED_CSV + "Al,1968/05/19,F\n")
    out = tmp_path / "clks.json"
    args = ["pprl", "hash", str(data), str(SCHEMA_PATH), "-o", str(out)]
    result = runner.invoke(cli, [*args, "--keys", "correct", "horse"])
    assert result.exit_code == 2 and "row 2, column 'NAME freetext'" in result.output
    assert not out.exists() and not (tmp_path / "clks.json.part").exists()
    assert runner.invoke(cli, args).exit_code == 2  # no keys
    assert runner.invoke(cli, [*args, "--secret", "s", "--keys", "a", "b"]).exit_code == 2
    bad_schema = tmp_path / "schema.json"
    bad_schema.write_text(json.dumps({**SEED_SCHEMA, "version": 7}))
    result = runner.invoke(cli, ["pprl", "validate-schema", str(bad_schema)])
    assert result.exit_code == 2 and "version" in result.output
    result = runner.invoke(cli, ["pprl", "validate-schema", str(SCHEMA_PATH)])
    assert result.exit_code == 0 and json.loads(result.stdout)["valid"] is True
