"""The seed 000 hashing service end to end through the REST API, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

from veil.jobs.runner import execute_job
from veil.store.models.pprl import PprlChunk, PprlProject

SEED_SCHEMA: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "pprl" / "data" / "seed_schema.json").read_text()
)
HEADER = "NAME freetext,DOB YYYY/MM/DD,GENDER M or F\n"
SEED_CSV = HEADER + "Jane Doe,1968/05/19,F\nPeter Griffin,1998/12/20,M\n"
SEED_CLKS = [
    "EgBsCgAQACwDiJiri8oACaApBgB2UigAYJAAADCECKjBgABKJFFNpBVGzMREZBGBmCIwAODcgqGI9hAFKAkndGAhAGClqQEEAiLue2s"
    "iEJQgkUEggGBAAQgGAWAALZACtSAiABMMQlihFVU1MTHEAmlACIMGiIwCsCAoEEDQAAA=",
    "2wRKwCio1SQDeAAEowBECdwNGkAJgChviDATAHTDRCgQECHqxiEARgl+iLQADIspmCB7gcFUgKGIwvCMBAirULh5kkDaiTlAJowckX8"
    "A0BEgk8MgkABIF2EmByhJK6AiMwCGjlGYIlCCwiQAICED4QEgBAMsIBiAMBDkGyCSQAI=",
]
KEYS = {"key1": "correct", "key2": "horse"}


def wait_done(client: Any, project: str, timeout: float = 30) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/projects/{project}/clks").json()["clks_status"]
        if all(r["status"] in ("done", "error") for r in status):
            return list(status)
        time.sleep(0.05)
    raise AssertionError(f"hashing did not finish: {status}")


def upload(client: Any, project: str, body: str | bytes, **params: Any) -> Any:
    return client.post(f"/projects/{project}/clks/", params={"header": True, **params}, content=body)


def test_seed_walkthrough(client: Any, services: Any) -> None:
    r = client.post("/projects/demo-data", params=KEYS, json=SEED_SCHEMA)
    assert r.status_code == 201, r.text
    assert r.json()["mode"] == "two-key" and "correct" not in r.text and "horse" not in r.text
    assert client.post("/projects/bar", params=KEYS, json=SEED_SCHEMA).status_code == 201
    assert client.post("/projects/demo-data", params=KEYS, json=SEED_SCHEMA).status_code == 409
    assert client.get("/projects").json() == {"projects": ["bar", "demo-data"]}

    first = upload(client, "demo-data", SEED_CSV)
    assert first.status_code == 200, first.text
    assert first.json() == {"clk_number": 2, "clk_start_index": 0}
    second = upload(client, "demo-data", SEED_CSV.encode())  # indices only grow
    assert second.json() == {"clk_number": 2, "clk_start_index": 2}
    assert wait_done(client, "demo-data") == [{"index": 0, "count": 4, "status": "done"}]

    r = client.get("/projects/demo-data/clks/2/2")
    assert r.status_code == 200
    assert r.json() == {"clks": [
        {"index": 2, "status": "done", "hash": SEED_CLKS[0], "errMsg": None},
        {"index": 3, "status": "done", "hash": SEED_CLKS[1], "errMsg": None},
    ]}
    assert [c["hash"] for c in client.get("/projects/demo-data/clks/0/100").json()["clks"]] == SEED_CLKS * 2

    assert client.delete("/projects/demo-data/clks/0/2").status_code == 204
    assert [c["index"] for c in client.get("/projects/demo-data/clks/0/4").json()["clks"]] == [2, 3]
    assert client.get("/projects/demo-data/clks").json()["clks_status"] == [{"index": 2, "count": 2, "status": "done"}]

    assert client.delete("/projects/demo-data").status_code == 204
    assert client.get("/projects").json() == {"projects": ["bar"]}
    assert client.get("/projects/demo-data/clks").status_code == 404
    # raw rows never outlive their hashing, and nothing is left of the deleted project
    assert [k for k in services.store.list("pprl") if "/chunks/" in k or "/uploads/" in k] == []


def test_keys_in_headers_or_body_and_secret_mode(client: Any) -> None:
    r = client.post("/projects/h", headers={"X-PPRL-Key1": "correct", "X-PPRL-Key2": "horse"}, json=SEED_SCHEMA)
    assert r.status_code == 201, r.text
    r = client.post("/projects/b", json={"schema": SEED_SCHEMA, "key1": "correct", "key2": "horse"})
    assert r.status_code == 201, r.text
    r = client.post("/projects/s", json={"schema": SEED_SCHEMA, "secret": "chicken"})
    assert r.status_code == 201 and r.json()["mode"] == "secret"
    for project in ("h", "b", "s"):
        assert upload(client, project, SEED_CSV).status_code == 200
    for project in ("h", "b"):
        wait_done(client, project)
        assert [c["hash"] for c in client.get(f"/projects/{project}/clks/0/2").json()["clks"]] == SEED_CLKS
    wait_done(client, "s")
    secret_clks = [c["hash"] for c in client.get("/projects/s/clks/0/2").json()["clks"]]
    assert all(secret_clks) and secret_clks != SEED_CLKS


def test_keys_are_encrypted_and_never_returned_logged_or_audited(client: Any, services: Any, caplog: Any) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    marker = "Sup3r-Secret-Key-Value"
    assert client.post("/projects/k", params={"secret": marker}, json=SEED_SCHEMA).status_code == 201
    assert upload(client, "k", SEED_CSV).status_code == 200
    wait_done(client, "k")
    with services.db.session() as s:
        project = s.query(PprlProject).one()
        assert marker not in project.keys_token and marker not in json.dumps(project.schema)
    audit = client.get("/v1/audit", params={"limit": 100}).json()
    jobs = client.get("/v1/jobs", params={"limit": 100}).json()
    assert marker not in json.dumps(audit) and marker not in json.dumps(jobs)
    for history in (client.get(f"/v1/jobs/{j['job_id']}/history").json() for j in jobs.get("jobs", [])):
        assert marker not in json.dumps(history)
    assert "Jane" not in json.dumps(audit) and "Jane" not in json.dumps(jobs)
    server_lines = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]  # httpx = the test's client
    assert server_lines and not [line for line in server_lines if marker in line or "Jane" in line]


def test_bad_rows_get_errmsg_and_others_are_hashed(client: Any) -> None:
    client.post("/projects/p", params=KEYS, json=SEED_SCHEMA)
    body = HEADER + "Jane Doe,1968/05/19,F\nAl,1968/05/19,F\nShort,1968/05/19\nPeter Griffin,1998/12/20,M\n"
    assert upload(client, "p", body).json() == {"clk_number": 4, "clk_start_index": 0}
    assert wait_done(client, "p") == [
        {"index": 0, "count": 1, "status": "done"},
        {"index": 1, "count": 2, "status": "error"},
        {"index": 3, "count": 1, "status": "done"},
    ]
    clks = client.get("/projects/p/clks/0/4").json()["clks"]
    assert [c["hash"] for c in clks] == [SEED_CLKS[0], None, None, SEED_CLKS[1]]
    assert "column 'NAME freetext'" in clks[1]["errMsg"] and "Al" not in clks[1]["errMsg"]
    assert clks[2]["errMsg"] == "Row 2 has 2 entries when 3 are expected."
    assert [c["status"] for c in clks] == ["done", "error", "error", "done"]


BAD_REQUESTS: list[tuple[str, str, dict[str, Any], int]] = [
    ("GET", "/projects/nope/clks", {}, 404),
    ("GET", "/projects/nope/clks/0/1", {}, 404),
    ("DELETE", "/projects/nope/clks/0/1", {}, 404),
    ("DELETE", "/projects/nope", {}, 404),
    ("POST", "/projects/nope/clks/", {"content": SEED_CSV}, 404),
    ("GET", "/projects/p/clks/5/1", {}, 400),  # offset past the last record
    ("GET", "/projects/p/clks/0/100001", {}, 400),  # limit over the page maximum
    ("GET", "/projects/p/clks/-1/1", {}, 422),
    ("GET", "/projects/p/clks/0/-5", {}, 422),
    ("GET", "/projects/p/clks/99999999999999999999999/1", {}, 422),
    ("GET", "/projects/p/clks/0/99999999999999999999999", {}, 422),
    ("GET", "/projects/p/clks/abc/1", {}, 422),
    ("DELETE", "/projects/p/clks/7/1", {}, 400),
    ("DELETE", "/projects/p/clks/-1/1", {}, 422),
    ("POST", "/projects/p/clks/", {"content": "name,dob,sex\nJane Doe,1968/05/19,F\n"}, 400),
    ("POST", "/projects/p/clks/", {"content": "NAME freetext,DOB YYYY/MM/DD\n"}, 400),
    ("POST", "/projects/p/clks/", {"content": b"NAME freetext,DOB YYYY/MM/DD,GENDER M or F\n\xff\xfe,x,y\n"}, 400),
    ("POST", "/projects/p/clks/", {"content": ""}, 400),  # header expected
    ("POST", "/projects/p2", {"json": {"version": 1}, "params": KEYS}, 400),
    ("POST", "/projects/p2", {"json": {"schema": SEED_SCHEMA}}, 400),  # no keys
    ("POST", "/projects/p2", {"json": SEED_SCHEMA, "params": {"key1": "a"}}, 400),
    ("POST", "/projects/p2", {"json": SEED_SCHEMA, "params": {"secret": ""}}, 400),
    ("POST", "/projects/p2", {"json": SEED_SCHEMA, "params": {**KEYS, "secret": "x"}}, 400),
    ("POST", "/projects/p2", {"json": [1, 2], "params": KEYS}, 422),
    ("POST", "/projects/p2", {"content": b"{not json", "params": KEYS,
                              "headers": {"content-type": "application/json"}}, 400),
    ("POST", "/projects/bad id!", {"json": SEED_SCHEMA, "params": KEYS}, 400),
    ("POST", "/projects/p2", {"json": {"schema": SEED_SCHEMA, "key1": 1, "key2": "b"}}, 400),
    ("POST", "/projects/p2", {"json": {"schema": SEED_SCHEMA, **KEYS}, "params": {"key1": "other"}}, 400),
]


def test_bad_input_is_4xx_never_5xx(client: Any) -> None:
    assert client.post("/projects/p", params=KEYS, json=SEED_SCHEMA).status_code == 201
    assert upload(client, "p", SEED_CSV).status_code == 200
    for method, path, kwargs, status in BAD_REQUESTS:
        r = client.request(method, path, **kwargs)
        assert r.status_code == status, (method, path, kwargs, r.text)
        if status == 400:
            assert r.json()["error"]["message"], (method, path)
    assert client.get("/projects").json() == {"projects": ["p"]}  # nothing was created by the bad requests


def test_schema_error_names_the_json_path(client: Any) -> None:
    bad = copy.deepcopy(SEED_SCHEMA)
    bad["features"][1]["format"]["pattern"] = "(unclosed"
    r = client.post("/projects/x", params=KEYS, json=bad)
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "features[1].format.pattern"


def test_pending_work_is_cancelled_and_raw_rows_deleted(client: Any, services: Any, monkeypatch: Any) -> None:
    """Chunks queued (jobs created but not run): range deletion drops or blanks their raw rows."""
    from veil.service import pprl as pprl_service

    monkeypatch.setattr(pprl_service, "CHUNK_ROWS", 3)
    monkeypatch.setattr(services.jobs, "submit", services.jobs.create)  # keep the work queued
    client.post("/projects/q", params=KEYS, json=SEED_SCHEMA)
    rows = "".join(f"Person Number{i},1970/01/0{i % 9 + 1},{'MF'[i % 2]}\n" for i in range(7))
    assert upload(client, "q", HEADER + rows).json() == {"clk_number": 7, "clk_start_index": 0}
    assert client.get("/projects/q/clks").json()["clks_status"] == [{"index": 0, "count": 7, "status": "queued"}]
    queued = client.get("/projects/q/clks/0/7").json()["clks"]
    assert [c["status"] for c in queued] == ["queued"] * 7 and all(c["hash"] is None for c in queued)

    # chunk [3, 6) fully deleted, chunk [0, 3) partially: its record 2 is blanked in storage
    assert client.delete("/projects/q/clks/2/4").status_code == 204
    with services.db.session() as s:
        chunks = {c.start_index: (c.object_key, c.job_id) for c in s.query(PprlChunk).all()}
    assert sorted(chunks) == [0, 6]
    assert b"Number2" not in services.store.get(chunks[0][0]) and b"Number1" in services.store.get(chunks[0][0])
    assert client.get("/projects/q/clks").json()["clks_status"] == [
        {"index": 0, "count": 2, "status": "queued"}, {"index": 6, "count": 1, "status": "queued"}]
    jobs = {j["job_id"]: j["status"] for j in client.get("/v1/jobs", params={"limit": 50}).json()["jobs"]}
    assert list(jobs.values()).count("cancelled") == 1

    for key, job_id in chunks.values():
        assert execute_job(job_id, services) == "completed"
        assert not services.store.exists(key)
    assert wait_done(client, "q") == [
        {"index": 0, "count": 2, "status": "done"}, {"index": 6, "count": 1, "status": "done"}]
    assert [c["index"] for c in client.get("/projects/q/clks/0/7").json()["clks"]] == [0, 1, 6]
    assert [k for k in services.store.list("pprl") if "/chunks/" in k or "/uploads/" in k] == []


def test_large_upload_in_chunks_with_progress(client: Any, services: Any, monkeypatch: Any) -> None:
    from veil.service import pprl as pprl_service

    monkeypatch.setattr(pprl_service, "CHUNK_ROWS", 1000)
    n = 5 * pprl_service.CHUNK_ROWS + 123
    body = HEADER + "".join(f"Person {i},19{i % 90 + 10}/0{i % 9 + 1}/1{i % 9},{'MF'[i % 2]}\n" for i in range(n))
    client.post("/projects/big", params=KEYS, json=SEED_SCHEMA)
    assert upload(client, "big", body).json() == {"clk_number": n, "clk_start_index": 0}
    status = client.get("/projects/big/clks").json()["clks_status"]
    assert sum(r["count"] for r in status) == n
    assert {r["status"] for r in status} <= {"queued", "in_progress", "done"}
    assert wait_done(client, "big", timeout=60) == [{"index": 0, "count": n, "status": "done"}]
    page = client.get(f"/projects/big/clks/{n - 3}/10").json()["clks"]
    assert [c["index"] for c in page] == [n - 3, n - 2, n - 1] and all(c["hash"] for c in page)


def test_status_and_fetch_are_one_snapshot_while_a_chunk_finishes(client: Any, services: Any, monkeypatch: Any) -> None:
    """A chunk that finishes between the read of the pending chunks and the read of the computed
    CLKs is counted once (as pending), never twice: both reads see one snapshot."""
    import threading

    from veil.service import pprl as pprl_service

    monkeypatch.setattr(pprl_service, "CHUNK_ROWS", 3)
    monkeypatch.setattr(services.jobs, "submit", services.jobs.create)  # keep the work queued
    client.post("/projects/snap", params=KEYS, json=SEED_SCHEMA)
    rows = "".join(f"Person Number{i},1970/01/0{i % 9 + 1},{'MF'[i % 2]}\n" for i in range(6))
    assert upload(client, "snap", HEADER + rows).json() == {"clk_number": 6, "clk_start_index": 0}
    with services.db.session() as s:
        job_ids = [c.job_id for c in s.query(PprlChunk).order_by(PprlChunk.start_index).all()]

    real = pprl_service._pending_ranges
    finished: list[str] = []

    def pending_then_finish(*args: Any) -> Any:
        out = real(*args)
        if not finished:  # the first chunk completes (in its own thread and session) right now
            worker = threading.Thread(target=lambda: finished.append(execute_job(job_ids[0], services)))
            worker.start()
            worker.join(timeout=60)
        return out

    monkeypatch.setattr(pprl_service, "_pending_ranges", pending_then_finish)
    status = client.get("/projects/snap/clks").json()["clks_status"]
    assert finished == ["completed"]
    assert sum(r["count"] for r in status) == 6, status
    fetched = client.get("/projects/snap/clks/0/6").json()["clks"]
    assert [c["index"] for c in fetched] == list(range(6))
    monkeypatch.setattr(pprl_service, "_pending_ranges", real)
    assert client.get("/projects/snap/clks").json()["clks_status"][0] == {"index": 0, "count": 3, "status": "done"}
