"""``veil tabular ...`` on local files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.tabular_api.helpers import PEOPLE
from veil.cli.tabular import app

runner = CliRunner()


def test_cli_commands(tmp_path: Path) -> None:
    data = tmp_path / "people.csv"
    PEOPLE.to_csv(data, index=False)
    r = runner.invoke(app, ["detect", str(data), "--json"])
    assert r.exit_code == 0, r.output
    assert "email" in json.loads(r.stdout)["direct_identifiers"]
    r = runner.invoke(app, ["risk", str(data), "--qi", "age", "--qi", "gender"])
    assert r.exit_code == 0 and "records at risk" in r.stdout
    hier = tmp_path / "gender.csv"
    hier.write_text("F;*\nM;*\n")
    out = tmp_path / "out.parquet"
    sol = tmp_path / "solution.json"
    r = runner.invoke(app, ["anonymize", str(data), "--qi", "age", "--qi", f"gender={hier}", "--qi", "zipcode",
                            "--identifier", "email", "--identifier", "customer_id", "-k", "4",
                            "--max-suppression", "0.05", "-o", str(out), "--solution-out", str(sol), "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["row_count"] == 240 and out.exists() and sol.exists()
    r = runner.invoke(app, ["validate", str(out), "--qi", "age", "--qi", "gender", "--qi", "zipcode", "-k", "4"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["validate", str(data), "--qi", "customer_id", "-k", "2"])
    assert r.exit_code == 1 and "Violating classes" in r.stdout
    applied = tmp_path / "applied.csv"
    r = runner.invoke(app, ["apply", str(data), "--solution", str(sol), "-o", str(applied), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["levels"] == summary["levels"]
    r = runner.invoke(app, ["measure", str(data), str(applied), "--qi", "age", "--json"])
    assert r.exit_code == 0 and "information_loss" in json.loads(r.stdout)
    r = runner.invoke(app, ["anonymize", str(data), "--qi", "nope", "-k", "2"])
    assert r.exit_code == 2 and "unknown column" in r.output
