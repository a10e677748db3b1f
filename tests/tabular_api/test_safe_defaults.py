"""Safe defaults through REST, SDK and CLI (issue 15): no unlisted identifier in any output,
column treatments in every result, k required, field errors as ValidationError, jobs
validated before queuing, values that keep their spelling (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.tabular.test_treatment import IDENTIFIERS, assert_no_identifier, people
from veil.cli.tabular import app as cli_app
from veil.client import AnonymizationClient
from veil.client.exceptions import APIError, ValidationError
from veil.io import load_table

AGE = [{"name": "age", "type": "quasi_identifier", "hierarchy": {"type": "intervals", "width": 10}}]
DF = people()
RECORDS = json.loads(DF.to_json(orient="records"))


def _frame(records: list[dict[str, Any]] | None) -> pd.DataFrame:
    return pd.DataFrame(records or [])


def _jobs(client: Any) -> int:
    return int(client.get("/v1/jobs").json()["total"])


def _wait(client: Any, job_id: str) -> dict[str, Any]:
    for _ in range(600):
        body: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
        if body["status"] in ("completed", "failed", "cancelled"):
            return body
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_no_unlisted_identifier_in_sync_job_apply_and_auto(client: Any) -> None:
    body = {"data": RECORDS, "attributes": AGE, "k": 5, "max_suppression": 0.05}
    r = client.post("/v1/tabular/anonymize", json=body)
    assert r.status_code == 200, r.text
    sync = r.json()
    assert_no_identifier(_frame(sync["data"]), DF)
    cols = {c["name"]: c for c in sync["columns"]}
    assert list(cols) == list(DF.columns)
    assert all(cols[c]["treatment"] == "removed" and cols[c]["class"] == "DI" for c in IDENTIFIERS)
    assert cols["zip"]["treatment"] in ("generalized", "suppressed") and cols["zip"]["level"] is not None

    r = client.post("/v1/tabular/jobs", json=body)
    assert r.status_code == 202, r.text
    done = _wait(client, r.json()["job_id"])
    assert done["status"] == "completed", done
    result = done["context"]["result"]
    assert_no_identifier(_frame(result["data"]), DF)
    assert [c["name"] for c in result["columns"]] == list(DF.columns)

    new = DF.iloc[::3].copy()
    new["contact_email"] = [f"x{i}@example.net" for i in range(new.shape[0])]
    r = client.post(f"/v1/tabular/models/{sync['job_id']}/apply",
                    json={"data": json.loads(new.to_json(orient="records"))})
    assert r.status_code == 200, r.text
    applied = r.json()
    assert_no_identifier(_frame(applied["data"]), new)
    assert "contact_email" not in _frame(applied["data"]).columns
    assert {c["name"]: c["treatment"] for c in applied["columns"]}["contact_email"] == "removed"

    r = client.post("/v1/tabular/auto-anonymize", json={"data": RECORDS, "k": 5, "options": {"max_suppression": 0.05}})
    assert r.status_code == 200, r.text
    auto = r.json()["anonymization"]
    assert_no_identifier(_frame(auto["data"]), DF)
    qis = [c["name"] for c in auto["columns"] if c["treatment"] in ("generalized", "suppressed")]
    out = _frame(auto["data"])
    kept = out[~(out[qis].astype(str) == "*").all(axis=1)]
    assert {"age", "zip", "sex"} <= set(qis) and int(kept.groupby(qis).size().min()) >= 5


def test_sdk_results_carry_columns(client: Any) -> None:
    sdk = AnonymizationClient(http_client=client)
    res = sdk.anonymize(DF, k=5, attributes=AGE, max_suppression=0.05)
    by = {c.name: c for c in res.columns}
    assert by["email"].treatment == "removed" and by["email"].classification == "DI"
    assert by["age"].source == "caller" and by["phone"].source == "detection"
    assert_no_identifier(res.to_dataframe(), DF)
    auto = sdk.auto_anonymize(DF, k=5, max_suppression=0.05)
    assert {c.name for c in auto.columns} == set(DF.columns)
    applied = sdk.apply_anon(res.job_id, DF.iloc[::2])
    assert {c.treatment for c in applied.columns if c.name in IDENTIFIERS} == {"removed"}


@pytest.mark.parametrize("k_body", [{}, {"k": None}])
def test_k_missing_or_null_with_k_anonymity_is_a_400(client: Any, k_body: dict[str, Any]) -> None:
    for path in ("/v1/tabular/anonymize", "/v1/tabular/jobs"):
        r = client.post(path, json={"data": RECORDS, "attributes": AGE, **k_body})
        assert r.status_code == 400, r.text
        assert r.json()["error"]["field"] == "k"
    if k_body:
        for path in ("/v1/tabular/auto-anonymize", "/v1/tabular/config"):
            r = client.post(path, json={"data": RECORDS, **k_body})
            assert r.status_code == 400 and r.json()["error"]["field"] == "k", r.text
    r = client.post("/v1/tabular/validate", json={"data": RECORDS, "quasi_identifiers": ["age"], "k": None})
    assert r.status_code == 400 and r.json()["error"]["field"] == "k"


def test_k_with_l_diversity_alone(client: Any) -> None:
    attrs = [*AGE, {"name": "diagnosis", "type": "sensitive"}]
    base = {"data": RECORDS, "attributes": attrs, "privacy_model": "l-diversity", "l": 2, "max_suppression": 0.2}
    missing = client.post("/v1/tabular/anonymize", json=base)
    assert missing.status_code == 200, missing.text
    assert missing.json()["statistics"]["min_class_size"] >= 5  # missing k keeps the default 5
    null = client.post("/v1/tabular/anonymize", json={**base, "k": None})
    assert null.status_code == 200, null.text


def test_sdk_field_errors_are_validation_errors(client: Any) -> None:
    sdk = AnonymizationClient(http_client=client)
    cases = [
        lambda: sdk.anonymize(DF, k=5, attributes=[{"name": "nope", "type": "quasi_identifier"}]),
        lambda: sdk.anonymize(DF, k=5, attributes=AGE, privacy_model="t-closeness", t=1.5),
        lambda: sdk.anonymize(DF, k=None, attributes=AGE),  # type: ignore[arg-type]
        lambda: sdk.submit_job(DF, k=5, attributes=[{"name": "nope", "type": "quasi_identifier"}]),
        lambda: sdk.create_pattern("p", "XX", ["a*"]),
        lambda: sdk.measure(DF[["age"]], DF[["sex"]]),
        lambda: sdk.validate(DF, ["nope"]),
    ]
    fields = []
    for call in cases:
        with pytest.raises(ValidationError) as err:
            call()
        assert isinstance(err.value, APIError) and err.value.status_code == 400  # both, for old callers
        fields.append(err.value.field)
    assert fields == ["attributes[0].name", "t", "k", "attributes[0].name", "pattern.classification",
                      "anonymized_data", "quasi_identifiers[0]"]
    with pytest.raises(APIError) as not_found:
        sdk.get_pattern("nope")
    assert not isinstance(not_found.value, ValidationError) and not_found.value.status_code == 404


BAD_BODIES = [
    {"attributes": [{"name": "nope", "type": "quasi_identifier"}]},
    {"attributes": [{"name": "age", "type": "quasi_identifier", "hierarchy": [["18", "*"]]}]},
    {"privacy_model": "t-closeness", "t": 1.5},
    {"privacy_model": "l-diversity", "l": 0.5},
    {"metric": "speed"},
    {"diversity_type": "fancy", "privacy_model": "l-diversity", "l": 2},
    {"k": 10_000},
    {"max_suppression": 2},
    {"attributes": [{"name": "age", "type": "alien"}]},
    {"data": []},
]


@pytest.mark.parametrize("bad", BAD_BODIES)
def test_jobs_refuse_what_anonymize_refuses(client: Any, bad: dict[str, Any]) -> None:
    body = {"data": RECORDS, "attributes": AGE, "k": 5, **bad}
    sync = client.post("/v1/tabular/anonymize", json=body)
    before = _jobs(client)
    job = client.post("/v1/tabular/jobs", json=body)
    assert 400 <= sync.status_code < 500, sync.text
    assert job.status_code == sync.status_code, job.text
    assert job.json()["error"]["field"] == sync.json()["error"]["field"]
    assert _jobs(client) == before  # nothing was queued


def test_measure_without_common_column_is_a_400(client: Any) -> None:
    r = client.post("/v1/tabular/measure", json={"original_data": [{"a": 1}, {"a": 2}],
                                                 "anonymized_data": [{"b": 1}, {"b": 2}]})
    assert r.status_code == 400 and r.json()["error"]["field"] == "anonymized_data"


def test_leading_zeros_survive_csv_sdk_rest_csv(client: Any, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    rows = ["zip,code,age,amount"] + [f"0{2100 + i % 7},00{i % 5},{20 + i % 50},{i}.50" for i in range(60)]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sdk = AnonymizationClient(http_client=client)
    attrs = [*AGE, {"name": "zip", "type": "insensitive"}, {"name": "code", "type": "insensitive"},
             {"name": "amount", "type": "insensitive"}]
    res = sdk.anonymize(str(src), k=2, attributes=attrs)
    out = tmp_path / "out.csv"
    res.to_dataframe().to_csv(out, index=False)
    back = load_table(out)
    original = load_table(src)
    assert back["zip"].tolist() == original["zip"].tolist() and back["zip"].iloc[0] == "02100"
    assert back["code"].tolist() == original["code"].tolist() and back["code"].iloc[1] == "001"
    assert back["amount"].tolist() == original["amount"].tolist() and back["amount"].iloc[0] == "0.50"
    # as a generalized QI too: masking keeps the leading zero
    masked = sdk.anonymize(str(src), k=2, attributes=[{"name": "zip", "type": "quasi_identifier",
                                                       "hierarchy": {"type": "masking"}},
                                                      {"name": "code", "type": "insensitive"},
                                                      {"name": "age", "type": "insensitive"},
                                                      {"name": "amount", "type": "insensitive"}])
    assert all(str(v).startswith("0") for v in masked.to_dataframe()["zip"])


def test_duplicate_csv_header_is_refused_by_sdk_and_cli(client: Any, tmp_path: Path) -> None:
    src = tmp_path / "dup.csv"
    src.write_text("age,zip,age\n30,02138,31\n", encoding="utf-8")
    sdk = AnonymizationClient(http_client=client)
    with pytest.raises(ValidationError) as err:
        sdk.anonymize(str(src), k=1, attributes=AGE)
    assert "'age'" in str(err.value)
    r = CliRunner().invoke(cli_app, ["anonymize", str(src), "--qi", "age", "-k", "1"])
    assert r.exit_code == 2 and "duplicate column" in r.output


def test_cli_types_unlisted_columns_and_shows_them(tmp_path: Path) -> None:
    src = tmp_path / "people.csv"
    DF.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    r = CliRunner().invoke(cli_app, ["anonymize", str(src), "--qi", "age", "-k", "5", "--max-suppression", "0.05",
                                     "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    assert {c["name"]: c["treatment"] for c in summary["columns"]}["ssn"] == "removed"
    assert_no_identifier(load_table(out), DF)
    r = CliRunner().invoke(cli_app, ["anonymize", str(src), "--qi", "age", "--insensitive", "patient_id", "-k", "5",
                                     "--max-suppression", "0.05"])
    assert r.exit_code == 0, r.output
    assert "Columns" in r.output and "removed" in r.output and "patient_id" in r.output


def test_entropy_variants_and_rank_through_rest_sdk_cli(client: Any, tmp_path: Path) -> None:
    body = {"data": RECORDS, "attributes": AGE, "k": 5, "max_suppression": 0.05, "metric": "entropy_nm",
            "aggregate": "rank"}
    r = client.post("/v1/tabular/anonymize", json=body)
    assert r.status_code == 200, r.text
    objective = r.json()["search"]["objective"]
    assert objective["metric"] == "entropy_nm" and objective["aggregate"] == "rank"
    assert objective["value"] == sorted(objective["per_attribute"].values(), reverse=True)
    assert {"entropy", "entropy_nm"} <= set(r.json()["metrics"])
    bad = client.post("/v1/tabular/anonymize", json={**body, "metric": "discernibility"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "aggregate"
    sdk = AnonymizationClient(http_client=client)
    res = sdk.anonymize(DF, k=5, attributes=AGE, max_suppression=0.05, metric="entropy", aggregate="max")
    assert res.search["objective"]["aggregate"] == "max"
    with pytest.raises(ValidationError) as err:
        sdk.submit_job(DF, k=5, attributes=AGE, aggregate="median")
    assert err.value.field == "aggregate"
    anonymized = pd.DataFrame(r.json()["data"])
    original = DF[list(anonymized.columns)]
    m = sdk.measure(original, anonymized, ["age", "zip", "sex"])
    assert m.metrics["entropy_nm"] >= m.metrics["entropy"] and m.metrics["loss_rank_0"] >= m.metrics["loss_rank_1"]
    src = tmp_path / "people.csv"
    DF.to_csv(src, index=False)
    cli = CliRunner().invoke(cli_app, ["anonymize", str(src), "--qi", "age", "-k", "5", "--max-suppression", "0.05",
                                       "--metric", "entropy_nm", "--aggregate", "rank", "--json"])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output)["search"]["objective"]["aggregate"] == "rank"
