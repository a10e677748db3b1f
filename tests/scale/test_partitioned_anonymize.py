"""The ``tabular.anonymize`` job's partitioned k-anonymity path (forced with a small
threshold) gives exactly the whole-table result: in-process and on a real Dask cluster."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import veil.tabular as vt
from tests.scale.conftest import DaskCluster
from veil.service import tabular as tabular_service

ADULT = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "adult"
QIS = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"]
SENSITIVE = "salary-class"


@pytest.fixture(scope="module")
def adult() -> pd.DataFrame:
    path = ADULT / "adult.csv"
    if not path.exists():
        pytest.skip(f"Adult data set not found at {path}")
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)


def _attrs(sensitive: bool = False) -> list[dict[str, Any]]:
    """Hierarchies as rows (the service reads no local files)."""
    attrs: list[dict[str, Any]] = [
        {
            "name": c,
            "type": "quasi_identifier",
            "hierarchy": vt.Hierarchy.from_csv((ADULT / f"adult_hierarchy_{c}.csv").read_text()).to_rows(),
        }
        for c in QIS
    ]
    if sensitive:
        attrs.append({"name": SENSITIVE, "type": "sensitive"})
    return attrs


def _run(services: Any, frame: pd.DataFrame, max_suppression: float, **model: Any) -> dict[str, Any]:
    job = tabular_service.submit(
        services, "tester", frame.to_dict(orient="records"), k=5, attributes=_attrs(SENSITIVE in frame),
        max_suppression=max_suppression, partition_threshold=1000, partition_rows=4000, **model,
    )
    deadline = time.monotonic() + 120
    while (state := services.jobs.get(job["job_id"]))["status"] in ("pending", "running"):
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    assert state["status"] == "completed", state
    result: dict[str, Any] = state["context"]["result"]
    return result


def _check(result: dict[str, Any], frame: pd.DataFrame, max_suppression: float, **model: Any) -> None:
    whole = vt.anonymize(frame, _attrs(SENSITIVE in frame), k=5, max_suppression=max_suppression, **model)
    assert result["search"]["partitions"] == -(-len(frame) // 4000)
    assert result["levels"] == whole.levels
    assert result["suppressed_count"] == whole.suppressed_count
    assert result["statistics"] == whole.statistics
    assert result["metrics"] == pytest.approx(whole.metrics, rel=1e-12)
    assert result["data"] == tabular_service._records(whole.data)


@pytest.mark.parametrize("max_suppression", [0.0, 0.04])
def test_partitioned_job_in_process(services: Any, adult: pd.DataFrame, max_suppression: float) -> None:
    frame = adult[QIS]
    _check(_run(services, frame, max_suppression), frame, max_suppression)


def test_t_closeness_job_in_process(services: Any, adult: pd.DataFrame) -> None:
    frame = adult[[*QIS, SENSITIVE]].head(12000)
    model = {"privacy_model": ["k-anonymity", "t-closeness"], "t": 0.15}
    _check(_run(services, frame, 0.04, **model), frame, 0.04, **model)


def test_small_inputs_stay_whole_table(adult: pd.DataFrame) -> None:
    frame = adult[QIS].head(500)
    assert not tabular_service._use_partitions(frame, {"k": 5})
    assert tabular_service._use_partitions(frame, {"k": 5, "partition_threshold": 100})
    assert tabular_service._use_partitions(frame, {"k": 5, "l": 2, "partition_threshold": 100})
    assert not tabular_service._use_partitions(
        frame, {"k": 5, "partition_threshold": 100, "options": {"nope": 1}}
    )


def test_partitioned_job_on_the_cluster(dask_services: Any, cluster: DaskCluster, adult: pd.DataFrame) -> None:
    frame = adult[QIS]
    _check(_run(dask_services, frame, 0.04), frame, 0.04)
