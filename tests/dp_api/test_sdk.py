"""The SDK's dp_* methods (sync and async mixins) against the in-process app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pandas as pd
import pytest

from veil.client.core import AsyncClient, SyncClient
from veil.client.dp import AsyncDPMethods, DPMethods
from veil.client.dp_models import (
    DPBudgetStatus,
    DPComputeResult,
    DPMechanismType,
    DPNoiseType,
    DPStreamMechanismType,
    DPStreamResult,
)
from veil.client.exceptions import APIError


class Client(SyncClient, DPMethods):
    pass


class AsyncDPClient(AsyncClient, AsyncDPMethods):
    pass


FRAME = pd.DataFrame({"age": [float(20 + i % 50) for i in range(300)], "dept": ["x", "y", "z"] * 100})


@pytest.fixture
def sdk(app: Any, client: Any) -> Client:
    return Client(http_client=client)


def test_enums_match_the_engine() -> None:
    from veil.dp.types import MechanismType, NoiseType, StreamMechanismType

    assert [m.value for m in DPMechanismType] == [m.value for m in MechanismType]
    assert [m.value for m in DPStreamMechanismType] == [m.value for m in StreamMechanismType]
    assert [m.value for m in DPNoiseType] == [m.value for m in NoiseType]


def test_compute_from_dataframe_and_local_file(sdk: Client, tmp_path: Path) -> None:
    out = sdk.dp_compute(FRAME, mechanism=DPMechanismType.MEAN, column="age", bounds=(0, 100), epsilon=2.0)
    assert isinstance(out, DPComputeResult) and abs(out.private_value - FRAME["age"].mean()) < 5
    path = tmp_path / "people.csv"
    FRAME.to_csv(path, index=False)
    grouped = sdk.dp_compute(str(path), mechanism="count", group_by="dept", group_keys=["x", "y", "z"],
                             epsilon=1.0)
    assert set(grouped.results) == {"x", "y", "z"}


def test_budget_methods_and_errors(sdk: Client) -> None:
    status = sdk.dp_budget_create("sdk-b", epsilon_budget=1.0, delta_budget=1e-5, composition="rdp")
    assert isinstance(status, DPBudgetStatus) and status.composition == "rdp"
    sdk.dp_compute(FRAME, mechanism="sum", column="age", bounds=(0, 100), epsilon=0.5, session_id="sdk-b")
    status = sdk.dp_budget_status("sdk-b")
    assert status.num_charges == 1 and 0 < status.epsilon_spent <= 0.5 + 1e-9
    with pytest.raises(APIError) as info:
        sdk.dp_compute(FRAME, mechanism="mean", column="age", bounds=(100, 0))
    assert info.value.status_code == 400 and info.value.field == "bounds"
    sdk.dp_budget_delete("sdk-b")
    with pytest.raises(APIError) as info:
        sdk.dp_budget_status("sdk-b")
    assert info.value.status_code == 404


def test_stream_methods(sdk: Client) -> None:
    first = sdk.dp_stream_update("sdk-s", FRAME, mechanism=DPStreamMechanismType.COUNT, epsilon=1.0)
    assert isinstance(first, DPStreamResult) and first.created
    out = sdk.dp_stream_update("sdk-s", FRAME, get_result=True)
    assert out.batches_processed == 2 and abs(out.result - 600) < 100
    assert [s["session_id"] for s in sdk.dp_stream_list_sessions()] == ["sdk-s"]
    sdk.dp_stream_delete("sdk-s")
    assert sdk.dp_stream_list_sessions() == []


def test_advise(sdk: Client) -> None:
    advice = sdk.dp_advise_composition(1.0, 20, delta_budget=1e-5)
    assert advice["recommendation"] in {"basic", "advanced", "rdp", "pld"} and "savings_pct" in advice


async def test_async_methods(app: Any, client: Any) -> None:
    async with AsyncDPClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as sdk:
        out = await sdk.dp_compute(FRAME.to_dict(orient="records"), mechanism="count", epsilon=1.0)
        assert abs(out.private_value - 300) < 40
        await sdk.dp_budget_create("a-b", 1.0)
        status = await sdk.dp_budget_status("a-b")
        assert status.epsilon_remaining == pytest.approx(1.0)
        stream = await sdk.dp_stream_update("a-s", FRAME, mechanism="sum", epsilon=1.0, bounds=(0, 100),
                                            column="age", get_result=True)
        assert stream.created and stream.result is not None
        assert len(await sdk.dp_stream_list_sessions()) == 1
        await sdk.dp_stream_delete("a-s")
        await sdk.dp_budget_delete("a-b")
        assert (await sdk.dp_advise_composition(1.0, 5))["recommendation"] == "basic"
