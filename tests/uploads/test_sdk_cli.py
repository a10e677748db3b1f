"""The SDK (sync and async) and the CLI against a real uvicorn server: big local tables are
uploaded, results are downloaded, and leading zeros survive CSV -> SDK -> REST -> CSV."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.uploads.conftest import ATTRS, people_csv
from veil.cli.main import app as cli
from veil.client import AnonymizationClient, AsyncAnonymizationClient
from veil.client.exceptions import APIError, ValidationError

ZIPS = [f"0{2130 + i}" for i in range(7)]
KEEP_ZIP = [{"name": "zip", "type": "insensitive"}, *ATTRS[1:]]


def _uploads(client: Any) -> int:
    return int(client._request("GET", "/v1/uploads")["total"])


def test_sync_sdk_uploads_big_inputs_and_downloads_results(live_url: str, tmp_path: Path) -> None:
    src = tmp_path / "people.csv"
    src.write_text(people_csv(600))
    with AnonymizationClient(live_url) as client:
        client.upload_threshold = 1_000_000
        client.detect_qi(str(src))  # below the threshold: inline records, no upload
        assert _uploads(client) == 0
        client.upload_threshold = 1_000
        job = client.submit_job(str(src), k=2, attributes=KEEP_ZIP)
        assert _uploads(client) == 1
        status = client.wait_for_job(job.job_id, poll_interval=0.1, timeout=60)
        assert status.status.value == "completed"
        out = client.download_result(job.job_id, tmp_path / "out.csv")
        with open(out, newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 600 and sorted({r["zip"] for r in rows}) == ZIPS
        frame = client.download_result(job.job_id)
        assert isinstance(frame, pd.DataFrame) and len(frame) == 600 and sorted(set(frame["zip"])) == ZIPS
        as_json = client.download_result(job.job_id, tmp_path / "out.json")
        assert pd.read_json(as_json, dtype=False)["zip"].str.startswith("0").all()

        # a DataFrame above the threshold: uploaded as Parquet (types kept), sync call
        df = pd.read_csv(src, dtype=str)
        res = client.anonymize(df, k=2, attributes=KEEP_ZIP)
        assert sorted({r["zip"] for r in res.data}) == ZIPS
        assert _uploads(client) == 2
        # measure: both tables uploaded; dp: a file path uploaded
        client.measure(str(src), df)
        dp = client.dp_compute(str(src), mechanism="count", epsilon=1.0)
        assert dp is not None
        assert _uploads(client) >= 4

        info = client.upload(src)
        assert (info.rows, info.format) == (600, "csv") and info.data.startswith("veil://uploads/")
        assert client.get_upload(info.data).rows == 600
        client.delete_upload(info.id)
        with pytest.raises(APIError) as err:
            client.get_upload(info.id)
        assert err.value.status_code == 404
        with pytest.raises(APIError) as err:
            client.download_result("no-such-job")
        assert err.value.status_code == 404
        with pytest.raises(ValidationError):
            client.download_result(job.job_id, format="xlsx")


def test_async_sdk(live_url: str, tmp_path: Path) -> None:
    src = tmp_path / "people.csv"
    src.write_text(people_csv(300))

    async def run() -> None:
        async with AsyncAnonymizationClient(live_url) as client:
            client.upload_threshold = 1_000
            job = await client.submit_job(src, k=2, attributes=KEEP_ZIP)
            await client.wait_for_job(job.job_id, poll_interval=0.1, timeout=60)
            frame = await client.download_result(job.job_id, format="csv")
            assert sorted(set(frame["zip"])) == ZIPS
            path = await client.download_result(job.job_id, tmp_path / "a.parquet")
            assert len(pd.read_parquet(path)) == 300
            info = await client.upload(pd.read_csv(src, dtype=str))
            assert info.format == "parquet" and (await client.get_upload(info.id)).rows == 300
            await client.delete_upload(info.id)

    asyncio.run(run())


def test_cli_upload_jobs_result_and_remote_anonymize(live_url: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "people.csv"
    src.write_text(people_csv(400))
    runner = CliRunner()
    r = runner.invoke(cli, ["upload", str(src), "--url", live_url])
    assert r.exit_code == 0, r.output
    assert "veil://uploads/" in r.stdout
    r = runner.invoke(cli, ["upload", str(tmp_path / "missing.csv"), "--url", live_url])
    assert r.exit_code == 2

    with AnonymizationClient(live_url) as client:
        ref = runner.invoke(cli, ["upload", str(src), "--url", live_url, "--json"]).stdout
        import json

        data = json.loads(ref)["data"]
        job = client.submit_job(data, k=2, attributes=KEEP_ZIP)
        client.wait_for_job(job.job_id, poll_interval=0.1, timeout=60)
    out = tmp_path / "result.csv"
    r = runner.invoke(cli, ["jobs", "result", job.job_id, "-o", str(out), "--url", live_url])
    assert r.exit_code == 0, r.output
    assert sorted(set(pd.read_csv(out, dtype=str)["zip"])) == ZIPS
    r = runner.invoke(cli, ["jobs", "result", "nope", "-o", str(out), "--url", live_url])
    assert r.exit_code == 1

    # the tabular command: a local file above the threshold is uploaded, the result streamed to -o
    import veil.client.core as core

    monkeypatch.setattr(core, "UPLOAD_THRESHOLD_BYTES", 1000)
    with AnonymizationClient(live_url) as client:
        before = _uploads(client)
    out2 = tmp_path / "anon.csv"
    r = runner.invoke(cli, ["tabular", "anonymize", str(src), "--url", live_url, "-k", "2", "--insensitive", "zip",
                            "--qi", "age", "--insensitive", "sex", "--insensitive", "disease", "-o", str(out2)])
    assert r.exit_code == 0, r.output
    assert sorted(set(pd.read_csv(out2, dtype=str)["zip"])) == ZIPS
    with AnonymizationClient(live_url) as client:
        assert _uploads(client) == before + 1
