"""Robustness of the text routes: text that is not valid Unicode is a 400 naming the field
(JSON escapes and raw bytes, over a real socket too), and a large request does not hold up
a small one."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests._servers import serve_service
from tests.conftest import make_settings

KEY = "<customer key>"
JSON = {"content-type": "application/json"}


def _post_raw(client: Any, path: str, body: bytes) -> Any:
    return client.post(path, content=body, headers=JSON)


UNENCODABLE = [
    (b'{"text": "hi \\ud800 there", "key": "k"}', "text"),
    (b'{"text": ["fine", "bad \\udfff"], "key": "k"}', "text[1]"),
    (b'{"text": "hi \xed\xa0\x80", "key": "k"}', "text"),  # a surrogate encoded in the raw bytes
    (b'{"text": "hi", "key": "k", "allow_list": ["ok", "\\ud800"]}', "allow_list[1]"),
    (b'{"text": "hi", "key": "k", "block_list": {"LBL": "a\\ud800"}}', "block_list.LBL"),
    (b'{"text": "hi", "key": "k", "marker_format": "[CLASS_NAME\\ud800]"}', "marker_format"),
]


def test_unencodable_text_is_400_naming_the_field(client: Any) -> None:
    for body, field in UNENCODABLE:
        r = _post_raw(client, "/deidentify_text", body)
        # text fields are a 400; plain string options are refused by the request schema (422)
        assert r.status_code in ((400,) if field.startswith("text") else (400, 422)), (body, r.text)
        assert r.json()["error"]["field"] == field, body


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xFFFF), max_size=40), min_size=1, max_size=3))
def test_any_text_is_200_or_a_400_naming_it(client: Any, texts: list[str]) -> None:
    body = json.dumps({"text": texts, "key": "k", "accuracy_mode": "standard"}).encode("ascii")
    r = _post_raw(client, "/deidentify_text", body)
    bad = [i for i, t in enumerate(texts) if any(0xD800 <= ord(c) <= 0xDFFF for c in t)]
    if bad:
        assert r.status_code == 400 and r.json()["error"]["field"] == f"text[{bad[0]}]"
    else:
        assert r.status_code == 200, r.text
        assert len(r.json()) == len(texts)


def test_other_bad_bytes_are_4xx_never_500(client: Any) -> None:
    for body in (b'{"text": "hi \xff there", "key": "k"}', b'{"text": "\xc3", "key": "k"}', b"\xfe\xff"):
        r = _post_raw(client, "/deidentify_text", body)
        assert 400 <= r.status_code < 500, (body, r.text)
    r = _post_raw(client, "/deidentify_text", b'{"text": "ok", "key": "\\ud800"}')
    assert 400 <= r.status_code < 500 and r.json()["error"]["field"] == "key"


def test_unencodable_recognizer_and_batch_fields(client: Any) -> None:
    r = _post_raw(
        client,
        "/v1/text/recognizers",
        b'{"name": "x", "entity_type": "X_ID", "patterns": [{"regex": "a\\ud800", "score": 0.5}]}',
    )
    assert 400 <= r.status_code < 500 and r.json()["error"]["field"].startswith("patterns[0].regex")
    r = _post_raw(
        client, "/v1/text/batch", b'{"input_uri": "s3://b/x.jsonl", "options": {"allow_list": ["\\ud800"]}}'
    )
    assert 400 <= r.status_code < 500 and r.json()["error"]["field"].startswith("options")
    r = client.post(
        "/v1/text/batch/upload",
        params={"format": "jsonl", "options": '{"allow_list": ["\\ud800"]}'},
        content=b'{"text": "x"}\n',
        headers={"content-type": "application/octet-stream"},
    )
    assert r.status_code == 400 and r.json()["error"]["field"] == "options.allow_list[0]"


def test_batch_line_with_a_lone_surrogate_is_an_error_line(client: Any) -> None:
    from veil.client.text import TextClient

    tc = TextClient(http_client=client)
    lines = b'{"id": "a", "text": "Call 415-555-2671"}\n{"id": "b", "text": "bad \\ud800 text"}\n{"id": "c", "text": "ok"}\n'
    job = tc.deidentify_batch(lines, format="jsonl", id_field="id", accuracy_mode="standard")
    tc.wait_for_batch(job["job_id"], poll_interval=0.05, timeout=60)
    out = [json.loads(x) for x in tc.download_batch_result(job["job_id"]).splitlines()]
    assert [x["id"] for x in out] == ["a", "b", "c"]
    assert "415-555-2671" not in out[0]["result"]
    assert "Unicode" in out[1]["error"] and "result" not in out[1]
    assert out[2]["result"] == "ok"


# --------------------------------------------------------------------------- real server
@pytest.fixture
def live_server(tmp_path: Path, _sqlite_template: Path) -> Iterator[str]:
    """The service in a real uvicorn server on loopback (SQLite only: these tests are about the
    HTTP stack and concurrency, not storage)."""
    import shutil

    shutil.copyfile(_sqlite_template, tmp_path / "veil.db")
    with serve_service(make_settings(tmp_path, f"sqlite:///{tmp_path / 'veil.db'}"), lifespan="auto") as url:
        yield url


def _raw_http(url: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
    host, port = url.removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode("ascii")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(head + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    payload = data.split(b"\r\n\r\n", 1)[1]
    return status, json.loads(payload)


def test_lone_surrogates_over_a_socket(live_server: str) -> None:
    status, body = _raw_http(live_server, "/deidentify_text", b'{"text": "x \\ud800", "key": "k"}')
    assert status == 400 and body["error"]["field"] == "text"
    status, body = _raw_http(live_server, "/deidentify_text", b'{"text": ["a", "\xed\xb0\x80"], "key": "k"}')
    assert status == 400 and body["error"]["field"] == "text[1]"
    status, body = _raw_http(live_server, "/deidentify_text", b'{"text": "Hi John", "key": "k"}')
    assert status == 200 and body["result"] == "Hi [NAME_1]"


def test_a_small_request_is_not_held_up_by_a_large_one(live_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The large request (high mode, so it runs the statistical model over several chunks) is
    seen entering the model; a small request sent then must come back while the large one is
    still running. A lock held for a whole request anywhere (service or engine) makes this
    fail. Each model call on the large text is slowed a little, so that the large request
    outlasts the small one on any machine."""
    from spacy.language import Language

    big_in_model = threading.Event()
    original_pipe = Language.pipe

    def pipe(self: Any, texts: Any, *args: Any, **kwargs: Any) -> Any:
        items = list(texts)
        if any(isinstance(t, str) and len(t) > 2000 for t in items):
            big_in_model.set()
            time.sleep(0.5)
        return original_pipe(self, items, *args, **kwargs)

    monkeypatch.setattr(Language, "pipe", pipe)
    with httpx2.Client(base_url=live_server, timeout=300) as http:
        warm = http.post("/deidentify_text", json={"key": KEY, "text": "Hi John, call Grace in Leeds."})
        assert warm.status_code == 200
        # made-up capitalised names the rules cannot explain, so the model reads every chunk
        syllables = ["kor", "vel", "ban", "tri", "mos", "dal", "pen", "rud", "sah", "lim"]
        names = ["".join(p).capitalize() for p in itertools.product(syllables, repeat=3)]
        big_text = "".join(
            f"Yesterday I spoke with {n} about the plan and {n[::-1].capitalize()} agreed to help. " for n in names
        )[:60_000]
        big_done = threading.Event()
        big_status: list[int] = []

        def send_big() -> None:
            with httpx2.Client(base_url=live_server, timeout=300) as c:
                big_status.append(c.post("/deidentify_text", json={"key": KEY, "text": big_text}).status_code)
            big_done.set()

        worker = threading.Thread(target=send_big, daemon=True)
        worker.start()
        assert big_in_model.wait(120), "the large request never reached the model"
        small = http.post("/deidentify_text", json={"key": KEY, "text": "Yesterday I spoke with Zorbanek about it."})
        finished_first = not big_done.is_set()
        assert small.status_code == 200
        assert "Zorbanek" not in small.json()["result"]
        worker.join(300)
        assert big_status == [200]
        assert finished_first, "the small request waited for the large one to finish"
