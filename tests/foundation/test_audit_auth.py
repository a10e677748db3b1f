"""Audit entries for every operation; API keys, auth on/off, principal isolation and tiers."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from veil.api import create_app
from veil.service.container import Services
from veil.store.models import ApiKey, AuditEntry

from . import job_tasks  # noqa: F401
from .test_jobs import wait_for


def test_audit_entries_written_and_filtered(client: Any) -> None:
    client.get("/v1/jobs")
    client.get("/v1/jobs/does-not-exist")
    client.get("/v1/jobs", params={"key1": "correct", "secret": "horse"})
    page = client.get("/v1/audit", params={"operation": "list_jobs"}).json()
    assert page["total"] == 2
    entry = page["entries"][0]
    assert entry["status"] == "success" and entry["principal"] == "local" and entry["duration_ms"] >= 0
    assert entry["path"] == "/v1/jobs"
    errors = client.get("/v1/audit", params={"status": "error"}).json()
    assert errors["total"] == 1
    assert errors["entries"][0]["operation"] == "get_job_status"
    assert errors["entries"][0]["status_code"] == 404
    assert "not found" in errors["entries"][0]["error_message"]
    one = client.get(f"/v1/audit/{entry['id']}")
    assert one.status_code == 200 and one.json()["id"] == entry["id"]
    assert client.get("/v1/audit/nope").status_code == 404
    paged = client.get("/v1/audit", params={"limit": 1, "offset": 1}).json()
    assert len(paged["entries"]) == 1 and paged["offset"] == 1


def test_audit_never_stores_secrets_or_values(client: Any, services: Any) -> None:
    client.get("/v1/jobs", params={"key1": "correct-horse", "api_key": "battery"})
    client.get("/health")  # not an operation: not audited
    with services.db.session() as s:
        rows = list(s.execute(select(AuditEntry)).scalars())
    dump = repr([(r.operation, r.path, r.error_message, r.details) for r in rows])
    assert "correct-horse" not in dump and "battery" not in dump
    assert all(r.operation != "health" for r in rows)


def test_auth_off_by_default_and_on_with_a_key(client: Any, services: Any) -> None:
    assert client.get("/v1/jobs").status_code == 200
    assert client.get("/health").json()["auth"] is False
    created = services.auth.create_key("alice")
    assert created["key"].startswith("veil_")
    r = client.get("/v1/jobs")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert client.get("/v1/jobs", headers={"X-API-Key": "veil_wrong"}).status_code == 401
    assert client.get("/v1/jobs", headers={"X-API-Key": created["key"]}).status_code == 200
    assert client.get("/v1/jobs", headers={"Authorization": f"Bearer {created['key']}"}).status_code == 200
    assert client.get("/health").status_code == 200  # health stays open
    services.auth.revoke_key(created["id"])
    services.auth.create_key("bob")  # keeps auth on
    assert client.get("/v1/jobs", headers={"X-API-Key": created["key"]}).status_code == 401


def test_keys_are_stored_hashed(services: Any) -> None:
    created = services.auth.create_key("carol")
    with services.db.session() as s:
        row = s.execute(select(ApiKey)).scalar_one()
        assert created["key"] not in (row.key_hash, row.prefix, row.name)
        assert len(row.key_hash) == 64
    assert all("key" not in k for k in services.auth.list_keys())


def test_principals_see_only_their_own_jobs_and_audit(client: Any, services: Any) -> None:
    a = services.auth.create_key("a")["key"]
    b = services.auth.create_key("b")["key"]
    pa = services.auth.authenticate(a)
    job = services.jobs.submit("test.quick", {}, pa.id)
    wait_for(services, job["job_id"])
    ha, hb = {"X-API-Key": a}, {"X-API-Key": b}
    assert client.get(f"/v1/jobs/{job['job_id']}", headers=ha).status_code == 200
    assert client.get(f"/v1/jobs/{job['job_id']}", headers=hb).status_code == 404
    assert client.post(f"/v1/jobs/{job['job_id']}/cancel", headers=hb).status_code == 404
    assert client.get("/v1/jobs", headers=hb).json()["total"] == 0
    assert client.get("/v1/jobs", headers=ha).json()["total"] == 1
    audit_b = client.get("/v1/audit", headers=hb).json()["entries"]
    assert all(e["principal"] == services.auth.authenticate(b).id for e in audit_b)
    unauth = [
        e for e in client.get("/v1/audit", headers=ha).json()["entries"] if e["principal"] == "anonymous"
    ]
    assert unauth == []


def test_env_api_keys_turn_auth_on(tmp_path: Any, database_url: str) -> None:
    from ..conftest import make_settings

    settings = make_settings(tmp_path, database_url, api_keys="k-one,k-two")
    services = Services(settings)
    try:
        with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
            assert c.get("/v1/jobs").status_code == 401
            assert c.get("/v1/jobs", headers={"X-API-Key": "k-two"}).status_code == 200
    finally:
        services.close()


def test_tier_restriction_is_403_with_structured_fields(client: Any, services: Any) -> None:
    free = services.auth.create_key("free-user", tier="free")["key"]
    limited = services.auth.create_key("no-jobs", features=["text"])["key"]
    assert client.get("/v1/jobs", headers={"X-API-Key": free}).status_code == 200
    r = client.get("/v1/jobs", headers={"X-API-Key": limited})
    assert r.status_code == 403
    err = r.json()["error"]
    assert err["code"] == "tier_restricted"
    assert err["details"] == {"feature": "jobs", "tier": "enterprise", "required_tier": "free"}


def test_audit_entry_timing_is_recorded_after_response(client: Any, services: Any) -> None:
    start = time.time()
    client.get("/v1/jobs")
    page = services.audit.list("local")
    assert page["total"] == 1
    assert page["entries"][0]["duration_ms"] < (time.time() - start) * 1000 + 1
