"""MLflow tracking and the model registry through the SDK, against real MLflow stores: the
embedded one under the data directory, and an ``mlflow server`` on loopback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.tabular_api.helpers import PEOPLE, PEOPLE_ATTRS
from veil.client import AnonymizationClient, AsyncAnonymizationClient
from veil.client.exceptions import APIError

QIS = ["age", "gender", "zipcode"]


def _mlflow(uri: str) -> Any:
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _runs(client: Any, experiment: str) -> list[Any]:
    exp = client.get_experiment_by_name(experiment)
    assert exp is not None
    return list(client.search_runs([exp.experiment_id], max_results=100))


def test_embedded_store_runs_versions_and_production_alias(make_app: Any, sqlite_url: str) -> None:
    app = make_app(sqlite_url)
    data_dir = Path(app.settings.data_dir)
    sdk = AnonymizationClient(http_client=app.client, mlops_config={"experiment_name": "unit", "tags": {"team": "qa"}})

    # not tracked without an mlops_config (request mode): no store is created
    plain = AnonymizationClient(http_client=app.client)
    untracked = plain.anonymize(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    assert untracked.mlops == {"status": "off", "run_id": None, "error": None}
    assert not (data_dir / "mlflow.db").exists()
    assert plain.list_models() == {"models": [], "count": 0, "total": 0,
                                   "tracking_uri": f"sqlite:///{(data_dir / 'mlflow.db').resolve()}"}

    k5 = sdk.anonymize(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    k3 = sdk.anonymize(PEOPLE, k=3, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    k10 = sdk.anonymize(PEOPLE, k=10, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    for res in (k5, k3, k10):
        assert res.mlops is not None and res.mlops["status"] == "logged", res.mlops
        assert res.mlops["registered_model_name"] == "veil-local-k-anonymity" and res.data
    assert [r.mlops["model_version"] for r in (k5, k3, k10)] == ["1", "2", "3"]  # type: ignore[index]
    assert (data_dir / "mlflow.db").exists() and (data_dir / "mlflow-artifacts").is_dir()
    assert os.environ.get("MLFLOW_DISABLE_TELEMETRY") == "true"  # nothing reported to MLflow's maintainers

    uri = f"sqlite:///{(data_dir / 'mlflow.db').resolve()}"
    ml = _mlflow(uri)
    run = ml.get_run(k5.mlops["run_id"])  # type: ignore[index]
    assert run.data.params["k"] == "5" and run.data.params["privacy_model"] == "k-anonymity"
    assert run.data.params["max_suppression"] == "0.05"
    assert {f"level.{q}" for q in QIS} <= set(run.data.params)
    metrics = run.data.metrics
    assert metrics["information_loss"] == pytest.approx(k5.information_loss)
    assert set(k5.metrics) <= set(metrics)  # every utility metric
    assert metrics["risk.prosecutor_highest"] <= 0.2 and metrics["suppressed_count"] == k5.suppressed_count
    assert run.data.tags["team"] == "qa" and run.data.tags["veil.job_id"] == k5.job_id
    # the solution JSON is the run's artifact, and the model version points at it
    local = ml.download_artifacts(run.info.run_id, "solution/solution.json", str(data_dir / "dl"))
    solution = json.loads(Path(local).read_text())
    assert solution["levels"] == k5.levels
    version = ml.get_model_version("veil-local-k-anonymity", "1")
    assert version.run_id == run.info.run_id and version.source.endswith("/solution")
    # no record values in params or tags
    text = json.dumps([dict(run.data.params), dict(run.data.tags)])
    assert "example.org" not in text and "flu" not in text

    # production: the lowest information loss among versions whose risk is at most 0.2
    # (k=3 has a lower loss but a highest risk of 1/3)
    prod = ml.get_model_version_by_alias("veil-local-k-anonymity", "production")
    assert str(prod.version) == "1" and k5.information_loss < k10.information_loss
    assert k3.information_loss < k5.information_loss

    models = sdk.list_models()
    assert models["count"] == 1
    entry = models["models"][0]
    assert entry["version"] == "1" and entry["job_id"] == k5.job_id and entry["alias"] == "production"
    assert entry["metrics"] == {"information_loss": pytest.approx(k5.information_loss)}
    full = sdk.list_models(all_metrics=True)["models"][0]["metrics"]
    assert {"information_loss", "loss", "discernibility", "risk.prosecutor_highest"} <= set(full)
    assert sdk.list_models(model_type="l-diversity")["count"] == 0

    # the production model's job_id applies; apply_anon, calculate_risk and auto_anonymize log runs
    applied = sdk.apply_anon(entry["job_id"], PEOPLE.head(60))
    assert applied.mlops is not None and applied.mlops["status"] == "logged"
    risk = sdk.calculate_risk(PEOPLE, QIS)
    assert risk.mlops is not None and risk.mlops["status"] == "logged"
    assert ml.get_run(risk.mlops["run_id"]).data.metrics["k_anonymity"] == risk.k_anonymity
    auto = sdk.auto_anonymize(PEOPLE, k=5, mode="heuristic", mlops_config={"experiment_name": "unit",
                                                         "registered_model_name": "auto-people"})
    assert auto.mlops is not None and auto.mlops["status"] == "logged", auto.mlops
    assert auto.mlops["registered_model_name"] == "auto-people"
    job = sdk.submit_job(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    done = sdk.wait_for_job(job.job_id, poll_interval=0.1, timeout=60)
    job_mlops = done.context["result"]["mlops"]
    assert job_mlops["status"] == "logged" and job_mlops["model_version"] == "4", job_mlops
    assert ml.get_run(job_mlops["run_id"]).data.tags["veil.job_id"] == job.job_id
    ops = sorted(r.data.tags["veil.operation"] for r in _runs(ml, "unit"))
    assert ops == ["anonymize"] * 3 + ["apply_anon", "auto_anonymize", "calculate_risk", "submit_job"]
    names = {m["name"] for m in sdk.list_models()["models"]}
    assert names == {"veil-local-k-anonymity", "auto-people"}

    # a higher-is-better promotion metric moves the alias to the version with the highest value
    sdk.anonymize(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05,
                  mlops_config={"experiment_name": "unit", "promotion_metric": "discernibility",
                                "promotion_higher_is_better": True})
    best = max((k5, k10), key=lambda r: r.metrics["discernibility"])
    top = sdk.list_models(all_metrics=True)["models"]
    people = next(m for m in top if m["name"] == "veil-local-k-anonymity")
    assert people["metrics"]["discernibility"] == pytest.approx(best.metrics["discernibility"])


def test_tracking_failure_is_reported_and_anonymization_succeeds(make_app: Any, sqlite_url: str) -> None:
    app = make_app(sqlite_url)
    sdk = AnonymizationClient(http_client=app.client,
                              mlops_config={"tracking_uri": "http://user:s3cret@127.0.0.1:9"})
    res = sdk.anonymize(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    assert res.data is not None and res.row_count == 240
    assert res.mlops is not None and res.mlops["status"] == "failed" and res.mlops["run_id"] is None
    assert res.mlops["error"] and "s3cret" not in json.dumps(res.mlops)
    assert res.mlops["tracking_uri"] == "http://***@127.0.0.1:9"
    # the solution is stored all the same
    assert sdk.apply_anon(res.job_id, PEOPLE.head(10)).mlops["status"] == "failed"  # type: ignore[index]
    with pytest.raises(APIError) as err:
        sdk.list_models()
    assert err.value.status_code == 502 and "s3cret" not in str(err.value)

    # a server whose configured tracking store is unreachable: same report
    down = make_app(sqlite_url, mlflow_tracking="always", mlflow_tracking_uri="http://127.0.0.1:9")
    out = AnonymizationClient(http_client=down.client).calculate_risk(PEOPLE, QIS)
    assert out.mlops is not None and out.mlops["status"] == "failed" and out.k_anonymity >= 1


def test_a_job_that_fails_after_its_run_was_logged_leaves_no_model_version(
    make_app: Any, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import veil.jobs.results as results

    app = make_app(sqlite_url)
    sdk = AnonymizationClient(http_client=app.client, mlops_config={"experiment_name": "retract"})
    good = sdk.submit_job(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    first = sdk.wait_for_job(good.job_id, poll_interval=0.1, timeout=60).context["result"]["mlops"]
    assert first["status"] == "logged" and first["production_version"] == "1"

    def broken_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(results, "write_result_table", broken_disk)
    bad = sdk.submit_job(PEOPLE, k=3, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    with pytest.raises(APIError):
        sdk.wait_for_job(bad.job_id, poll_interval=0.1, timeout=60)

    ml = _mlflow(f"sqlite:///{(Path(app.settings.data_dir) / 'mlflow.db').resolve()}")
    name = first["registered_model_name"]
    versions = ml.search_model_versions(f"name = '{name}'")
    assert [str(v.version) for v in versions] == ["1"]  # the failed job's version 2 is gone
    assert str(ml.get_model_version_by_alias(name, "production").version) == "1"
    failed = [r for r in ml.search_runs([first["experiment_id"]]) if r.data.tags.get("veil.job_id") == bad.job_id]
    assert len(failed) == 1 and failed[0].info.status == "FAILED"


BAD_CONFIGS = [
    ({"experimnt": "x"}, "mlops_config.experimnt"),
    ({"tracking_uri": "sqlite:////etc/mlflow.db"}, "mlops_config.tracking_uri"),
    ({"tracking_uri": "file:///tmp/x"}, "mlops_config.tracking_uri"),
    ({"experiment_name": ""}, "mlops_config.experiment_name"),
    ({"registered_model_name": "a/b"}, "mlops_config.registered_model_name"),
    ({"promotion_metric": 3}, "mlops_config.promotion_metric"),
    ({"risk_threshold": 0}, "mlops_config.risk_threshold"),
    ({"tags": {"veil.principal": "x"}}, "mlops_config.tags.veil.principal"),
    ({"tags": {"a": [1]}}, "mlops_config.tags.a"),
    ({"enabled": "yes"}, "mlops_config.enabled"),
]


def test_bad_mlops_config_is_a_400_naming_the_key(make_app: Any, sqlite_url: str) -> None:
    app = make_app(sqlite_url)
    records = PEOPLE.head(40).to_dict(orient="records")
    for config, field in BAD_CONFIGS:
        body = {"data": records, "k": 2, "attributes": PEOPLE_ATTRS, "mlops_config": config}
        for path in ("/v1/tabular/anonymize", "/v1/tabular/jobs"):
            r = app.client.post(path, json=body)
            assert r.status_code == 400, r.text
            assert r.json()["error"]["field"] == field
        r = app.client.post("/v1/tabular/risk", json={"data": records, "mlops_config": config})
        assert r.status_code == 400 and r.json()["error"]["field"] == field
    assert not (Path(app.settings.data_dir) / "mlflow.db").exists()


def test_allowed_tracking_uris_and_off_mode(make_app: Any, sqlite_url: str) -> None:
    app = make_app(sqlite_url, mlflow_allowed_tracking_uris=["https://mlflow.internal/"], mlflow_tracking="off")
    body = {"data": PEOPLE.head(40).to_dict(orient="records"), "k": 2, "attributes": PEOPLE_ATTRS}
    r = app.client.post("/v1/tabular/anonymize", json={**body, "mlops_config": {"tracking_uri": "http://evil:80"}})
    assert r.status_code == 400 and r.json()["error"]["field"] == "mlops_config.tracking_uri"
    ok = app.client.post("/v1/tabular/anonymize", json={**body, "mlops_config": {"experiment_name": "x"}})
    assert ok.status_code == 200 and ok.json()["mlops"]["status"] == "off"
    assert not (Path(app.settings.data_dir) / "mlflow.db").exists()
    r = app.client.get("/v1/tabular/models", params={"tracking_uri": "sqlite:////etc/x.db"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "tracking_uri"
    r = app.client.get("/v1/tabular/models", params={"promotion_metric": "bad\u0000name"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "promotion_metric"


@pytest.mark.slow
def test_remote_tracking_server(make_app: Any, sqlite_url: str, mlflow_server: str) -> None:
    app = make_app(sqlite_url)
    cfg = {"tracking_uri": mlflow_server, "experiment_name": "remote", "registered_model_name": "people-remote"}
    sdk = AnonymizationClient(http_client=app.client, mlops_config=cfg)
    k5 = sdk.anonymize(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    k6 = sdk.anonymize(PEOPLE, k=10, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    assert k5.mlops["status"] == "logged" and k6.mlops["status"] == "logged", (k5.mlops, k6.mlops)  # type: ignore[index]
    ml = _mlflow(mlflow_server)
    runs = _runs(ml, "remote")
    assert {r.info.run_id for r in runs} == {k5.mlops["run_id"], k6.mlops["run_id"]}  # type: ignore[index]
    assert all("information_loss" in r.data.metrics for r in runs)
    versions = ml.search_model_versions("name = 'people-remote'")
    assert sorted(str(v.version) for v in versions) == ["1", "2"]
    best = min((k5, k6), key=lambda r: r.information_loss)
    assert k5.information_loss < k6.information_loss
    prod = ml.get_model_version_by_alias("people-remote", "production")
    assert prod.run_id == best.mlops["run_id"]  # type: ignore[index]
    # the artifact went through the server's proxied artifact store
    assert "solution/solution.json" in [f.path for f in ml.list_artifacts(prod.run_id, "solution")]
    listed = sdk.list_models()  # the client's mlops_config names the server's registry
    assert [m["name"] for m in listed["models"]] == ["people-remote"] and listed["models"][0]["job_id"] == best.job_id


async def test_async_client_tracks_and_lists(make_app: Any, sqlite_url: str) -> None:
    import httpx2

    app = make_app(sqlite_url)
    from veil.api import create_app

    transport = httpx2.ASGITransport(app=create_app(app.settings, services=app.services))
    async with AsyncAnonymizationClient(base_url="http://test", transport=transport,
                                        mlops_config={"experiment_name": "async"}) as sdk:
        res = await sdk.anonymize(PEOPLE, k=5, attributes=PEOPLE_ATTRS, max_suppression=0.05)
        assert res.mlops is not None and res.mlops["status"] == "logged"
        models = await sdk.list_models(all_metrics=True)
        assert models["count"] == 1 and models["models"][0]["job_id"] == res.job_id
        risk = await sdk.calculate_risk(PEOPLE, QIS)
        assert risk.mlops is not None and risk.mlops["status"] == "logged"
