"""Streaming sessions: first call fixes the settings, state survives JSON, windows behave."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from veil.dp.stream import StreamSession
from veil.errors import ConflictError, InvalidInputError


def _batches(n: int, size: int = 200, seed: int = 0) -> list[pd.DataFrame]:
    rng = np.random.default_rng(seed)
    return [pd.DataFrame({"v": rng.uniform(0, 10, size), "g": rng.choice(["a", "b"], size)}) for _ in range(n)]


def _round_trip(session: StreamSession) -> StreamSession:
    return StreamSession.from_dict(json.loads(json.dumps(session.to_dict())))


def test_count_stream_tracks_the_running_total() -> None:
    session = StreamSession.create("s", mechanism="count", epsilon=2.0)
    for batch in _batches(20):
        session.update(batch)
        session = _round_trip(session)
    assert session.batches_processed == 20 and session.total_count == 4000
    assert abs(session.result() - 4000) < 60
    before = session.to_dict()
    assert session.result() == session.result()  # reading a result is free and stable
    assert session.to_dict() == before


def test_mean_and_sum_streams() -> None:
    mean = StreamSession.create("m", mechanism="mean", epsilon=2.0, bounds=(0, 10), column="v")
    total = StreamSession.create("t", mechanism="sum", epsilon=2.0, bounds=(0, 10), column="v")
    data = _batches(16)
    for batch in data:
        mean.update(batch)
        total.update(batch)
    everything = pd.concat(data)["v"]
    assert abs(mean.result() - everything.mean()) < 0.5
    assert abs(total.result() - everything.sum()) < 1000
    assert [e.label for e in mean.events()] == ["stream.v.count", "stream.v.total"]
    assert sum(e.epsilon for e in mean.events()) == pytest.approx(2.0)


def test_sliding_window_covers_the_last_batches() -> None:
    session = StreamSession.create("w", mechanism="sliding_window", epsilon=4.0, bounds=(0, 10), column="v",
                                   window_size=3)
    sizes = [100, 100, 100, 400, 400, 400]
    for n in sizes:
        session.update(pd.DataFrame({"v": np.full(n, 5.0)}))
    out = session.result()
    assert out["window_batches"] == 3
    assert abs(out["count"] - 1200) < 80
    assert abs(out["mean"] - 5.0) < 0.5


def test_tumbling_windows_close_and_restart() -> None:
    session = StreamSession.create("t", mechanism="tumbling_window", epsilon=4.0, bounds=(0, 10), column="v",
                                   window_size=2)
    for n in [100, 100, 300, 300, 50]:
        session.update(pd.DataFrame({"v": np.full(n, 2.0)}))
        session = _round_trip(session)
    out = session.result()
    assert len(out["completed"]) == 2
    assert abs(out["completed"][0]["count"] - 200) < 40 and abs(out["completed"][1]["count"] - 600) < 40
    assert out["current"]["window_batches"] == 1 and abs(out["current"]["count"] - 50) < 40


def test_grouped_stream_needs_public_keys_and_suppresses_small_groups() -> None:
    with pytest.raises(InvalidInputError) as info:
        StreamSession.create("g", mechanism="count", epsilon=1.0, group_by="g")
    assert info.value.field == "group_keys"
    session = StreamSession.create("g", mechanism="count", epsilon=2.0, group_by="g", group_keys=["a", "b", "zz"],
                                   min_group_size=50)
    for batch in _batches(4):
        session.update(batch)
    out = session.result()
    assert out["zz"] is None and abs(out["a"] - 400) < 80


def test_first_call_fixes_settings() -> None:
    session = StreamSession.create("s", mechanism="mean", epsilon=1.0, bounds=(0, 10), column="v")
    session.check_same(mechanism="mean", epsilon=1.0, column="v", bounds=(0, 10))
    with pytest.raises(ConflictError) as info:
        session.check_same(epsilon=2.0)
    assert info.value.field == "epsilon"
    with pytest.raises(ConflictError):
        session.check_same(column="other")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mechanism": None, "epsilon": 1.0}, "mechanism"),
        ({"mechanism": "count", "epsilon": None}, "epsilon"),
        ({"mechanism": "mean", "epsilon": 1.0, "column": "v"}, "bounds"),
        ({"mechanism": "mean", "epsilon": 1.0, "bounds": (0, 1)}, "column"),
        ({"mechanism": "sliding_window", "epsilon": 1.0, "bounds": (0, 1), "column": "v"}, "window_size"),
        ({"mechanism": "count", "epsilon": 1.0, "window_size": 3}, "window_size"),
        ({"mechanism": "count", "epsilon": 1.0, "noise_type": "gaussian"}, "delta"),
        ({"mechanism": "sum", "epsilon": 1.0, "bounds": (3, 1), "column": "v"}, "bounds"),
    ],
)
def test_stream_bad_input(kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        StreamSession.create("s", **kwargs)
    assert info.value.field == field


def test_bad_batch_changes_nothing() -> None:
    session = StreamSession.create("s", mechanism="sum", epsilon=1.0, bounds=(0, 10), column="v")
    session.update(pd.DataFrame({"v": [1.0, 2.0]}))
    before = session.to_dict()
    with pytest.raises(InvalidInputError):
        session.update(pd.DataFrame({"w": [1.0]}))
    assert session.to_dict() == before
    session.update(pd.DataFrame({"v": ["text", 3.0]}))  # a text cell is dropped, never refused
    assert session.batches_processed == 2


def test_horizon_is_enforced() -> None:
    session = StreamSession.create("s", mechanism="count", epsilon=1.0, horizon=2)
    empty = pd.DataFrame({"v": []})
    for _ in range(3):
        session.update(empty)
    with pytest.raises(ConflictError):
        session.update(empty)


def test_gaussian_stream_reports_delta_and_tracks_counts() -> None:
    session = StreamSession.create("gs", mechanism="count", epsilon=1.0, delta=1e-6, noise_type="gaussian")
    for batch in _batches(8):
        session.update(batch)
    (event,) = session.events()
    assert event.kind == "gaussian" and event.delta == pytest.approx(1e-6) and event.epsilon <= 1.0 + 1e-9
    assert abs(session.result() - 1600) < 200


def test_multi_column_stream_composes_sequentially() -> None:
    frame = pd.DataFrame({"a": np.full(50, 1.0), "b": np.full(50, 2.0)})
    session = StreamSession.create("mc", mechanism="sum", epsilon=1.0, bounds=(0, 5), columns=["a", "b"],
                                   epsilon_map={"b": 0.5})
    session.update(frame)
    assert sum(e.epsilon for e in session.events()) == pytest.approx(1.5)
    assert set(session.result()) == {"a", "b"}
