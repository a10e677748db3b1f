"""POST /deidentify_text, /get_usage, /healthz and /v1/entity_types through the REST API (both databases)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.text.seed_examples import (
    FAKE_EXAMPLE,
    FAKE_EXPECTED_RESULT,
    SEED_EXAMPLES,
    comparable,
    expected_comparable,
)

KEY = "<customer key>"


def deid(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/deidentify_text", json={"key": KEY, **body})


@pytest.mark.parametrize(("name", "request_body", "expected"), SEED_EXAMPLES, ids=[e[0] for e in SEED_EXAMPLES])
def test_seed_example(client: Any, name: str, request_body: dict[str, Any], expected: Any) -> None:
    r = deid(client, request_body)
    assert r.status_code == 200, r.text
    assert comparable(r.json()) == expected_comparable(expected)


def test_seed_fake_example(client: Any) -> None:
    r = deid(client, FAKE_EXAMPLE)
    assert r.status_code == 200
    body = r.json()
    assert body["result"] == FAKE_EXPECTED_RESULT
    for p in body["pii"]:
        assert body["result_fake"][p["fake_stt_idx"] : p["fake_end_idx"]] == p["fake_text"][0]


def test_healthz_and_usage(client: Any) -> None:
    assert client.get("/healthz").json() == {"success": True, "last_auth_call_successful": False}
    assert client.post("/get_usage", json={"key": KEY}).json() == {"calls_made": 0}
    words = " ".join(["word"] * 250)
    r = deid(client, {"text": [words, "Hi John"]})
    assert [x["api_calls_used"] for x in r.json()] == [3, 1]
    deid(client, {"text": "Hello"})
    assert client.post("/get_usage", json={"key": KEY}).json() == {"calls_made": 5}
    assert client.post("/get_usage", json={"key": "another key"}).json() == {"calls_made": 0}
    assert client.get("/healthz").json() == {"success": True, "last_auth_call_successful": True}


def test_entity_types(client: Any) -> None:
    types = {t["name"]: t for t in client.get("/v1/entity_types").json()["entity_types"]}
    assert {"NAME", "LOCATION_CITY", "CREDIT_CARD", "DOB", "PASSWORD"} <= set(types)
    assert types["LOCATION_CITY"]["parent"] == "LOCATION"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"text": "Hi John", "marker_format": "<<X>>"}, 400, "marker_format"),
        ({"text": "Hi John", "enabled_classes": ["NAME", "NOPE"]}, 400, "enabled_classes[1]"),
        ({"text": "Hi John", "block_list": {"BAD": "(unclosed"}}, 400, "block_list.BAD"),
        ({"text": "Hi John", "accuracy_mode": "turbo"}, 400, "accuracy_mode"),
        ({"text": "Hi John", "fake_entity_accuracy_mode": "high"}, 400, "fake_entity_accuracy_mode"),
        ({"text": 5}, 422, None),
        ({"text": ["a", 5]}, 422, None),
        ({"text": "Hi", "unique_pii_markers": "yes"}, 422, None),
        ({"text": "Hi", "enabled_classes": "NAME"}, 422, None),
        ({"text": "Hi", "block_list": ["x"]}, 422, None),
        ({"text": "Hi", "allow_list": [1]}, 422, None),
        ({"text": "Hi", "link_batch": 1}, 422, None),
        ({"text": "Hi", "surprise": True}, 422, None),
    ],
)
def test_bad_input_is_4xx(client: Any, body: dict[str, Any], status: int, field: str | None) -> None:
    r = deid(client, body)
    assert r.status_code == status, r.text
    if field is not None:
        assert r.json()["error"]["field"] == field


def test_missing_key_and_text_are_422(client: Any) -> None:
    assert client.post("/deidentify_text", json={"text": "Hi"}).status_code == 422
    assert client.post("/deidentify_text", json={"key": KEY}).status_code == 422
    assert client.post("/get_usage", json={}).status_code == 422
    assert client.post("/deidentify_text", content=b"{not json", headers={"content-type": "application/json"}).status_code in (400, 422)


def test_empty_and_long_text(client: Any) -> None:
    r = deid(client, {"text": ""})
    assert r.status_code == 200 and r.json()["result"] == ""
    sentence = "Hi John, please call 415-555-2671 about the invoice for the Springfield office. "
    long_text = (sentence * (500_000 // len(sentence) + 1))[:500_000]
    r = deid(client, {"text": long_text, "accuracy_mode": "standard"})
    assert r.status_code == 200
    assert r.json()["output_checks_passed"] is True


def test_catastrophic_regex_is_400_and_server_stays_responsive(client: Any) -> None:
    started = time.perf_counter()
    r = deid(client, {"text": "a" * 5000 + "!", "block_list": {"EVIL": r"(\w+\s?)+$"}, "accuracy_mode": "standard"})
    assert r.status_code in (200, 400)
    if r.status_code == 400:
        assert r.json()["error"]["field"] == "block_list.EVIL"
    assert time.perf_counter() - started < 15
    assert client.get("/healthz").status_code == 200


def test_auth_on_uses_body_key_and_meters_per_key(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, api_keys="alpha-key,beta-key")
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
            assert c.post("/deidentify_text", json={"text": "Hi John", "key": "wrong"}).status_code == 401
            assert c.post("/deidentify_text", json={"text": "Hi John", "key": "alpha-key"}).status_code == 200
            r = c.post("/deidentify_text", json={"text": "Hi", "key": "x"}, headers={"X-API-Key": "beta-key"})
            assert r.status_code == 200
            assert c.post("/get_usage", json={"key": "alpha-key"}).json() == {"calls_made": 1}
            assert c.post("/get_usage", json={"key": "beta-key"}).json() == {"calls_made": 1}
            assert c.post("/get_usage", json={"key": "nope"}).status_code == 401
    finally:
        services.close()


def test_settings_defaults_for_marker_format_and_allow_list(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, marker_format="<CLASS_NAME>", allow_list=["Grace"])
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
            r = c.post("/deidentify_text", json={"text": "Hi John, my name is Grace.", "key": KEY})
            assert r.json()["result"] == "Hi <NAME_1>, my name is Grace."
    finally:
        services.close()


def test_pseudonym_secret_makes_fakes_consistent(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, pseudonym_secret="s3cret")
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
            body = {"text": "My name is John and my card is 4111 1111 1111 1111", "key": KEY, "fake_entity_accuracy_mode": "standard"}
            first = c.post("/deidentify_text", json=body).json()
            second = c.post("/deidentify_text", json=body).json()
            assert first["result_fake"] == second["result_fake"]
            assert "John" not in first["result_fake"]
    finally:
        services.close()
