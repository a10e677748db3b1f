"""VEIL_TEXT_RECOGNIZERS_FILE: server-wide recognizers (a path or an fsspec URI) used by every
de-identification of the service; a bad file is a 503 naming the entry, the same on every use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fsspec
import pytest

from tests.conftest import make_settings
from veil.text import DeidentifyOptions, deidentify

BADGES = """\
recognizers:
  - name: badge
    entity_type: BADGE_ID
    patterns:
      - regex: 'BDG-\\d{4}-[A-Z]{2}'
        score: 0.9
"""
BAD_SECOND = BADGES + """\
  - name: broken
    entity_type: BADGE_ID
    patterns:
      - regex: '(unclosed'
        score: 0.9
"""


def service(tmp_path: Path, database_url: str, source: str) -> Any:
    from starlette.testclient import TestClient

    from veil.api import create_app
    from veil.service.container import Services

    settings = make_settings(tmp_path, database_url, text_recognizers_file=source)
    services = Services(settings)
    return services, TestClient(create_app(settings, services=services), raise_server_exceptions=False)


def deid(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/deidentify_text", json={"key": "k", **body})


def test_file_recognizers_apply_to_every_request(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "server.yaml"
    path.write_text(BADGES, encoding="utf-8")
    services, client = service(tmp_path, database_url, str(path))
    with client:
        r = deid(client, {"text": "her badge BDG-4471-ZX opened the gate"})
        assert r.status_code == 200, r.text
        assert r.json()["result"] == "her badge [BADGE_ID_1] opened the gate"
        r = deid(client, {"text": ["BDG-1234-AB", "none here"], "enabled_classes": ["BADGE_ID"]})
        assert r.status_code == 200, r.text
        assert [x["result"] for x in r.json()] == ["[BADGE_ID_1]", "none here"]
        # a caller's own recognizer of the same name does not clash with the server's
        own = {"name": "badge", "entity_type": "DESK_ID", "patterns": [{"regex": r"DSK-\d{3}", "score": 0.9}]}
        assert client.post("/v1/text/recognizers", json=own).status_code == 201
        r = deid(client, {"text": "desk DSK-120, badge BDG-4471-ZX"})
        assert r.status_code == 200, r.text
        assert r.json()["result"] == "desk [DESK_ID_1], badge [BADGE_ID_1]"
    services.close()


def test_batch_jobs_use_the_file_recognizers(tmp_path: Path, database_url: str) -> None:
    import json

    from veil.client.text import TextClient

    path = tmp_path / "server.yaml"
    path.write_text(BADGES, encoding="utf-8")
    services, client = service(tmp_path, database_url, str(path))
    with client:
        tc = TextClient(http_client=client)
        lines = b'{"text": "badge BDG-4471-ZX at the door"}\n{"text": "no badge today"}\n'
        job = tc.deidentify_batch(lines, format="jsonl", accuracy_mode="standard", enabled_classes=["BADGE_ID"])
        tc.wait_for_batch(job["job_id"], poll_interval=0.05, timeout=60)
        out = [json.loads(x) for x in tc.download_batch_result(job["job_id"]).splitlines()]
        assert [x["result"] for x in out] == ["badge [BADGE_ID_1] at the door", "no badge today"]
    services.close()


def test_fsspec_uri(tmp_path: Path, database_url: str) -> None:
    with fsspec.open("memory://veil-tests/server-badges.yaml", "w") as fh:
        fh.write(BADGES)
    services, client = service(tmp_path, database_url, "memory://veil-tests/server-badges.yaml")
    with client:
        r = deid(client, {"text": "badge BDG-9000-QQ", "accuracy_mode": "standard"})
        assert r.status_code == 200, r.text
        assert r.json()["result"] == "badge [BADGE_ID_1]"
    services.close()


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        (BAD_SECOND, "text_recognizers_file.recognizers[1].patterns[0].regex", "broken"),
        ("- name: x\n  entity_type: BADGE_ID\n  colour: red\n", "text_recognizers_file.recognizers[0]", ""),
        ("recognizers: [\n", "text_recognizers_file.recognizers", "parse"),
        (None, "text_recognizers_file", "cannot be read"),
    ],
)
def test_bad_file_is_a_503_naming_the_entry(
    tmp_path: Path, database_url: str, content: str | None, field: str, words: str
) -> None:
    path = tmp_path / "server.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    services, client = service(tmp_path, database_url, str(path))
    with client:
        for _ in range(2):  # the same clear answer on every use, never a 500
            r = deid(client, {"text": "badge BDG-4471-ZX"})
            assert r.status_code == 503, r.text
            error = r.json()["error"]
            assert error["field"].startswith(field) and error["code"] == "misconfigured"
            assert "VEIL_TEXT_RECOGNIZERS_FILE" in error["message"] and words in error["message"]
        assert client.get("/healthz").status_code == 200
    services.close()


def test_library_server_recognizers_beside_custom_ones() -> None:
    spec = {"name": "badge", "entity_type": "BADGE_ID", "patterns": [{"regex": r"BDG-\d{4}-[A-Z]{2}", "score": 0.9}]}
    mine = {"name": "badge", "entity_type": "DESK_ID", "patterns": [{"regex": r"DSK-\d{3}", "score": 0.9}]}
    options = DeidentifyOptions(accuracy_mode="standard", server_recognizers=[spec], custom_recognizers=[mine])  # type: ignore[list-item]
    [res] = deidentify("desk DSK-120, badge BDG-4471-ZX", options)
    assert res.result == "desk [DESK_ID_1], badge [BADGE_ID_1]"
