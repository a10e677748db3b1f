"""The one error model: every bad input is a 4xx JSON body naming the field; never a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.testclient import TestClient

from veil.api import create_app
from veil.errors import InvalidInputError
from veil.io import load_table

from ..conftest import make_settings


class Item(BaseModel):
    name: str
    count: int = Field(ge=0, le=1000)
    mode: str = Field(pattern="^(a|b)$")


probe = APIRouter()


@probe.post("/probe/items")
def create_item(item: Item) -> dict[str, Any]:
    return {"ok": True, "name": item.name}


@probe.post("/probe/domain")
def domain_error() -> None:
    raise InvalidInputError("t must be within [0, 1]", field="t")


@probe.get("/probe/crash")
def crash() -> None:
    raise RuntimeError("secret-internal-detail")


@pytest.fixture
def sqlite_client(tmp_path: Any) -> Any:
    app = create_app(make_settings(tmp_path, f"sqlite:///{tmp_path}/e.db", max_body_bytes=4096))
    app.include_router(probe)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _err(r: Any) -> dict[str, Any]:
    body = r.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "field"} <= set(body["error"])
    return dict(body["error"])


def test_malformed_json_is_400(sqlite_client: Any) -> None:
    r = sqlite_client.post(
        "/probe/items", content=b'{"name": "x", ', headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert _err(r)["code"] == "malformed_json"


def test_wrong_type_is_422_and_names_the_field(sqlite_client: Any) -> None:
    r = sqlite_client.post("/probe/items", json={"name": "x", "count": "many", "mode": "a"})
    assert r.status_code == 422
    assert _err(r)["field"] == "count"


def test_huge_integer_in_body_is_422(sqlite_client: Any) -> None:
    r = sqlite_client.post("/probe/items", json={"name": "x", "count": 2**80, "mode": "a"})
    assert r.status_code == 422
    assert _err(r)["field"] == "count"


def test_unknown_enum_value_is_422(sqlite_client: Any) -> None:
    r = sqlite_client.get("/v1/jobs", params={"status": "exploded"})
    assert r.status_code == 422
    assert _err(r)["field"] == "status"


def test_huge_ids_and_offsets_are_4xx(sqlite_client: Any) -> None:
    assert sqlite_client.get(f"/v1/jobs/{2**80}").status_code == 404
    assert sqlite_client.post(f"/v1/jobs/{2**80}/cancel").status_code == 404
    r = sqlite_client.get("/v1/jobs", params={"offset": 2**80})
    assert r.status_code == 422 and _err(r)["field"] == "offset"
    r = sqlite_client.get("/v1/audit", params={"limit": 501})
    assert r.status_code == 422 and _err(r)["field"] == "limit"
    assert sqlite_client.get("/v1/jobs/" + "x" * 500).status_code == 422


def test_oversized_body_is_413(sqlite_client: Any) -> None:
    big = b'{"name": "' + b"x" * 10_000 + b'", "count": 1, "mode": "a"}'
    r = sqlite_client.post("/probe/items", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert _err(r)["code"] == "payload_too_large"


def test_oversized_streamed_body_without_length_is_413(sqlite_client: Any) -> None:
    def chunks() -> Any:
        for _ in range(10):
            yield b"x" * 1000

    r = sqlite_client.post("/probe/items", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_domain_errors_keep_code_message_and_field(sqlite_client: Any) -> None:
    r = sqlite_client.post("/probe/domain")
    assert r.status_code == 400
    assert _err(r) == {"code": "invalid_input", "message": "t must be within [0, 1]", "field": "t"}


def test_unexpected_error_is_generic_500_without_traceback(sqlite_client: Any) -> None:
    r = sqlite_client.get("/probe/crash")
    assert r.status_code == 500
    assert "secret-internal-detail" not in r.text and "Traceback" not in r.text
    assert _err(r)["code"] == "internal_error"


def test_unknown_route_and_method_are_json(sqlite_client: Any) -> None:
    r = sqlite_client.get("/no/such/route")
    assert r.status_code == 404 and _err(r)["code"] == "not_found"
    r = sqlite_client.delete("/health")
    assert r.status_code == 405 and _err(r)["code"] == "method_not_allowed"


def test_openapi_documents_error_responses(sqlite_client: Any) -> None:
    spec = sqlite_client.get("/openapi.json").json()
    op = spec["paths"]["/v1/jobs/{job_id}/cancel"]["post"]["responses"]
    for status in ("400", "404", "409", "413", "422"):
        assert status in op
    assert sqlite_client.get("/docs").status_code == 200


def test_loader_errors_name_the_field(tmp_path: Any) -> None:
    with pytest.raises(InvalidInputError) as e:
        load_table([], field="data")
    assert e.value.field == "data"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b'a,b\n1,"unterminated\n')
    with pytest.raises(InvalidInputError):
        load_table(bad)
    with pytest.raises(InvalidInputError) as e:
        load_table("/etc/passwd", allow_local_paths=False)
    assert e.value.field == "data"
    assert list(load_table([{"a": 1, "b": "x"}]).columns) == ["a", "b"]


def test_inline_records_with_nested_cells_are_refused() -> None:
    with pytest.raises(InvalidInputError) as e:
        load_table([{"a": 1}, {"a": {"nested": True}}])
    assert e.value.field == "data[1].a"
    with pytest.raises(InvalidInputError) as e:
        load_table({"a": [1, [2]]})
    assert e.value.field == "data.a[1]"
    with pytest.raises(InvalidInputError) as e:
        load_table({"a": 5})
    assert e.value.field == "data.a"
