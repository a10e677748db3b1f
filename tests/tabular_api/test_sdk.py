"""Every SDK method, sync and async, against the in-process app (SQLite and PostgreSQL)."""

from __future__ import annotations

import inspect
import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.tabular_api.helpers import PEOPLE, PEOPLE_ATTRS
from veil.client import AnonymizationClient, AsyncAnonymizationClient
from veil.client.exceptions import APIError
from veil.client.models import (
    AnonymizeResult,
    ApplyResult,
    AuditEntry,
    AutoAnonymizeResult,
    AutoConfigResult,
    DetectionMode,
    DetectionResult,
    JobHistoryEntry,
    JobListResult,
    JobResponse,
    JobStatus,
    JobStatusResponse,
    MetricsResult,
    Pattern,
    PatternListResult,
    PrivacyModel,
    RiskLevel,
    RiskResult,
    SamplingMethod,
    ValidationResult,
)


@pytest.fixture(params=["in-process", "uvicorn"])
def sdk(request: pytest.FixtureRequest, database_url: str) -> Iterator[AnonymizationClient]:
    """The sync client in-process (TestClient) and over HTTP against a real uvicorn server
    (the server variant runs on SQLite only, to keep the suite short)."""
    if request.param == "in-process":
        client = request.getfixturevalue("client")
        yield AnonymizationClient(http_client=client)
        return
    if not database_url.startswith("sqlite"):
        pytest.skip("the uvicorn variant runs on SQLite only")
    url = request.getfixturevalue("live_server")
    with AnonymizationClient(url, timeout=120) as c:
        yield c


def test_signatures_follow_the_seed() -> None:
    sig = inspect.signature(AnonymizationClient.anonymize)
    names = list(sig.parameters)
    assert names[:11] == ["self", "data", "privacy_model", "k", "l", "t", "attributes", "max_suppression",
                          "output_uri", "output_format", "mlops_config"]
    assert sig.parameters["k"].default == 5 and sig.parameters["output_format"].default == "csv"
    assert list(inspect.signature(AnonymizationClient.calculate_risk).parameters)[:3] == [
        "self", "data", "quasi_identifiers"]
    w = inspect.signature(AnonymizationClient.wait_for_job).parameters
    assert (w["poll_interval"].default, w["timeout"].default, w["callback"].default) == (2.0, 600.0, None)
    for name, fn in inspect.getmembers(AnonymizationClient, inspect.isfunction):
        if not name.startswith("_") and hasattr(AsyncAnonymizationClient, name):
            a = inspect.signature(getattr(AsyncAnonymizationClient, name))
            assert list(a.parameters) == list(inspect.signature(fn).parameters), name
    assert [m.value for m in PrivacyModel] == ["k-anonymity", "l-diversity", "t-closeness"]
    assert DetectionMode.AUTO == "auto" and SamplingMethod.ADAPTIVE == "adaptive"


def test_health(sdk: AnonymizationClient) -> None:
    assert sdk.is_healthy()
    assert sdk.get_health()["status"] == "ok"


def test_detect_config_risk(sdk: AnonymizationClient, tmp_path: Path) -> None:
    det = sdk.detect_qi(PEOPLE, mode="heuristic", sampling_method=SamplingMethod.FULL)
    assert isinstance(det, DetectionResult)
    assert {"customer_id", "email"} <= set(det.direct_identifiers) and "diagnosis" in det.sensitive_attributes
    assert det.attributes[0].name == "customer_id"
    cfg = sdk.generate_config(PEOPLE, k=3, max_suppression=0.05)
    assert isinstance(cfg, AutoConfigResult) and cfg.anonymize_request["k"] == 3
    path = tmp_path / "people.csv"
    PEOPLE.to_csv(path, index=False)
    risk = sdk.calculate_risk(str(path), ["age", "gender", "zipcode"], risk_threshold=0.2)
    assert isinstance(risk, RiskResult) and risk.prosecutor is not None
    assert risk.highest_risk_level in list(RiskLevel)
    assert risk.is_k_anonymous(1) and not risk.is_k_anonymous(10_000)
    assert risk.marketer is not None and risk.marketer.success_rate == pytest.approx(risk.prosecutor.average_risk)


def test_anonymize_apply_models_validate_measure(sdk: AnonymizationClient) -> None:
    res = sdk.anonymize(PEOPLE, k=4, attributes=PEOPLE_ATTRS, max_suppression=0.05,
                        mlops_config={"experiment": "unit", "risk_threshold": 0.25})
    assert isinstance(res, AnonymizeResult) and res.row_count == 240 and res.data is not None
    assert "email" not in res.data[0] and res.job_id
    qis = ["age", "gender", "zipcode"]
    val = sdk.validate(res.data, qis, k=4)
    assert isinstance(val, ValidationResult) and val.is_valid
    bad = sdk.validate(PEOPLE, ["customer_id"], k=2)
    assert not bad.is_valid and bad.violations
    ldiv = sdk.validate(res.data, qis, privacy_model=PrivacyModel.L_DIVERSITY, k=1, l=1,
                        sensitive_attributes=["diagnosis"])
    assert ldiv.is_valid
    m = sdk.measure(PEOPLE, res.to_dataframe().assign(customer_id=PEOPLE["customer_id"],
                                                      email=PEOPLE["email"]), qis)
    assert isinstance(m, MetricsResult) and 0 <= m.information_loss <= 1
    applied = sdk.apply_anon(res.job_id, PEOPLE.head(120))
    assert isinstance(applied, ApplyResult) and applied.source_job_id == res.job_id
    assert applied.levels == res.levels and applied.row_count == 120
    models = sdk.list_models(all_metrics=True)
    assert models["count"] >= 1 and set(models["models"][0]["metrics"]) >= {"loss", "discernibility"}
    assert sdk.list_models(model_type="t-closeness")["count"] == 0
    with pytest.raises(APIError) as err:
        sdk.apply_anon("no-such-job", PEOPLE)
    assert err.value.status_code == 404


def test_jobs(sdk: AnonymizationClient) -> None:
    job = sdk.submit_job(PEOPLE, k=4, attributes=PEOPLE_ATTRS, max_suppression=0.05)
    assert isinstance(job, JobResponse) and job.status in (JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED)
    seen: list[JobStatusResponse] = []
    status = sdk.wait_for_job(job.job_id, poll_interval=0.05, timeout=60, callback=seen.append)
    assert status.status == JobStatus.COMPLETED and seen
    result = status.context["result"]
    assert result["row_count"] == 240 and result["data"] and status.result_path
    assert sdk.get_job_status(job.job_id).progress == 100
    history = sdk.get_job_history(job.job_id)
    assert all(isinstance(h, JobHistoryEntry) for h in history)
    assert history[0].status == JobStatus.PENDING and history[-1].status == JobStatus.COMPLETED
    listed = sdk.list_jobs(status=JobStatus.COMPLETED, limit=5)
    assert isinstance(listed, JobListResult) and listed.jobs[0].job_id == job.job_id
    with pytest.raises(APIError) as err:
        sdk.cancel_job(job.job_id)
    assert err.value.status_code == 409
    applied = sdk.apply_anon(job.job_id, PEOPLE)
    assert applied.row_count == 240


def test_failed_job_records_error(sdk: AnonymizationClient) -> None:
    job = sdk.submit_job(PEOPLE, k=4, attributes=PEOPLE_ATTRS, privacy_model="l-diversity", l=9)
    with pytest.raises(APIError) as err:
        sdk.wait_for_job(job.job_id, poll_interval=0.05, timeout=60)
    assert err.value.code == "job_failed"
    status = sdk.get_job_status(job.job_id)
    assert status.status == JobStatus.FAILED and status.error and "max_suppression" in status.error


def test_auto_anonymize(sdk: AnonymizationClient) -> None:
    out = sdk.auto_anonymize(PEOPLE, k=3, max_suppression=0.1)
    assert isinstance(out, AutoAnonymizeResult) and out.data is not None and out.job_id
    assert "email" in out.detection.direct_identifiers


def test_patterns(sdk: AnonymizationClient) -> None:
    p = sdk.create_pattern("zip_si", "SI", ["zip*"], priority=5, description="test")
    assert isinstance(p, Pattern) and p.priority == 5
    with pytest.raises(APIError) as err:
        sdk.create_pattern("zip_si", "QI", ["x"])
    assert err.value.status_code == 409
    assert "zipcode" in sdk.detect_qi(PEOPLE).sensitive_attributes
    listed = sdk.list_patterns()
    assert isinstance(listed, PatternListResult) and listed.total == 1
    assert sdk.list_patterns(classification="QI").total == 0
    assert sdk.get_pattern(p.id).name == "zip_si"
    up = sdk.update_pattern(p.id, priority=7, value_patterns=[r"\d{5}"])
    assert up.priority == 7 and up.value_patterns == [r"\d{5}"] and up.classification == "SI"
    assert sdk.reload_patterns()["builtin_count"] > 20
    assert sdk.delete_pattern(p.id)["deleted"] == p.id
    with pytest.raises(APIError) as err:
        sdk.get_pattern(p.id)
    assert err.value.status_code == 404
    sdk.create_pattern("a", "QI", ["a*"])
    sdk.create_pattern("b", "NSI", ["b*"])
    assert sdk.delete_all_patterns()["deleted_count"] == 2


def test_audit(sdk: AnonymizationClient) -> None:
    sdk.calculate_risk(PEOPLE, ["age"])
    entries: list[AuditEntry] = []
    for _ in range(100):  # the entry is written after the response
        entries = sdk.audit_list(operation="calculate_risk")
        if entries:
            break
        time.sleep(0.05)
    assert entries and isinstance(entries[0], AuditEntry) and entries[0].record_count == 240
    assert sdk.audit_get(entries[0].id).operation == "calculate_risk"


@pytest.mark.parametrize("mode", ["in-process", "uvicorn"])
async def test_async_client_every_method(mode: str, request: pytest.FixtureRequest, database_url: str) -> None:
    if mode == "uvicorn":
        if not database_url.startswith("sqlite"):
            pytest.skip("the uvicorn variant runs on SQLite only")
        kwargs: dict[str, Any] = {"base_url": request.getfixturevalue("live_server")}
    else:
        request.getfixturevalue("client")  # runs the app's lifespan (job executor)
        kwargs = {"base_url": "http://test", "transport": httpx2.ASGITransport(app=request.getfixturevalue("app"))}
    async with AsyncAnonymizationClient(**kwargs) as sdk:
        assert await sdk.is_healthy() and (await sdk.get_health())["status"] == "ok"
        det = await sdk.detect_qi(PEOPLE)
        assert "email" in det.direct_identifiers
        cfg = await sdk.generate_config(PEOPLE, k=3)
        assert cfg.anonymize_request["k"] == 3
        risk = await sdk.calculate_risk(PEOPLE, ["age", "gender"])
        assert risk.prosecutor is not None
        res = await sdk.anonymize(PEOPLE, k=4, attributes=PEOPLE_ATTRS, max_suppression=0.05,
                                  mlops_config={"risk_threshold": 0.25})
        assert res.data is not None
        applied = await sdk.apply_anon(res.job_id, PEOPLE.head(50))
        assert applied.row_count == 50
        assert (await sdk.list_models())["count"] >= 1
        job = await sdk.submit_job(PEOPLE, k=4, attributes=PEOPLE_ATTRS, max_suppression=0.05)
        calls: list[Any] = []

        async def cb(status: JobStatusResponse) -> None:
            calls.append(status)

        done = await sdk.wait_for_job(job.job_id, poll_interval=0.05, timeout=60, callback=cb)
        assert done.status == JobStatus.COMPLETED and calls
        assert (await sdk.get_job_status(job.job_id)).context["result"]["row_count"] == 240
        assert (await sdk.get_job_history(job.job_id))[-1].status == JobStatus.COMPLETED
        assert (await sdk.list_jobs(status="completed")).total >= 1
        with pytest.raises(APIError):
            await sdk.cancel_job(job.job_id)
        auto = await sdk.auto_anonymize(PEOPLE, k=3, max_suppression=0.1)
        assert auto.job_id
        val = await sdk.validate(res.data, ["age", "gender", "zipcode"], k=4)
        assert val.is_valid
        m = await sdk.measure(PEOPLE.drop(columns=["customer_id", "email"]), res.data, ["age", "gender", "zipcode"])
        assert m.information_loss >= 0
        p = await sdk.create_pattern("x", "QI", ["x*"])
        assert (await sdk.get_pattern(p.id)).name == "x"
        assert (await sdk.update_pattern(p.id, name="y")).name == "y"
        assert (await sdk.list_patterns()).total == 1
        assert (await sdk.reload_patterns())["custom_count"] == 1
        assert (await sdk.delete_pattern(p.id))["deleted"] == p.id
        assert (await sdk.delete_all_patterns())["deleted_count"] == 0
        entries = await sdk.audit_list(limit=5)
        assert entries and (await sdk.audit_get(entries[0].id)).id == entries[0].id


def test_anonymization_jobs_run_one_at_a_time_fifo(sdk: AnonymizationClient) -> None:
    jobs = [sdk.submit_job(PEOPLE, k=k, attributes=PEOPLE_ATTRS) for k in (2, 3, 4)]
    done = [sdk.wait_for_job(j.job_id, poll_interval=0.05, timeout=120) for j in jobs]
    assert all(s.status == JobStatus.COMPLETED for s in done)
    for before, after in itertools.pairwise(done):
        assert before.completed_at is not None and after.started_at is not None
        assert before.completed_at <= after.started_at


async def test_async_cancel_pending_job(app: Any, client: Any) -> None:
    from tests.foundation import job_tasks

    services = app.state.services
    job_tasks.RELEASE.clear()
    # hold the one-at-a-time anonymize lane so the jobs below are certainly still pending
    blocker = services.jobs.submit("test.block", {}, "local")
    transport = httpx2.ASGITransport(app=app)
    try:
        async with AsyncAnonymizationClient(base_url="http://test", transport=transport) as sdk:
            jobs = [await sdk.submit_job(PEOPLE, k=4, attributes=PEOPLE_ATTRS) for _ in range(3)]
            await sdk.cancel_job(jobs[-1].job_id)
            job_tasks.RELEASE.set()
            status = await sdk.wait_for_job(jobs[-1].job_id, poll_interval=0.05, timeout=60)
            assert status.status == JobStatus.CANCELLED
            for j in jobs[:-1]:
                done = await sdk.wait_for_job(j.job_id, poll_interval=0.05, timeout=60)
                assert done.status == JobStatus.COMPLETED
            assert (await sdk.get_job_status(blocker["job_id"])).status == JobStatus.COMPLETED
    finally:
        job_tasks.RELEASE.set()


def test_value_detection_uses_the_text_recognizers(sdk: AnonymizationClient) -> None:
    n = 200
    frame = PEOPLE.head(n).assign(
        c1=[f"user{i}@mail.example.com" for i in range(n)],
        c2=[f"+1 415 555 {1000 + i:04d}" for i in range(n)],
        c3=[["Mary Johnson", "James Brown", "Patricia Davis", "Robert Miller"][i % 4] for i in range(n)],
    )
    det = sdk.detect_qi(frame, uniqueness_threshold=1.0)
    kinds = {a.name: (a.classification, a.method, a.reason) for a in det.attributes}
    assert kinds["c1"][0] == "DI" and kinds["c2"][0] == "DI" and kinds["c3"][0] == "DI"
    assert "NAME" in kinds["c3"][2] and "PHONE_NUMBER" in kinds["c2"][2] and "EMAIL_ADDRESS" in kinds["c1"][2]
    assert kinds["c1"][1] == "values"
    assert kinds["zipcode"][0] in ("QI", "NSI") and kinds["age"][0] in ("QI", "NSI")


def test_job_with_mixed_type_column(sdk: AnonymizationClient) -> None:
    records = [{"code": (i if i % 2 else f"x{i % 6}"), "grp": i % 3} for i in range(60)]
    job = sdk.submit_job(records, k=2, attributes=[{"name": "code", "type": "quasi_identifier"},
                                                   {"name": "grp", "type": "quasi_identifier"}],
                         max_suppression=0.5)
    status = sdk.wait_for_job(job.job_id, poll_interval=0.05, timeout=60)
    assert status.status == JobStatus.COMPLETED and status.context["result"]["row_count"] == 60
