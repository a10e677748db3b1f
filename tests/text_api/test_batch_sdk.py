"""The SDK's batch methods (sync and async): upload a file or bytes, poll, download the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from veil.client.exceptions import APIError, ValidationError
from veil.client.text import AsyncTextClient, TextClient

TEXTS = [
    "Hi, I am John Smith and I live in Paris.",
    "Call me on 555-123-4567 tomorrow.",
    "Nothing personal here.",
]


def _lines(content: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in content.splitlines()]


def test_sync_batch_from_a_jsonl_file(client: Any, tmp_path: Path) -> None:
    src = tmp_path / "notes.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)))
    tc = TextClient(http_client=client)
    job = tc.deidentify_batch(src, id_field="id", partition_size=2, accuracy_mode="standard")
    assert job["status"] in ("pending", "running", "completed")
    done = tc.wait_for_batch(job["job_id"], poll_interval=0.05, timeout=60)
    assert done["context"]["result"]["texts"] == 3
    out = tmp_path / "notes.deid.jsonl"
    lines = _lines(tc.download_batch_result(job["job_id"], out))
    assert _lines(out.read_bytes()) == lines
    assert [x["id"] for x in lines] == ["n0", "n1", "n2"]
    assert "John Smith" not in lines[0]["result"] and "555-123-4567" not in lines[1]["result"]
    assert lines[2]["result"] == "Nothing personal here."


def test_sync_batch_from_csv_bytes_without_pii(client: Any) -> None:
    tc = TextClient(http_client=client)
    body = ("text\n" + "".join(f'"{t}"\n' for t in TEXTS)).encode()
    job = tc.deidentify_batch(body, format="csv", include_pii=False, enabled_classes=["PHONE_NUMBER"])
    tc.wait_for_batch(job["job_id"], poll_interval=0.05, timeout=60)
    lines = _lines(tc.download_batch_result(job["job_id"]))
    assert [x["index"] for x in lines] == [0, 1, 2]
    assert "pii" not in lines[0]
    assert "John Smith" in lines[0]["result"] and "555-123-4567" not in lines[1]["result"]


def test_sync_batch_errors(client: Any, tmp_path: Path) -> None:
    tc = TextClient(http_client=client)
    with pytest.raises(ValidationError) as err:
        tc.deidentify_batch(b'{"text": "a"}\n')
    assert err.value.field == "format"
    with pytest.raises(ValidationError):
        tc.deidentify_batch(tmp_path / "missing.jsonl")
    with pytest.raises(APIError) as api_err:
        tc.download_batch_result("00000000-0000-0000-0000-000000000000")
    assert api_err.value.status_code == 404
    with pytest.raises(APIError) as api_err:
        tc.download_batch_result("not-a-job")
    assert api_err.value.status_code in (400, 404, 422)


def test_cloud_uri_goes_to_the_uri_endpoint() -> None:
    from veil.client.text import _batch_call

    path, kwargs = _batch_call(
        "s3://bucket/notes.csv", format=None, text_field="body", id_field="id", include_pii=False,
        partition_size=500, options={"accuracy_mode": "standard", "marker_format": None},
    )
    assert path == "/v1/text/batch"
    assert kwargs == {
        "json": {
            "input_uri": "s3://bucket/notes.csv", "text_field": "body", "include_pii": False,
            "id_field": "id", "partition_size": 500, "options": {"accuracy_mode": "standard"},
        }
    }


async def test_async_batch(app: Any, tmp_path: Path) -> None:
    async with AsyncTextClient("http://test", transport=httpx2.ASGITransport(app=app)) as tc:
        job = await tc.deidentify_batch(
            "".join(json.dumps(t) + "\n" for t in TEXTS).encode(), format="jsonl", accuracy_mode="standard"
        )
        await tc.wait_for_batch(job["job_id"], poll_interval=0.05, timeout=60)
        out = tmp_path / "r.jsonl"
        lines = _lines(await tc.download_batch_result(job["job_id"], out))
        assert out.exists() and len(lines) == 3
        assert "John Smith" not in lines[0]["result"]
