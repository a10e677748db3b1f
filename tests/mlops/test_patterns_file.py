"""The per-caller patterns YAML file: export, manual edit + reload, import, atomic rejection of
a bad file (SQLite and PostgreSQL), through REST, the SDK (sync + async) and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from typer.testing import CliRunner

from veil.client import AnonymizationClient, AsyncAnonymizationClient
from veil.client.exceptions import APIError

P = "/v1/tabular/patterns"
GOOD = """version: 1
patterns:
  - name: member_no
    classification: DI
    column_patterns: ["member_no", "member*"]
    value_patterns: ["^M[0-9]{5}$"]
    priority: 10
  - name: region
    classification: QI
    column_patterns: ["region*"]
"""


def _names(client: Any) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in client.get(P).json()["patterns"]}


def test_export_edit_reload_round_trip(client: Any, services: Any) -> None:
    sdk = AnonymizationClient(http_client=client)
    a = sdk.create_pattern("cust_no", "DI", ["cust*_no"], priority=20, value_patterns=["^C[0-9]{6}$"])
    sdk.create_pattern("branch", "QI", ["branch*"])
    sdk.create_pattern("notes", "NSI", ["note*"])
    out = sdk.export_patterns()
    assert out["count"] == 3 and out["key"] == "patterns/local.yaml"
    path = Path(out["path"])
    assert path.is_file() and path.is_relative_to(Path(services.settings.data_dir))
    doc = yaml.safe_load(path.read_text())
    assert [p["name"] for p in doc["patterns"]] == ["cust_no", "branch", "notes"]  # priority, then name

    # API writes keep the file in step
    sdk.update_pattern(a.id, priority=15)
    doc = yaml.safe_load(path.read_text())
    assert doc["patterns"][0]["priority"] == 15

    # a manual edit: change one, drop one, add one; reload syncs and counts
    doc["patterns"][0]["min_match_ratio"] = 0.5
    doc["patterns"] = [p for p in doc["patterns"] if p["name"] != "notes"]
    doc["patterns"].append({"name": "loyalty", "classification": "SI", "column_patterns": ["loyalty*"]})
    path.write_text(yaml.safe_dump(doc))
    res = sdk.reload_patterns()
    assert (res["added"], res["updated"], res["removed"], res["unchanged"]) == (1, 1, 1, 1)
    assert res["custom_count"] == 3 and res["file_exists"] and res["builtin_count"] > 20
    stored = _names(client)
    assert set(stored) == {"cust_no", "branch", "loyalty"}
    assert stored["cust_no"]["id"] == a.id and stored["cust_no"]["min_match_ratio"] == 0.5
    assert stored["cust_no"]["priority"] == 15
    # reloading again changes nothing; detection uses the reloaded patterns
    again = sdk.reload_patterns()
    assert (again["added"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 3)
    det = sdk.detect_qi([{"loyalty_tier": "gold", "x": 1}, {"loyalty_tier": "silver", "x": 2}], mode="heuristic")
    assert "loyalty_tier" in det.sensitive_attributes


BAD_FILES = [
    ("patterns:\n  - name: a\n    classification: QI\n    column_patterns: [a]\n"
     "  - name: b\n    classification: XX\n    column_patterns: [b]\n", "patterns[1].classification"),
    ("patterns:\n  - name: a\n    classification: QI\n    column_patterns: [a]\n    value_patterns: ['([a-z']\n",
     "patterns[0].value_patterns[0]"),
    ("patterns:\n  - name: a\n    classification: QI\n    column_patterns: [a]\n"
     "  - name: a\n    classification: DI\n    column_patterns: [b]\n", "patterns[1].name"),
    ("patterns:\n  - name: a\n    classification: QI\n    column_patterns: [a]\n    regex: x\n", "patterns[0].regex"),
    ("patterns:\n  - name: email\n    classification: DI\n    column_patterns: [mail]\n", "patterns[0].name"),
    ("patterns:\n  - name: a\n    classification: QI\n    column_patterns: []\n", "patterns[0].column_patterns"),
    ("patterns:\n  - name: a\n    priority: 5000\n    classification: QI\n    column_patterns: [a]\n",
     "patterns[0].priority"),
    ("patterns: [\n  {name: a\n", "patterns_file"),
    ("", "patterns_file"),
    ("version: 2\npatterns: []\n", "version"),
    ("patterns: {a: 1}\n", "patterns"),
]


def test_bad_file_is_rejected_naming_the_entry_and_nothing_changes(client: Any, services: Any) -> None:
    sdk = AnonymizationClient(http_client=client)
    sdk.create_pattern("keep_me", "QI", ["keep*"])
    path = Path(sdk.export_patterns()["path"])
    before = _names(client)
    original = path.read_text()
    for text, field in BAD_FILES:
        path.write_text(text)
        r = client.post(f"{P}/reload")
        assert 400 <= r.status_code < 500, (field, r.text)
        assert r.json()["error"]["field"] == field, r.text
        assert _names(client) == before  # atomic: the stored patterns are untouched
        # the same text through import names the same entry (the text's own field when it is whole-file)
        r = client.post(f"{P}/import", json={"content": text})
        assert 400 <= r.status_code < 500
        expected = "content" if field == "patterns_file" else field
        assert r.json()["error"]["field"] == expected, r.text
        assert _names(client) == before
    # import leaves the file as it was too
    path.write_text(original)
    with pytest.raises(APIError) as err:
        sdk.import_patterns(BAD_FILES[0][0])
    assert err.value.status_code == 400
    assert path.read_text() == original


def test_import_replaces_patterns_and_file(client: Any, tmp_path: Path) -> None:
    sdk = AnonymizationClient(http_client=client)
    sdk.create_pattern("old_one", "NSI", ["old*"])
    src = tmp_path / "team.yaml"
    src.write_text(GOOD)
    res = sdk.import_patterns(src)
    assert (res["added"], res["updated"], res["removed"]) == (2, 0, 1) and res["custom_count"] == 2
    stored = _names(client)
    assert set(stored) == {"member_no", "region"} and stored["member_no"]["value_patterns"] == ["^M[0-9]{5}$"]
    assert Path(res["path"]).read_text() == GOOD
    local = tmp_path / "exported.yaml"
    out = sdk.export_patterns(local)
    assert out["count"] == 2 and yaml.safe_load(local.read_text())["patterns"][0]["name"] == "member_no"
    # YAML text works as well as a file; an empty list removes every custom pattern
    assert sdk.import_patterns("patterns: []\n")["removed"] == 2 and _names(client) == {}


def test_no_file_yet_leaves_patterns_alone(client: Any) -> None:
    sdk = AnonymizationClient(http_client=client)
    r = client.post(P, json={"name": "x1", "classification": "QI", "column_patterns": ["x1"]})
    assert r.status_code == 201
    Path(sdk.export_patterns()["path"]).unlink()
    res = sdk.reload_patterns()
    assert not res["file_exists"] and res["custom_count"] == 1 and res["removed"] == 0


def test_each_caller_has_its_own_file(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    from tests.conftest import make_settings
    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, api_keys="key-alpha-0123456789,key-beta-0123456789")
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
            alpha = AnonymizationClient(http_client=c, api_key="key-alpha-0123456789")
            beta = AnonymizationClient(http_client=c, api_key="key-beta-0123456789")
            alpha.import_patterns(GOOD)
            out_b = beta.export_patterns()
            out_a = alpha.export_patterns()
            assert out_a["path"] != out_b["path"] and out_b["count"] == 0 and out_a["count"] == 2
            # the file is named after the caller's principal id, never the key
            assert "key-alpha" not in out_a["path"] and Path(out_a["path"]).name.startswith("env-")
            assert Path(out_a["path"]).suffix == ".yaml"
            assert beta.reload_patterns()["custom_count"] == 0
            assert alpha.reload_patterns()["custom_count"] == 2
    finally:
        services.close()


async def test_async_export_import(app: Any, client: Any) -> None:
    transport = httpx2.ASGITransport(app=app)
    async with AsyncAnonymizationClient(base_url="http://test", transport=transport) as sdk:
        res = await sdk.import_patterns(GOOD)
        assert res["added"] == 2
        out = await sdk.export_patterns()
        assert out["count"] == 2 and "member_no" in out["content"]
        reloaded = await sdk.reload_patterns()
        assert reloaded["unchanged"] == 2


def test_cli_local_and_remote(tmp_path: Path, sqlite_url: str, make_app: Any, monkeypatch: Any) -> None:
    from veil.cli.main import app as cli

    runner = CliRunner()
    data_dir = tmp_path / "cli-data"
    monkeypatch.setenv("VEIL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("VEIL_LOG_FORMAT", "console")
    src = tmp_path / "p.yaml"
    src.write_text(GOOD)
    r = runner.invoke(cli, ["tabular", "patterns", "import", str(src), "--data-dir", str(data_dir), "--json"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "out.yaml"
    r = runner.invoke(cli, ["tabular", "patterns", "export", "-o", str(out), "--data-dir", str(data_dir)])
    assert r.exit_code == 0, r.output
    assert [p["name"] for p in yaml.safe_load(out.read_text())["patterns"]] == ["member_no", "region"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_FILES[0][0])
    r = runner.invoke(cli, ["tabular", "patterns", "import", str(bad), "--data-dir", str(data_dir)])
    assert r.exit_code == 2 and "patterns[1].classification" in r.output
    r = runner.invoke(cli, ["tabular", "patterns", "reload", "--data-dir", str(data_dir)])
    assert r.exit_code == 0 and "unchanged 2" in r.output
    r = runner.invoke(cli, ["tabular", "models", "--data-dir", str(data_dir), "--json"])
    assert r.exit_code == 0 and '"count": 0' in r.output


def test_a_failed_file_write_rolls_the_api_change_back(client: Any, services: Any, monkeypatch: Any) -> None:
    sdk = AnonymizationClient(http_client=client)
    sdk.create_pattern("stays", "QI", ["stays*"])

    def broken(key: str, data: bytes) -> str:
        raise OSError("object store down")

    monkeypatch.setattr(services.store, "put", broken)
    r = client.post(P, json={"name": "lost", "classification": "QI", "column_patterns": ["lost*"]})
    assert r.status_code == 500
    r = client.post(f"{P}/import", json={"content": GOOD})
    assert r.status_code == 500
    monkeypatch.undo()
    assert set(_names(client)) == {"stays"}
