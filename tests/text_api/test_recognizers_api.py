"""User-defined recognizers through REST (both databases): create/list/show/delete, use in
every de-identification of the principal, isolation between principals, errors, audit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from veil.client.exceptions import APIError

KEY = "<customer key>"
EMPLOYEE = {
    "name": "employee",
    "entity_type": "EMPLOYEE_ID",
    "patterns": [{"regex": r"EMP-\d{6}", "score": 0.9}],
    "context": ["employee"],
}


def deid(client: Any, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    r = client.post("/deidentify_text", json={"key": KEY, **body}, headers=headers or {})
    assert r.status_code == 200, r.text
    return r.json()


def test_acceptance_example(client: Any) -> None:
    r = client.post("/v1/text/recognizers", json=EMPLOYEE)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["id"] and created["name"] == "employee" and created["entity_type"] == "EMPLOYEE_ID"
    assert created["patterns"] == [{"regex": r"EMP-\d{6}", "score": 0.9}]
    assert created["languages"] is None and created["validator"] is None
    out = deid(client, {"text": "employee EMP-123456 left"})
    assert out["result"] == "employee [EMPLOYEE_ID_1] left"
    assert out["pii"][0]["best_label"] == "EMPLOYEE_ID" and out["pii"][0]["text"] == "EMP-123456"


def test_used_by_every_accuracy_mode(client: Any) -> None:
    from veil.text import default_engine

    assert client.post("/v1/text/recognizers", json=EMPLOYEE).status_code == 201
    for mode in default_engine().modes:
        out = deid(client, {"text": "employee EMP-123456 left", "accuracy_mode": mode})
        assert out["result"] == "employee [EMPLOYEE_ID_1] left", mode


def test_used_by_lists_linked_batches_and_enabled_classes(client: Any) -> None:
    assert client.post("/v1/text/recognizers", json=EMPLOYEE).status_code == 201
    texts = ["Ask employee EMP-000111 first.", "Then Margot Quennell and EMP-000222.", "EMP-000111 again"]
    listed = deid(client, {"text": texts, "accuracy_mode": "standard"})
    assert [x["result"] for x in listed] == [
        "Ask employee [EMPLOYEE_ID_1] first.",
        "Then [NAME_1] and [EMPLOYEE_ID_1].",
        "[EMPLOYEE_ID_1] again",
    ]
    linked = deid(client, {"text": texts, "accuracy_mode": "standard", "link_batch": True})
    assert [x["result"] for x in linked] == [
        "Ask employee [EMPLOYEE_ID_1] first.",
        "Then [NAME_1] and [EMPLOYEE_ID_2].",
        "[EMPLOYEE_ID_1] again",
    ]
    only = deid(client, {"text": texts[1], "accuracy_mode": "standard", "enabled_classes": ["EMPLOYEE_ID"]})
    assert only["result"] == "Then Margot Quennell and [EMPLOYEE_ID_1]."
    r = client.post("/deidentify_text", json={"key": KEY, "text": "x", "enabled_classes": ["BADGE_ID"]})
    assert r.status_code == 400 and r.json()["error"]["field"] == "enabled_classes[0]"


def test_list_show_delete(client: Any) -> None:
    first = client.post("/v1/text/recognizers", json=EMPLOYEE).json()
    second = client.post(
        "/v1/text/recognizers",
        json={"name": "badge", "entity_type": "BADGE_ID", "patterns": [{"regex": r"BDG\d{4}", "score": 0.8}],
              "languages": ["en", "fr"], "validator": None},
    ).json()
    listed = client.get("/v1/text/recognizers").json()["recognizers"]
    assert [x["id"] for x in listed] == [first["id"], second["id"]]
    assert client.get(f"/v1/text/recognizers/{second['id']}").json() == second
    assert client.get("/v1/text/recognizers/badge").json()["languages"] == ["en", "fr"]
    r = client.delete(f"/v1/text/recognizers/{first['id']}")
    assert r.status_code == 200 and r.json()["name"] == "employee"
    missing = client.get(f"/v1/text/recognizers/{first['id']}")
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "id"
    assert client.delete(f"/v1/text/recognizers/{first['id']}").status_code == 404
    assert "EMPLOYEE_ID" not in deid(client, {"text": "employee EMP-123456 left", "accuracy_mode": "standard"})["result"]
    assert deid(client, {"text": "badge BDG1234", "accuracy_mode": "standard"})["result"] == "badge [BADGE_ID_1]"
    # the name is free again once deleted
    assert client.post("/v1/text/recognizers", json=EMPLOYEE).status_code == 201


def test_duplicate_name_is_409(client: Any) -> None:
    assert client.post("/v1/text/recognizers", json=EMPLOYEE).status_code == 201
    r = client.post("/v1/text/recognizers", json={**EMPLOYEE, "entity_type": "STAFF_ID"})
    assert r.status_code == 409 and r.json()["error"]["field"] == "name"


def test_builtin_type_gets_extra_patterns(client: Any) -> None:
    body = {"name": "legacy-acct", "entity_type": "ACCOUNT_NUMBER", "patterns": [{"regex": r"ZQ/\d{3}/\d{3}", "score": 0.8}]}
    assert client.post("/v1/text/recognizers", json=body).status_code == 201
    out = deid(client, {"text": "file ZQ/123/456 closed", "accuracy_mode": "standard"})
    assert out["result"] == "file [ACCOUNT_NUMBER_1] closed"


BAD_DEFINITIONS = [
    ({**EMPLOYEE, "patterns": [{"regex": "(unclosed", "score": 0.5}]}, 400, "patterns[0].regex"),
    ({**EMPLOYEE, "patterns": [{"regex": "a" * 2001, "score": 0.5}]}, 422, "patterns[0].regex"),
    ({**EMPLOYEE, "patterns": [{"regex": "x", "score": 1.5}]}, 422, "patterns[0].score"),
    ({**EMPLOYEE, "patterns": []}, 422, "patterns"),
    ({**EMPLOYEE, "entity_type": "employee_id"}, 400, "entity_type"),
    ({**EMPLOYEE, "entity_type": "NAME_1"}, 400, "entity_type"),
    ({**EMPLOYEE, "entity_type": "9LIVES"}, 400, "entity_type"),
    ({**EMPLOYEE, "name": "has space"}, 400, "name"),
    ({**EMPLOYEE, "validator": "crc99"}, 400, "validator"),
    ({**EMPLOYEE, "languages": ["xx"]}, 400, "languages[0]"),
    ({**EMPLOYEE, "languages": ["english"]}, 400, "languages[0]"),
    ({**EMPLOYEE, "context": [""]}, 400, "context[0]"),
    ({**EMPLOYEE, "surprise": 1}, 422, "surprise"),
    ({"name": "x", "patterns": [{"regex": "x"}]}, 422, "entity_type"),
]


def test_bad_definitions_are_4xx_naming_the_field(client: Any) -> None:
    for body, status, field in BAD_DEFINITIONS:
        r = client.post("/v1/text/recognizers", json=body)
        assert r.status_code == status, (body, r.text)
        assert r.json()["error"]["field"] == field, body
    assert client.get("/v1/text/recognizers").json()["recognizers"] == []


def test_catastrophic_pattern_fails_the_request_not_the_server(client: Any) -> None:
    evil = {"name": "evil", "entity_type": "EVIL", "patterns": [{"regex": r"(\w+\s?)+$", "score": 0.5}]}
    assert client.post("/v1/text/recognizers", json=evil).status_code == 201
    r = client.post(
        "/deidentify_text", json={"key": KEY, "text": "a" * 5000 + "!", "accuracy_mode": "standard"}
    )
    assert r.status_code in (200, 400)
    if r.status_code == 400:
        assert "patterns[0].regex" in (r.json()["error"]["field"] or "")
    assert client.get("/healthz").status_code == 200


def test_principals_are_isolated(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, api_keys="alpha-key,beta-key")
    services = Services(settings)
    alpha, beta = {"X-API-Key": "alpha-key"}, {"X-API-Key": "beta-key"}
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
            assert c.post("/v1/text/recognizers", json=EMPLOYEE).status_code == 401
            created = c.post("/v1/text/recognizers", json=EMPLOYEE, headers=alpha).json()
            assert c.get("/v1/text/recognizers", headers=beta).json() == {"recognizers": []}
            assert c.get(f"/v1/text/recognizers/{created['id']}", headers=beta).status_code == 404
            assert c.get("/v1/text/recognizers/employee", headers=beta).status_code == 404
            assert c.delete(f"/v1/text/recognizers/{created['id']}", headers=beta).status_code == 404
            # beta may use the same name for its own recognizer
            assert c.post("/v1/text/recognizers", json={**EMPLOYEE, "entity_type": "STAFF_ID"}, headers=beta).status_code == 201
            text = {"text": "employee EMP-123456 left", "accuracy_mode": "standard"}
            a = c.post("/deidentify_text", json={**text, "key": "alpha-key"}).json()
            b = c.post("/deidentify_text", json={**text, "key": "beta-key"}).json()
            assert a["result"] == "employee [EMPLOYEE_ID_1] left"
            assert b["result"] == "employee [STAFF_ID_1] left"
            r = c.post("/deidentify_text", json={**text, "key": "beta-key", "enabled_classes": ["EMPLOYEE_ID"]})
            assert r.status_code == 400
            assert [x["name"] for x in c.get("/v1/text/recognizers", headers=alpha).json()["recognizers"]] == ["employee"]
    finally:
        services.close()


def test_create_and_delete_are_audited_without_patterns(client: Any, services: Any) -> None:
    created = client.post("/v1/text/recognizers", json=EMPLOYEE).json()
    client.delete(f"/v1/text/recognizers/{created['id']}")
    client.post("/v1/text/recognizers", json={**EMPLOYEE, "patterns": [{"regex": "(EMP", "score": 0.5}]})
    entries = services.audit.list(None, limit=50)["entries"]
    ops = [e["operation"] for e in entries]
    assert "create_text_recognizer" in ops and "delete_text_recognizer" in ops
    dumped = json.dumps(entries)
    assert r"EMP-\\d{6}" not in dumped and "(EMP" not in dumped


def test_batch_jobs_use_the_recognizers(client: Any) -> None:
    from veil.client.text import TextClient

    assert client.post("/v1/text/recognizers", json=EMPLOYEE).status_code == 201
    tc = TextClient(http_client=client)
    lines = b'{"text": "employee EMP-123456 left"}\n{"text": "EMP-654321 joined"}\n'
    job = tc.deidentify_batch(lines, format="jsonl", accuracy_mode="standard")
    tc.wait_for_batch(job["job_id"], poll_interval=0.05, timeout=60)
    out = [json.loads(x) for x in tc.download_batch_result(job["job_id"]).splitlines()]
    assert [x["result"] for x in out] == ["employee [EMPLOYEE_ID_1] left", "[EMPLOYEE_ID_1] joined"]


def test_batch_enabled_classes_accept_the_custom_types(client: Any) -> None:
    from veil.client.text import TextClient

    tc = TextClient(http_client=client)
    lines = b'{"text": "Margot Quennell is employee EMP-123456"}\n'
    with pytest.raises(APIError) as err:
        tc.deidentify_batch(lines, format="jsonl", enabled_classes=["EMPLOYEE_ID"])
    assert err.value.status_code == 400
    assert client.post("/v1/text/recognizers", json=EMPLOYEE).status_code == 201
    job = tc.deidentify_batch(lines, format="jsonl", accuracy_mode="standard", enabled_classes=["EMPLOYEE_ID"])
    tc.wait_for_batch(job["job_id"], poll_interval=0.05, timeout=60)
    out = [json.loads(x) for x in tc.download_batch_result(job["job_id"]).splitlines()]
    assert out[0]["result"] == "Margot Quennell is employee [EMPLOYEE_ID_1]"
