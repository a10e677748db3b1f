"""Concurrent charges never exceed a budget: parallel HTTP clients and parallel service calls.

Runs on both backends; on PostgreSQL the budget row is locked with SELECT ... FOR UPDATE.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from veil.dp.types import PrivacyEvent
from veil.errors import BudgetExceededError

RECORDS = [{"v": i % 7} for i in range(50)]


def test_parallel_http_clients_never_overspend(app: Any, client: Any) -> None:
    from starlette.testclient import TestClient

    assert client.post("/v1/dp/budget", json={"session_id": "race", "epsilon_budget": 1.0}).status_code == 201
    workers, attempts = 8, 24
    barrier = threading.Barrier(workers)
    clients = [TestClient(app, raise_server_exceptions=False) for _ in range(workers)]

    def hammer(index: int) -> list[int]:
        barrier.wait()
        codes = []
        for _ in range(attempts // workers):
            r = clients[index].post("/v1/dp/compute", json={"data": RECORDS, "mechanism": "count",
                                                            "epsilon": 0.1, "session_id": "race"})
            codes.append(r.status_code)
        return codes

    with ThreadPoolExecutor(workers) as pool:
        codes = [c for chunk in pool.map(hammer, range(workers)) for c in chunk]
    assert sorted(set(codes)) == [200, 409], codes
    assert codes.count(200) == 10
    status = client.get("/v1/dp/budget/race").json()
    assert status["num_charges"] == 10 and len(status["charges"]) == 10
    assert status["epsilon_spent"] == pytest.approx(1.0)


def test_parallel_service_charges_are_serialised(services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.service import dp as dp_service

    # Widen the read-check-write window so that a missing lock shows up as overspending
    # (without the row lock all 12 charges succeed).
    original = dp_service._budget_object

    def slow_read(session: Any, row: Any) -> Any:
        budget = original(session, row)
        time.sleep(0.03)
        return budget

    monkeypatch.setattr(dp_service, "_budget_object", slow_read)

    dp_service.budget_create(services, "p", "svc", epsilon_budget=2.0)
    workers = 12
    barrier = threading.Barrier(workers)

    def charge(_: int) -> bool:
        barrier.wait()
        try:
            dp_service.charge(services, "p", "svc", [PrivacyEvent("laplace", 0.3)])
            return True
        except BudgetExceededError:
            return False

    with ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(charge, range(workers)))
    assert outcomes.count(True) == 6  # 6 * 0.3 = 1.8 <= 2.0 < 7 * 0.3
    status = dp_service.budget_status(services, "p", "svc")
    assert status["num_charges"] == 6 and status["epsilon_spent"] == pytest.approx(1.8)


def test_parallel_stream_batches_are_all_counted(services: Any) -> None:
    from veil.service import dp as dp_service

    dp_service.stream_update(services, "p", "st", mechanism="count", epsilon=1.0)
    workers = 6
    barrier = threading.Barrier(workers)

    def feed(_: int) -> None:
        barrier.wait()
        for _ in range(3):
            dp_service.stream_update(services, "p", "st", RECORDS)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(feed, range(workers)))
    listed = dp_service.stream_list(services, "p")
    assert listed[0]["batches_processed"] == 18 and listed[0]["total_count"] == 18 * len(RECORDS)
