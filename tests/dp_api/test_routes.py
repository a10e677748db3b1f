"""REST endpoints of the dp domain (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

RECORDS = [{"age": 20 + (i % 60), "dept": "ab"[i % 2]} for i in range(400)]


def test_compute_mean(client: Any) -> None:
    r = client.post("/v1/dp/compute", json={"data": RECORDS, "mechanism": "mean", "column": "age",
                                            "bounds": [0, 120], "epsilon": 2.0})
    assert r.status_code == 200, r.text
    body = r.json()
    assert abs(body["private_value"] - 49.5) < 5 and body["epsilon_spent"] == pytest.approx(2.0)
    assert [e["label"] for e in body["events"]] == ["age.mean.sum", "age.mean.count"]


BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"epsilon": 0}, "epsilon"),
    ({"epsilon": -2}, "epsilon"),
    ({"delta": 1.0}, "delta"),
    ({"bounds": [120, 0]}, "bounds"),
    ({"noise_type": "gaussian"}, "delta"),
    ({"column": "nope"}, "column"),
    ({"epsilon": True}, "epsilon"),
    ({"delta": 0.5}, "delta"),
    ({"bins": True, "mechanism": "histogram"}, "bins"),
    ({"privacy_unit": "nope"}, "privacy_unit"),
    ({"max_contributions": 3}, "max_contributions"),
    ({"privacy_unit": "dept", "max_contributions": 0}, "max_contributions"),
    ({"privacy_unit": "dept", "max_partitions": 2}, "max_partitions"),
    ({"mechanism": "exponential", "noise_type": "gaussian", "delta": 1e-5, "candidates": ["a"],
      "utility_scores": [1.0], "sensitivity": 1.0}, "noise_type"),
    ({"data": "/etc/passwd"}, "data"),
    ({"bins": 2**80, "mechanism": "histogram"}, "bins"),
    ({"epsilon": 1e-12, "bounds": [0, 1e15]}, "epsilon"),
    ({"min_group_size": 2**80, "group_by": "dept", "delta": 1e-6}, "min_group_size"),
]


def test_bad_input_is_4xx_naming_the_field(client: Any) -> None:
    for payload, field in BAD_INPUTS:
        body = {"data": RECORDS, "mechanism": "mean", "column": "age", "bounds": [0, 120], **payload}
        r = client.post("/v1/dp/compute", json=body)
        assert 400 <= r.status_code < 500, (payload, r.text)
        assert r.json()["error"]["field"] == field, payload


def test_unknown_fields_are_422(client: Any) -> None:
    r = client.post("/v1/dp/compute", json={"data": RECORDS, "column": "age", "bounds": [0, 1], "epsilonn": 1})
    assert r.status_code == 422


def test_budget_lifecycle_and_refusal(client: Any) -> None:
    r = client.post("/v1/dp/budget", json={"session_id": "b1", "epsilon_budget": 1.5})
    assert r.status_code == 201, r.text
    assert client.post("/v1/dp/budget", json={"session_id": "b1", "epsilon_budget": 1.0}).status_code == 409
    query = {"data": RECORDS, "mechanism": "count", "epsilon": 1.0, "session_id": "b1"}
    ok = client.post("/v1/dp/compute", json=query)
    assert ok.status_code == 200 and ok.json()["budget"]["epsilon_remaining"] == pytest.approx(0.5)
    refused = client.post("/v1/dp/compute", json=query)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "budget_exceeded"
    status = client.get("/v1/dp/budget/b1").json()
    assert status["epsilon_spent"] == pytest.approx(1.0) and status["num_charges"] == 1
    assert status["charges"][0]["operation"] == "dp_compute"
    assert client.post("/v1/dp/compute", json={**query, "session_id": "nope"}).status_code == 404
    assert client.delete("/v1/dp/budget/b1").status_code == 204
    assert client.get("/v1/dp/budget/b1").status_code == 404
    bad = client.post("/v1/dp/budget", json={"session_id": "r", "epsilon_budget": 1.0, "composition": "rdp"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "delta_budget"


def test_stream_lifecycle(client: Any) -> None:
    client.post("/v1/dp/budget", json={"session_id": "sb", "epsilon_budget": 1.0})
    first = client.post("/v1/dp/stream", json={"session_id": "s1", "mechanism": "mean", "epsilon": 1.0,
                                               "bounds": [0, 120], "column": "age", "data": RECORDS,
                                               "budget_session_id": "sb"})
    assert first.status_code == 200, first.text
    assert first.json()["created"] is True and first.json()["budget"]["epsilon_remaining"] == pytest.approx(0.0)
    for _ in range(3):
        nxt = client.post("/v1/dp/stream", json={"session_id": "s1", "column": "age", "data": RECORDS})
        assert nxt.status_code == 200 and nxt.json()["created"] is False
    out = client.post("/v1/dp/stream", json={"session_id": "s1", "get_result": True}).json()
    assert out["batches_processed"] == 4 and out["total_count"] == 1600
    assert abs(out["result"] - 49.5) < 10
    clash = client.post("/v1/dp/stream", json={"session_id": "s1", "epsilon": 3.0, "data": RECORDS})
    assert clash.status_code == 409 and clash.json()["error"]["field"] == "epsilon"
    # A second stream on the exhausted budget is refused and not created.
    refused = client.post("/v1/dp/stream", json={"session_id": "s2", "mechanism": "count", "epsilon": 0.5,
                                                 "budget_session_id": "sb"})
    assert refused.status_code == 409
    listed = client.get("/v1/dp/stream").json()
    assert [s["session_id"] for s in listed] == ["s1"] and listed[0]["batches_processed"] == 4
    assert client.delete("/v1/dp/stream/s1").status_code == 204
    assert client.delete("/v1/dp/stream/s1").status_code == 404
    missing = client.post("/v1/dp/stream", json={"session_id": "s3", "data": RECORDS})
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "mechanism"


def test_advise(client: Any) -> None:
    r = client.post("/v1/dp/advise", json={"epsilon_budget": 1.0, "num_queries": 100, "delta_budget": 1e-5})
    assert r.status_code == 200
    body = r.json()
    assert body["basic"]["per_query_epsilon"] == pytest.approx(0.01) and body["savings_pct"] > 50
    assert client.post("/v1/dp/advise", json={"epsilon_budget": 1.0, "num_queries": 0}).status_code == 400


def test_audit_names_the_operation(client: Any) -> None:
    client.post("/v1/dp/compute", json={"data": RECORDS, "mechanism": "count", "epsilon": 1.0})
    entries = client.get("/v1/audit", params={"operation": "dp_compute"}).json()["entries"]
    assert entries and entries[0]["record_count"] == 400
