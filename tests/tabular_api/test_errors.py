"""Bad input through the API: clear 4xx with the field, never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tabular_api.helpers import PEOPLE, PEOPLE_ATTRS

RECORDS = PEOPLE.to_dict(orient="records")


def _anon(client: Any, **body: Any) -> Any:
    payload = {"data": RECORDS, "attributes": PEOPLE_ATTRS, "k": 4, **body}
    return client.post("/v1/tabular/anonymize", json=payload)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"attributes": [*PEOPLE_ATTRS, {"name": "nope", "type": "insensitive"}]}, 400, "attributes[6].name"),
        ({"attributes": [{"name": "age", "type": "quasi_identifier", "hierarchy": [["18", "*"]]}]}, 400,
         "attributes[0].hierarchy"),
        ({"k": 241}, 400, "k"),
        ({"privacy_model": "l-diversity", "l": 2, "attributes": [*PEOPLE_ATTRS[:5], {"name": "diagnosis", "type": "insensitive"}]}, 400, "attributes"),
        ({"privacy_model": "t-closeness", "t": 1.5}, 400, "t"),
        ({"max_suppression": 1.5}, 400, "max_suppression"),
        ({"max_suppression": -0.1}, 400, "max_suppression"),
        ({"data": []}, 400, "data"),
        ({"data": "/etc/passwd"}, 400, "data"),
        ({"output_uri": "/tmp/out.csv"}, 400, "output_uri"),
        ({"output_format": "xlsx", "output_uri": "s3://b/x"}, 400, "output_format"),
        ({"metric": "speed"}, 400, "metric"),
        ({"k": 0}, 422, None),
    ],
)
def test_anonymize_bad_input(client: Any, body: dict[str, Any], status: int, field: str | None) -> None:
    r = _anon(client, **body)
    assert r.status_code == status, r.text
    if field is not None:
        assert r.json()["error"]["field"] == field


def test_hierarchy_missing_values_are_listed(client: Any) -> None:
    rows = [[str(a), "*"] for a in range(18, 40)]
    r = _anon(client, attributes=[{"name": "age", "type": "quasi_identifier", "hierarchy": rows}])
    assert r.status_code == 400
    assert "'40'" in r.json()["error"]["message"]


def test_malformed_csv_upload_via_sdk(client: Any, tmp_path: Any) -> None:
    from veil.client import AnonymizationClient
    from veil.client.exceptions import ValidationError

    bad = tmp_path / "bad.csv"
    bad.write_text('a,b\n1,"2\n3,4,5,6\n')
    with pytest.raises(ValidationError):
        AnonymizationClient(http_client=client).anonymize(str(bad), attributes=[{"name": "a"}])


def test_50mb_upload_is_a_clear_4xx(client: Any, tmp_path: Any, database_url: str) -> None:
    big = b'{"data": [' + b'{"a": "' + b"x" * (50 * 1024 * 1024) + b'"}], "attributes": [{"name": "a"}], "k": 2}'
    r = client.post("/v1/tabular/anonymize", content=big, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500 and "error" in r.json()
    from starlette.testclient import TestClient

    from tests.conftest import make_settings
    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path / "small", database_url, max_body_bytes=10 * 1024 * 1024)
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
            r = c.post("/v1/tabular/anonymize", content=big, headers={"content-type": "application/json"})
            assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    finally:
        services.close()


def test_other_endpoints_bad_input(client: Any) -> None:
    assert client.post("/v1/tabular/risk", json={"data": RECORDS, "quasi_identifiers": ["x"]}).json()["error"][
        "field"] == "quasi_identifiers[0]"
    r = client.post("/v1/tabular/validate", json={"data": RECORDS, "privacy_model": "l-diversity", "l": 2})
    assert r.status_code == 400 and r.json()["error"]["field"] == "sensitive_attributes"
    r = client.post("/v1/tabular/measure", json={"original_data": RECORDS, "anonymized_data": RECORDS[:10]})
    assert r.status_code == 400 and r.json()["error"]["field"] == "anonymized_data"
    r = client.post("/v1/tabular/detect", json={"data": RECORDS, "mode": "neural"})
    assert r.status_code in (400, 422) and r.json()["error"]["field"] == "mode"
    r = client.post("/v1/tabular/patterns", json={"name": "p", "classification": "XX", "column_patterns": ["a"]})
    assert r.status_code == 400
    r = client.post("/v1/tabular/patterns", json={"name": "p", "classification": "QI", "column_patterns": ["a"],
                                                  "priority": 1001})
    assert r.status_code == 400 and r.json()["error"]["field"] == "pattern.priority"
    assert client.patch("/v1/tabular/patterns/builtin:email", json={"priority": 3}).status_code == 409
    assert client.get("/v1/tabular/patterns/builtin:email").json()["builtin"] is True
    r = client.post("/v1/tabular/jobs", json={"data": RECORDS, "k": 4, "bogus": 1})
    assert r.status_code == 422


def test_tier_restriction(tmp_path: Any, database_url: str) -> None:
    from starlette.testclient import TestClient

    from tests.conftest import make_settings
    from veil.api import create_app
    from veil.client import AnonymizationClient
    from veil.client.exceptions import TierRestrictionError
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, auth="on")
    services = Services(settings)
    try:
        key = services.auth.create_key("free-user", tier="free")["key"]
        app = create_app(settings, services=services)
        with TestClient(app, raise_server_exceptions=False) as c:
            sdk = AnonymizationClient(http_client=c, api_key=key)
            assert sdk.calculate_risk(PEOPLE, ["age"]).prosecutor is not None
            with pytest.raises(TierRestrictionError) as err:
                sdk.anonymize(PEOPLE, k=4, attributes=PEOPLE_ATTRS)
            assert err.value.feature == "anonymize" and err.value.tier == "free"
            assert err.value.required_tier == "standard"
    finally:
        services.close()


def test_openapi_documents_the_tabular_endpoints(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/v1/tabular/detect", "/v1/tabular/config", "/v1/tabular/risk", "/v1/tabular/anonymize",
                 "/v1/tabular/jobs", "/v1/tabular/models", "/v1/tabular/models/{job_id}/apply",
                 "/v1/tabular/auto-anonymize", "/v1/tabular/validate", "/v1/tabular/measure",
                 "/v1/tabular/patterns", "/v1/tabular/patterns/{pattern_id}", "/v1/tabular/patterns/reload"):
        assert path in paths
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "attributes" in schemas["AnonymizeIn"]["properties"]
