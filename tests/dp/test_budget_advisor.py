"""Budgets refuse overspending and spend nothing then; the advisor's numbers compose within budget."""

from __future__ import annotations

import json
import math
import warnings

import pytest

from veil.dp import compute
from veil.dp.advisor import advise_composition
from veil.dp.budget import PrivacyBudget
from veil.dp.types import PrivacyEvent
from veil.errors import BudgetExceededError, InvalidInputError


def test_exceeding_charge_is_refused_and_spends_nothing() -> None:
    budget = PrivacyBudget("s", epsilon_budget=1.0)
    budget.charge([PrivacyEvent("laplace", 0.6)])
    before = budget.to_dict()
    with pytest.raises(BudgetExceededError) as info:
        budget.charge([PrivacyEvent("laplace", 0.5)])
    assert info.value.details["epsilon_remaining"] == pytest.approx(0.4)
    assert budget.to_dict() == before
    budget.charge([PrivacyEvent("laplace", 0.4)])  # exactly the rest fits
    assert budget.remaining()[0] == pytest.approx(0.0, abs=1e-12)


def test_delta_is_budgeted_too() -> None:
    budget = PrivacyBudget("s", epsilon_budget=10.0, delta_budget=1e-6)
    with pytest.raises(BudgetExceededError):
        budget.charge([PrivacyEvent("gaussian", 0.5, 1e-5, rho=0.01)])
    assert budget.charges == []


def test_compute_result_events_charge_a_budget() -> None:
    budget = PrivacyBudget("s", epsilon_budget=2.5)
    data = [{"v": i % 10} for i in range(100)]
    for _ in range(2):
        out = compute(data, mechanism="mean", column="v", bounds=(0, 10), epsilon=1.0)
        budget.charge(out.events)
    out = compute(data, mechanism="mean", column="v", bounds=(0, 10), epsilon=1.0)
    with pytest.raises(BudgetExceededError):
        budget.charge(out.events)
    status = budget.status()
    assert status["epsilon_spent"] == pytest.approx(2.0) and status["num_charges"] == 2


def test_rdp_needs_delta_and_allows_more_queries() -> None:
    with pytest.raises(InvalidInputError) as info:
        PrivacyBudget("s", 1.0, 0.0, "rdp")
    assert info.value.field == "delta_budget"
    basic, rdp = PrivacyBudget("b", 5.0, 1e-5), PrivacyBudget("r", 5.0, 1e-5, "rdp")
    counts = []
    for budget in (basic, rdp):
        n = 0
        while True:
            try:
                budget.charge([PrivacyEvent("laplace", 0.2)])
            except BudgetExceededError:
                break
            n += 1
        counts.append(n)
    assert counts[0] == 25 and counts[1] > 30
    eps, delta = rdp.spent()
    assert eps <= 5.0 and delta <= 1e-5


def test_budget_round_trips_through_json() -> None:
    budget = PrivacyBudget("s", 3.0, 1e-5, "rdp")
    budget.charge([PrivacyEvent("gaussian", 1.0, 1e-6, rho=0.05, label="x")], operation="dp_compute")
    clone = PrivacyBudget.from_dict(json.loads(json.dumps(budget.to_dict())))
    assert clone.status() == budget.status()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"epsilon_budget": 0}, "epsilon_budget"),
        ({"delta_budget": 1.5}, "delta_budget"),
        ({"composition": "fancy"}, "composition"),
        ({"session_id": ""}, "session_id"),
    ],
)
def test_budget_bad_input(kwargs: dict, field: str) -> None:
    args = {"session_id": "s", "epsilon_budget": 1.0, **kwargs}
    with pytest.raises(InvalidInputError) as info:
        PrivacyBudget(**args)
    assert info.value.field == field


def test_advisor_basic_and_advanced_formulas() -> None:
    out = advise_composition(1.0, 100, delta_budget=1e-5)
    assert out["basic"]["per_query_epsilon"] == pytest.approx(0.01)
    e, k = out["advanced"]["per_query_epsilon"], 100
    total = e * math.sqrt(2 * k * math.log(1 / 1e-5)) + k * e * math.expm1(e)
    assert total == pytest.approx(1.0, rel=1e-4)
    assert out["recommendation"] in ("rdp", "pld")
    best = out["recommended_per_query_epsilon"]
    assert out["savings_pct"] == pytest.approx(100 * (1 - 0.01 / best))
    assert out["pld"]["per_query_epsilon"] >= out["rdp"]["per_query_epsilon"] > out["advanced"]["per_query_epsilon"]


def test_advisor_rdp_answer_composes_within_budget() -> None:
    import dp_accounting
    from dp_accounting import rdp

    out = advise_composition(2.0, 50, delta_budget=1e-5)
    e = out["rdp"]["per_query_epsilon"]
    acc = rdp.RdpAccountant()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        acc.compose(dp_accounting.LaplaceDpEvent(1 / e), 50)
        assert acc.get_epsilon(1e-5) <= 2.0 + 1e-6


def test_advisor_without_delta_recommends_basic() -> None:
    out = advise_composition(1.0, 10)
    assert out["recommendation"] == "basic" and out["savings_pct"] == 0.0
    assert out["rdp"]["available"] is False


def test_advisor_bad_input() -> None:
    with pytest.raises(InvalidInputError) as info:
        advise_composition(1.0, 0)
    assert info.value.field == "num_queries"
    with pytest.raises(InvalidInputError) as info:
        advise_composition(1.0, 10, delta_budget=1e-6, delta_per_query=1e-6)
    assert info.value.field == "delta_per_query"
