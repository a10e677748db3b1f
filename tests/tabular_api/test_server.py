"""Against a real uvicorn server: the Adult golden results through the SDK (inline, from a
local file, from s3:// on moto), output_uri, and a sync + async smoke run of the client."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest

from tests.tabular_api.conftest import S3
from tests.tabular_api.helpers import ADULT_DIR, ADULT_QIS, PEOPLE, PEOPLE_ATTRS, adult_attributes, levels
from veil.client import AnonymizationClient, AsyncAnonymizationClient
from veil.client.exceptions import APIError
from veil.client.models import JobStatus


@pytest.fixture(scope="module")
def adult() -> pd.DataFrame:
    if not (ADULT_DIR / "adult.csv").exists():
        pytest.skip("Adult data set missing")
    return pd.read_csv(ADULT_DIR / "adult.csv", sep=";")


def _put(s3: S3, key: str, payload: bytes) -> str:
    import fsspec

    url = s3.url(key)
    with fsspec.open(url, "wb", **s3.storage_options) as fh:
        fh.write(payload)
    return url


def test_adult_golden_inline_file_and_s3(live_server: str, s3: S3, adult: pd.DataFrame) -> None:
    with AnonymizationClient(live_server, timeout=300) as sdk:
        inline = sdk.anonymize(adult, k=5, attributes=adult_attributes(), max_suppression=0.04)
        assert levels(inline.levels) == [0, 3, 0, 1, 1, 1, 1, 2, 0]
        assert inline.suppressed_count == 1178 and inline.statistics["equivalence_classes"] == 370
        risk = sdk.calculate_risk(inline.data, ADULT_QIS)
        assert risk.prosecutor is not None and round(risk.prosecutor.average_risk, 5) == 0.01277
        from_file = sdk.anonymize(str(ADULT_DIR / "adult.csv"), k=5, attributes=adult_attributes())
        assert levels(from_file.levels) == [0, 4, 1, 1, 3, 2, 2, 1, 0]
        assert from_file.statistics["equivalence_classes"] == 24 and from_file.statistics["min_class_size"] == 69
        uri = _put(s3, "in/adult.csv", (ADULT_DIR / "adult.csv").read_bytes())
        hier = {c: _put(s3, f"h/{c}.csv", (ADULT_DIR / f"adult_hierarchy_{c}.csv").read_bytes()) for c in ADULT_QIS}
        attrs = [{"name": c, "type": "quasi_identifier", "hierarchy": hier[c]} for c in ADULT_QIS]
        out_uri = s3.url("out/adult.parquet")
        from_s3 = sdk.anonymize(uri, k=5, attributes=attrs, max_suppression=0.04, metric="discernibility",
                                output_uri=out_uri, output_format="parquet")
        assert levels(from_s3.levels) == [1, 0, 1, 1, 3, 2, 2, 0, 1]
        assert from_s3.suppressed_count == 906 and from_s3.data is None and from_s3.result_path == out_uri
        import fsspec

        with fsspec.open(out_uri, "rb", **s3.storage_options) as fh:
            written = pd.read_parquet(io.BytesIO(fh.read()))
        assert len(written) == 30162
        input_risk = sdk.calculate_risk(uri, ADULT_QIS)
        assert input_risk.prosecutor is not None and round(input_risk.prosecutor.records_at_risk, 4) == 0.7781


def test_failed_job_leaves_nothing_at_output_uri(live_server: str, s3: S3) -> None:
    import fsspec

    out = s3.url("out/never.csv")
    with AnonymizationClient(live_server) as sdk:
        job = sdk.submit_job(PEOPLE, k=4, attributes=PEOPLE_ATTRS, privacy_model="l-diversity", l=9,
                             output_uri=out)
        with pytest.raises(APIError):
            sdk.wait_for_job(job.job_id, poll_interval=0.1, timeout=60)
        assert sdk.get_job_status(job.job_id).status == JobStatus.FAILED
        fs, path = fsspec.core.url_to_fs(out, **s3.storage_options)
        assert not fs.exists(path) and not fs.exists(path + ".part")
        ok = sdk.submit_job(PEOPLE, k=4, attributes=PEOPLE_ATTRS, output_uri=out)
        status = sdk.wait_for_job(ok.job_id, poll_interval=0.1, timeout=60)
        assert status.result_path == out and fs.exists(path)


async def test_async_client_over_http(live_server: str) -> None:
    async with AsyncAnonymizationClient(live_server) as sdk:
        assert await sdk.is_healthy()
        res = await sdk.anonymize(PEOPLE, k=4, attributes=PEOPLE_ATTRS, max_suppression=0.05)
        job = await sdk.submit_job(PEOPLE, k=4, attributes=PEOPLE_ATTRS)
        status = await sdk.wait_for_job(job.job_id, poll_interval=0.1, timeout=60)
        assert status.context["result"]["levels"] == res.levels or status.status == JobStatus.COMPLETED
        assert (await sdk.apply_anon(res.job_id, PEOPLE)).row_count == 240


def test_connection_error() -> None:
    from veil.client.exceptions import AnonymizationConnectionError

    with AnonymizationClient("http://127.0.0.1:9", timeout=2) as sdk:
        assert not sdk.is_healthy()
        with pytest.raises(AnonymizationConnectionError):
            sdk.get_health()


def _unused(x: Any) -> Any:
    return x


def test_malformed_csv_and_empty_table_from_s3(live_server: str, s3: S3) -> None:
    bad = _put(s3, "in/bad.csv", b'a,b\n1,"2\n3,4,5,6\n')
    empty = _put(s3, "in/empty.csv", b"")
    with AnonymizationClient(live_server) as sdk:
        for uri in (bad, empty):
            with pytest.raises(APIError) as err:
                sdk.anonymize(uri, attributes=[{"name": "a"}], k=1)
            assert err.value.status_code == 400 and err.value.field == "data"
        with pytest.raises(APIError) as err:
            sdk.calculate_risk(s3.url("in/missing.csv"))
        assert 400 <= err.value.status_code < 500
