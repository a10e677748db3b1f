"""``veil dp ...`` commands: local through the library, remote through the SDK."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from veil.cli import dp as dp_cli
from veil.cli.main import app

runner = CliRunner()


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("age,dept\n" + "".join(f"{20 + i % 50},{'xy'[i % 2]}\n" for i in range(400)))
    return path


def test_compute_locally(people: Path) -> None:
    result = runner.invoke(app, ["dp", "compute", str(people), "--mechanism", "mean", "--column", "age",
                                 "--bounds", "0", "120", "--epsilon", "1"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert abs(out["private_value"] - 44.5) < 5 and out["epsilon_spent"] == pytest.approx(1.0)


def test_bad_input_exits_2_naming_the_field(people: Path) -> None:
    result = runner.invoke(app, ["dp", "compute", str(people), "--column", "age", "--bounds", "120", "0"])
    assert result.exit_code == 2 and "bounds" in result.output
    result = runner.invoke(app, ["dp", "compute", str(people), "--column", "nope", "--bounds", "0", "1"])
    assert result.exit_code == 2 and "column" in result.output


def test_advise_locally() -> None:
    result = runner.invoke(app, ["dp", "advise", "--epsilon-budget", "1", "--num-queries", "50",
                                 "--delta-budget", "1e-5"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["basic"]["per_query_epsilon"] == pytest.approx(0.02)


def test_budget_needs_a_service() -> None:
    result = runner.invoke(app, ["dp", "budget", "status", "x"])
    assert result.exit_code == 2 and "--url" in result.output


def test_remote_commands_through_the_sdk(client: Any, people: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.client.core import SyncClient
    from veil.client.dp import DPMethods

    class InProcess(SyncClient, DPMethods):
        def close(self) -> None:
            pass

    monkeypatch.setattr(dp_cli, "_client", lambda url, api_key: InProcess(http_client=client))
    url = ["--url", "http://testserver"]
    created = runner.invoke(app, ["dp", "budget", "create", "cli-b", "--epsilon-budget", "1", *url])
    assert created.exit_code == 0, created.output
    charged = runner.invoke(app, ["dp", "compute", str(people), "--mechanism", "count", "--epsilon", "0.4",
                                  "--session-id", "cli-b", *url])
    assert charged.exit_code == 0, charged.output
    status = json.loads(runner.invoke(app, ["dp", "budget", "status", "cli-b", *url]).stdout)
    assert status["epsilon_spent"] == pytest.approx(0.4)
    streamed = runner.invoke(app, ["dp", "stream", "update", "cli-s", str(people), "--mechanism", "count",
                                   "--epsilon", "1", "--result", *url])
    assert streamed.exit_code == 0 and json.loads(streamed.stdout)["created"] is True
    assert json.loads(runner.invoke(app, ["dp", "stream", "list", *url]).stdout)[0]["session_id"] == "cli-s"
    assert runner.invoke(app, ["dp", "stream", "delete", "cli-s", *url]).exit_code == 0
    assert runner.invoke(app, ["dp", "budget", "delete", "cli-b", *url]).exit_code == 0
    missing = runner.invoke(app, ["dp", "budget", "status", "cli-b", *url])
    assert missing.exit_code == 1 and "404" in missing.output
