"""A NUL character (U+0000) anywhere a request can carry text is a 400 naming the field, on
SQLite and PostgreSQL alike (PostgreSQL's text and JSONB cannot store it: it used to be a 500)."""

from __future__ import annotations

from typing import Any

import pytest

ROWS = [{"age": str(30 + i), "zip": f"1234{i % 3}"} for i in range(6)]
NUL = "\u0000"

CASES: list[tuple[str, str, dict[str, Any] | None, dict[str, str] | None, str]] = [
    ("POST", "/v1/dp/budget", {"session_id": f"a{NUL}b", "epsilon_budget": 1.0}, None, "session_id"),
    ("POST", "/v1/tabular/patterns", {"name": f"p{NUL}", "classification": "DI", "column_patterns": ["^x$"]},
     None, "name"),
    ("POST", "/v1/tabular/anonymize", {"data": [{**r, "zip": r["zip"] + NUL} for r in ROWS], "k": 2,
                                       "attributes": [{"name": "age", "type": "quasi_identifier"}]}, None, "data[0].zip"),
    ("POST", "/v1/tabular/jobs", {"data": ROWS, "k": 2, "attributes": [{"name": "age", "type": "quasi_identifier"}],
                                  "mlops_config": {"tags": {"team": f"x{NUL}"}}}, None, "mlops_config.tags.team"),
    ("POST", "/v1/dp/compute", {"data": ROWS, "column": "age", "bounds": [0, 100], "epsilon": 1.0,
                                "session_id": f"s{NUL}"}, None, "session_id"),
    ("POST", "/deidentify_text", {"key": "k", "text": f"Hi John{NUL} Smith"}, None, "text"),
    ("GET", "/v1/jobs/a%00b", None, None, "path"),
    ("GET", "/v1/dp/budget/a%00b", None, None, "path"),
    ("GET", "/v1/jobs", None, {"kind": f"x{NUL}"}, "kind"),
]


@pytest.mark.parametrize(("method", "path", "body", "query", "field"), CASES, ids=[f"{c[0]} {c[1]} {c[4]}" for c in CASES])
def test_nul_is_a_400_naming_the_field(client: Any, method: str, path: str, body: Any, query: Any, field: str) -> None:
    r = client.request(method, path, json=body, params=query)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["field"] == field and "NUL" in err["message"]


def test_nothing_is_stored_and_an_escaped_backslash_is_not_a_nul(client: Any) -> None:
    assert client.post("/v1/dp/budget", json={"session_id": f"n{NUL}", "epsilon_budget": 1.0}).status_code == 400
    assert client.get("/v1/dp/budget/n").status_code == 404
    # the six characters \u0000 after a backslash (not a NUL) are ordinary text
    raw = b'{"key": "k", "text": "see C:\\\\u0000 for details"}'
    r = client.post("/deidentify_text", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    assert "C:\\u0000" in r.json()["result"]
