"""User-defined recognizers through the SDK (sync and async) and the CLI
(``veil text recognizers add|list|show|delete``, ``veil text deid --recognizers``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from veil.cli import text_recognizers as recognizers_cli
from veil.client.exceptions import APIError
from veil.client.text import AsyncTextClient, TextClient

KEY = "<customer key>"
YAML = """
recognizers:
  - name: employee
    entity_type: EMPLOYEE_ID
    patterns:
      - regex: 'EMP-\\d{6}'
        score: 0.9
    context: [employee]
  - name: ticket
    entity_type: TICKET_REF
    patterns:
      - {regex: 'TKT#[A-Z]{3}\\d{3}', score: 0.8}
    languages: [en]
"""
runner = CliRunner()


def test_sync_sdk(client: Any) -> None:
    tc = TextClient(http_client=client)
    created = tc.create_recognizer("employee", "EMPLOYEE_ID", [(r"EMP-\d{6}", 0.9)], context=["employee"])
    assert created["id"] and created["patterns"] == [{"regex": r"EMP-\d{6}", "score": 0.9}]
    assert tc.deidentify("employee EMP-123456 left", key=KEY)["result"] == "employee [EMPLOYEE_ID_1] left"
    assert [r["name"] for r in tc.list_recognizers()] == ["employee"]
    assert tc.get_recognizer(created["id"]) == tc.get_recognizer("employee")
    with pytest.raises(APIError) as dup:
        tc.create_recognizer("employee", "EMPLOYEE_ID", [r"EMP-\d{6}"])
    assert dup.value.status_code == 409
    assert tc.delete_recognizer("employee")["id"] == created["id"]
    assert tc.list_recognizers() == []
    with pytest.raises(APIError) as gone:
        tc.get_recognizer(created["id"])
    assert gone.value.status_code == 404


async def test_async_sdk(app: Any) -> None:
    async with AsyncTextClient("http://test", transport=httpx2.ASGITransport(app=app)) as tc:
        created = await tc.create_recognizer(
            "employee", "EMPLOYEE_ID", [{"regex": r"EMP-\d{6}", "score": 0.9}], context=["employee"], languages=["en"]
        )
        assert created["languages"] == ["en"]
        res = await tc.deidentify("employee EMP-123456 left", key=KEY)
        assert res["result"] == "employee [EMPLOYEE_ID_1] left"
        assert (await tc.get_recognizer("employee"))["id"] == created["id"]
        assert [r["id"] for r in await tc.list_recognizers()] == [created["id"]]
        await tc.delete_recognizer(created["id"])
        assert await tc.list_recognizers() == []


@pytest.fixture
def in_process(client: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(recognizers_cli, "_client", lambda url, api_key: TextClient(http_client=client))
    return ["--url", "http://testserver"]


def test_cli_add_from_flags_list_show_delete(client: Any, in_process: list[str]) -> None:
    from veil.cli.main import app

    r = runner.invoke(app, ["text", "recognizers", "add", "--name", "employee", "--entity-type", "EMPLOYEE_ID",
                            "--pattern", r"EMP-\d{6}", "--score", "0.9", "--context", "employee", "--json", *in_process])
    assert r.exit_code == 0, r.output
    created = json.loads(r.stdout)
    assert created["entity_type"] == "EMPLOYEE_ID" and created["context"] == ["employee"]
    body = {"key": KEY, "text": "employee EMP-123456 left"}
    assert client.post("/deidentify_text", json=body).json()["result"] == "employee [EMPLOYEE_ID_1] left"
    r = runner.invoke(app, ["text", "recognizers", "list", *in_process])
    assert r.exit_code == 0 and "employee" in r.stdout and "EMPLOYEE_ID" in r.stdout
    r = runner.invoke(app, ["text", "recognizers", "show", "employee", *in_process])
    assert r.exit_code == 0 and r"EMP-\d{6} (0.9)" in r.stdout
    r = runner.invoke(app, ["text", "recognizers", "add", "--name", "employee", "--entity-type", "EMPLOYEE_ID",
                            "--pattern", "x", *in_process])
    assert r.exit_code == 1 and "already exists" in r.output
    r = runner.invoke(app, ["text", "recognizers", "delete", created["id"], *in_process])
    assert r.exit_code == 0, r.output
    assert json.loads(runner.invoke(app, ["text", "recognizers", "list", "--json", *in_process]).stdout) == []
    r = runner.invoke(app, ["text", "recognizers", "show", "employee", *in_process])
    assert r.exit_code == 1 and "404" in r.output


def test_cli_add_from_yaml(client: Any, in_process: list[str], tmp_path: Path) -> None:
    from veil.cli.main import app

    path = tmp_path / "recognizers.yaml"
    path.write_text(YAML, encoding="utf-8")
    r = runner.invoke(app, ["text", "recognizers", "add", "--file", str(path), "--json", *in_process])
    assert r.exit_code == 0, r.output
    assert [x["name"] for x in json.loads(r.stdout)] == ["employee", "ticket"]
    body = {"key": KEY, "text": "employee EMP-123456 filed TKT#ABC123", "accuracy_mode": "standard"}
    assert client.post("/deidentify_text", json=body).json()["result"] == "employee [EMPLOYEE_ID_1] filed [TICKET_REF_1]"
    r = runner.invoke(app, ["text", "recognizers", "add", "--file", str(path), "--name", "x", *in_process])
    assert r.exit_code == 2 and "--file" in r.output


def test_cli_errors_without_a_service_or_with_bad_flags(tmp_path: Path) -> None:
    from veil.cli.main import app

    r = runner.invoke(app, ["text", "recognizers", "list"])
    assert r.exit_code == 2 and "--url" in r.output
    r = runner.invoke(app, ["text", "recognizers", "add", "--name", "x", "--entity-type", "X_ID", "--url", "http://x"])
    assert r.exit_code == 2 and "--pattern" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("recognizers:\n  - name: x\n    entity_type: X_ID\n    patterns: [{regex: '(x'}]\n", encoding="utf-8")
    r = runner.invoke(app, ["text", "recognizers", "add", "--file", str(bad), "--url", "http://x"])
    assert r.exit_code == 2 and "regex" in r.output


def test_cli_local_deid_with_a_yaml_file(tmp_path: Path) -> None:
    from veil.cli.main import app

    path = tmp_path / "recognizers.yaml"
    path.write_text(YAML, encoding="utf-8")
    r = runner.invoke(app, ["text", "deid", "-", "--recognizers", str(path), "-m", "standard"],
                      input="employee EMP-123456 left")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "employee [EMPLOYEE_ID_1] left"
    r = runner.invoke(app, ["text", "deid", "-", "--recognizers", str(path), "--url", "http://x"], input="x")
    assert r.exit_code == 2 and "local" in r.output
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "ticket TKT#XYZ789 open, call 415-555-2671"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = runner.invoke(app, ["text", "deid-batch", str(src), "-o", str(out), "--recognizers", str(path),
                            "--accuracy-mode", "standard"])
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["result"] == "ticket [TICKET_REF_1] open, call [PHONE_NUMBER_1]"
    r = runner.invoke(app, ["text", "deid-batch", str(src), "-o", str(out), "--recognizers", str(path),
                            "--accuracy-mode", "standard", "--class", "TICKET_REF"])
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["result"] == "ticket [TICKET_REF_1] open, call 415-555-2671"
    r = runner.invoke(app, ["text", "deid", "-", "--recognizers", str(path), "-m", "standard", "-c", "EMPLOYEE_ID"],
                      input="employee EMP-123456, ticket TKT#XYZ789")
    assert r.exit_code == 0 and r.stdout.strip() == "employee [EMPLOYEE_ID_1], ticket TKT#XYZ789"
