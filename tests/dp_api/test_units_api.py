"""Privacy units, the per-principal budget and charge receipts through REST, SDK and CLI
(SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import make_settings
from veil.cli import dp as dp_cli
from veil.cli.main import app as cli_app
from veil.client.core import AsyncClient, SyncClient
from veil.client.dp import AsyncDPMethods, DPMethods

USERS = [{"user_id": u, "city": "ab"[u % 2], "amount": float(u % 10)} for u in range(100) for _ in range(50)]


class Client(SyncClient, DPMethods):
    pass


class AsyncDPClient(AsyncClient, AsyncDPMethods):
    pass


@pytest.fixture
def principal_client(tmp_path: Path, database_url: str) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, dp_principal_epsilon=1.0, dp_principal_delta=1e-6,
                             dp_principal_composition="basic")
    services = Services(settings)
    with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
        yield c
    services.close()


def test_user_level_count_over_rest(client: Any) -> None:
    body = {"data": USERS, "mechanism": "count", "epsilon": 1.0, "privacy_unit": "user_id", "max_contributions": 1}
    r = client.post("/v1/dp/compute", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert abs(out["private_value"] - 100) < 15
    assert out["privacy_unit"] == "user_id"
    assert out["guarantee"]["privacy_unit"] == "user_id" and out["guarantee"]["epsilon"] == pytest.approx(1.0)


def test_strict_numbers(client: Any) -> None:
    for bad in ({"epsilon": True}, {"epsilon": "1"}, {"max_contributions": 1.5}, {"delta": False}):
        r = client.post("/v1/dp/compute", json={"data": USERS[:50], "mechanism": "count", **bad})
        assert 400 <= r.status_code < 500 and r.json()["error"]["field"] == next(iter(bad)), bad


def test_charge_id_is_retrievable_and_one_unit_per_budget(client: Any) -> None:
    assert client.post("/v1/dp/budget", json={"session_id": "u", "epsilon_budget": 5.0, "delta_budget": 1e-6,
                                              "composition": "pld"}).status_code == 201
    body = {"data": USERS, "mechanism": "count", "epsilon": 0.5, "privacy_unit": "user_id", "session_id": "u"}
    receipt = client.post("/v1/dp/compute", json=body).json()["budget"]
    assert receipt["guarantee"]["privacy_unit"] == "user_id"
    one = client.get(f"/v1/dp/budget/u/charges/{receipt['charge_id']}")
    assert one.status_code == 200 and one.json()["charge_id"] == receipt["charge_id"]
    assert one.json()["epsilon"] == pytest.approx(receipt["epsilon_charged"])
    listed = client.get("/v1/dp/budget/u/charges").json()
    assert [c["charge_id"] for c in listed] == [receipt["charge_id"]]
    status = client.get("/v1/dp/budget/u").json()
    assert status["privacy_unit"] == "user_id" and status["charges"][0]["charge_id"] == receipt["charge_id"]
    assert client.get("/v1/dp/budget/u/charges/nope").status_code == 404
    row_level = client.post("/v1/dp/compute", json={**body, "privacy_unit": None})
    assert row_level.status_code == 409 and row_level.json()["error"]["field"] == "privacy_unit"
    assert client.post("/v1/dp/budget", json={"session_id": "@x", "epsilon_budget": 1.0}).status_code == 400


def test_principal_budget_is_enforced(principal_client: Any) -> None:
    c = principal_client
    query = {"data": USERS[:500], "mechanism": "count", "epsilon": 0.4}
    first = c.post("/v1/dp/compute", json=query)
    assert first.status_code == 200 and first.json()["session_id"] == "@principal"
    assert c.post("/v1/dp/compute", json=query).status_code == 200
    refused = c.post("/v1/dp/compute", json=query)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "budget_exceeded"
    status = c.get("/v1/dp/budget/@principal").json()
    assert status["epsilon_budget"] == 1.0 and status["epsilon_spent"] == pytest.approx(0.8)
    assert c.delete("/v1/dp/budget/@principal").status_code == 403
    stream = c.post("/v1/dp/stream", json={"mechanism": "count", "epsilon": 0.5, "data": USERS[:10]})
    assert stream.status_code == 409  # a stream draws on the same budget


def test_no_principal_budget_by_default(client: Any) -> None:
    out = client.post("/v1/dp/compute", json={"data": USERS[:50], "mechanism": "count", "epsilon": 1.0}).json()
    assert out["session_id"] is None and out["budget"] is None


def test_stream_with_privacy_unit(client: Any) -> None:
    first = {"session_id": "s", "mechanism": "count", "epsilon": 5.0, "horizon": 16,
             "privacy_unit": "user_id", "max_contributions": 1}
    for _ in range(4):
        r = client.post("/v1/dp/stream", json={**first, "data": USERS[:1000], "get_result": True})
        assert r.status_code == 200, r.text
    out = r.json()
    assert abs(out["result"] - 20) < 10 and out["privacy_unit"] == "user_id"
    assert out["guarantee"]["privacy_unit"] == "user_id"
    changed = client.post("/v1/dp/stream", json={**first, "max_contributions": 2, "data": USERS[:10]})
    assert changed.status_code == 409 and changed.json()["error"]["field"] == "max_contributions"


def test_sdk_sync_and_cli(client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sdk = Client(http_client=client)
    out = sdk.dp_compute(USERS, mechanism="count", epsilon=1.0, privacy_unit="user_id")
    assert out.privacy_unit == "user_id" and abs(out.private_value - 100) < 15
    sdk.dp_budget_create("b", 3.0, 1e-6, "pld", privacy_unit="user_id")
    grouped = sdk.dp_compute(USERS, mechanism="count", group_by="city", group_keys=["a", "b"], epsilon=1.0,
                             privacy_unit="user_id", max_partitions=1, session_id="b")
    assert abs(sum(grouped.results.values()) - 100) < 15
    assert grouped.budget is not None
    charge = sdk.dp_budget_charge("b", grouped.budget["charge_id"])
    assert charge["charge_id"] == grouped.budget["charge_id"] and len(sdk.dp_budget_charges("b")) == 1
    assert sdk.dp_budget_status("b").privacy_unit == "user_id"

    path = tmp_path / "users.csv"
    path.write_text("user_id,amount\n" + "".join(f"{r['user_id']},{r['amount']}\n" for r in USERS))
    runner = CliRunner()
    local = runner.invoke(cli_app, ["dp", "compute", str(path), "--mechanism", "count", "--epsilon", "1",
                                    "--privacy-unit", "user_id", "--max-contributions", "1"])
    assert local.exit_code == 0, local.output
    assert json.loads(local.output)["guarantee"]["privacy_unit"] == "user_id"
    monkeypatch.setattr(dp_cli, "_client", lambda url, api_key: Client(http_client=client))
    listed = runner.invoke(cli_app, ["dp", "budget", "charges", "b", "--url", "http://test"])
    assert listed.exit_code == 0, listed.output and len(json.loads(listed.output)) == 1
    bad = runner.invoke(cli_app, ["dp", "compute", str(path), "--mechanism", "count", "--max-partitions", "2",
                                  "--privacy-unit", "user_id"])
    assert bad.exit_code == 2 and "max_partitions" in bad.output


async def test_async_sdk(app: Any, client: Any) -> None:
    import httpx2

    async with AsyncDPClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as sdk:
        out = await sdk.dp_compute(USERS, mechanism="count", epsilon=1.0, privacy_unit="user_id")
        assert out.privacy_unit == "user_id"
        await sdk.dp_budget_create("a", 2.0, privacy_unit="user_id")
        charged = await sdk.dp_compute(USERS, mechanism="count", epsilon=1.0, privacy_unit="user_id",
                                       session_id="a")
        assert charged.budget is not None
        got = await sdk.dp_budget_charge("a", charged.budget["charge_id"])
        assert got["charge_id"] == charged.budget["charge_id"]
        assert len(await sdk.dp_budget_charges("a")) == 1
